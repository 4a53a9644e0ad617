import { and, asc, desc, sql, type SQL } from "drizzle-orm";
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

/**
 * WHERE and ORDER BY for a page ordered by a column (an id, or a rowid whose cursors are numbers), plus whether the
 * rows come back oldest-first and need reversing.
 */
export function pageBounds(
  column: SQLiteColumn | SQL,
  page: PageRequest,
  options: { numeric?: boolean } = {},
): { where: SQL | undefined; orderBy: SQL; ascending: boolean } {
  // A rowid compared with a text cursor would always be smaller, so numeric cursors are bound as numbers.
  const value = (cursor: string): string | number => (options.numeric ? Number(cursor) : cursor);
  const conditions: (SQL | undefined)[] = [];
  if (page.max_id) conditions.push(sql`${column} < ${value(page.max_id)}`);
  if (page.min_id) conditions.push(sql`${column} > ${value(page.min_id)}`);
  else if (page.since_id) conditions.push(sql`${column} > ${value(page.since_id)}`);
  const ascending = page.min_id !== undefined;
  return { where: and(...conditions), orderBy: ascending ? asc(column) : desc(column), ascending };
}

/**
 * One page of any paginated read, for every door (the API's Link header, the pages' "Older" and "Newer" links). Its
 * cursors come from the rows read, not from the items that survived read-time filtering: a page may show fewer items
 * than asked for (even none) and still have more beyond it.
 */
export interface Page<T> {
  items: T[];
  /** max_id for the next, older page; null when this read reached the oldest row. */
  older: string | null;
  /** min_id for newer items; null when nothing was read. */
  newer: string | null;
}

/**
 * A page from the cursors of the rows read (newest first) and the items shown from them. Reading backwards, fewer rows
 * than the limit means the oldest was reached; reading forwards (min_id), there is always an older page.
 */
export function pageOf<T>(items: T[], cursors: string[], request: PageRequest): Page<T> {
  const reachedOldest = request.min_id === undefined && cursors.length < request.limit;
  return { items, older: reachedOldest ? null : (cursors.at(-1) ?? null), newer: cursors[0] ?? null };
}

export const emptyPage = <T>(): Page<T> => ({ items: [], older: null, newer: null });

/** Newest first, whichever direction the rows were read in. */
export function newestFirst<T>(rows: T[], ascending: boolean): T[] {
  return ascending ? rows.reverse() : rows;
}
