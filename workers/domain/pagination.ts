import { and, asc, desc, gt, lt, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import { isId, normaliseId } from "#db/ids.ts";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 40;

const cursor = (name: string) =>
  z
    .string()
    .refine(isId, { message: `${name} must be a numeric id` })
    .transform(normaliseId)
    .optional();

/**
 * Mastodon's cursor parameters. max_id pages backwards (older), since_id returns the newest items above a cursor,
 * min_id the items immediately above it (for paging forwards without gaps). A limit above the maximum is lowered to
 * it, as Mastodon does; a limit below 1 or that is not a whole number is an error.
 */
export const pageRequestSchema = z.object({
  max_id: cursor("max_id"),
  since_id: cursor("since_id"),
  min_id: cursor("min_id"),
  limit: z.coerce
    .number({ message: "limit must be a whole number" })
    .int({ message: "limit must be a whole number" })
    .min(1, { message: "limit must be at least 1" })
    .transform((limit) => Math.min(limit, MAX_PAGE_SIZE))
    .default(DEFAULT_PAGE_SIZE),
});

export type PageRequest = z.output<typeof pageRequestSchema>;

/** WHERE and ORDER BY for an id-ordered page, plus whether the rows come back oldest-first and need reversing. */
export function pageBounds(column: SQLiteColumn, page: PageRequest): { where: SQL | undefined; orderBy: SQL; ascending: boolean } {
  const conditions: (SQL | undefined)[] = [];
  if (page.max_id) conditions.push(lt(column, page.max_id));
  if (page.min_id) conditions.push(gt(column, page.min_id));
  else if (page.since_id) conditions.push(gt(column, page.since_id));
  const ascending = page.min_id !== undefined;
  return { where: and(...conditions), orderBy: ascending ? asc(column) : desc(column), ascending };
}

/** Newest first, whichever direction the rows were read in. */
export function newestFirst<T>(rows: T[], ascending: boolean): T[] {
  return ascending ? rows.reverse() : rows;
}
