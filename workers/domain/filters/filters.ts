import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { filterActions, filterContexts, filterKeywords, filters, filterStatuses } from "#db/schema/index.ts";
import { newId } from "#db/ids.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { commit } from "../events/outbox.ts";
import { viewPost } from "../posts/thread.ts";

export type FilterRow = typeof filters.$inferSelect;
export type FilterKeyword = typeof filterKeywords.$inferSelect;
export type FilterStatus = typeof filterStatuses.$inferSelect;
export type FilterContext = (typeof filterContexts)[number];
export type FilterAction = (typeof filterActions)[number];

/** A filter with its keywords and posts: what the API's Filter entity and the settings page show. */
export interface Filter extends FilterRow {
  keywords: FilterKeyword[];
  statuses: FilterStatus[];
}

export const MAX_FILTERS = 100;
export const MAX_KEYWORDS_PER_FILTER = 100;
/** A year: Mastodon's clients offer up to a week, a month or "never"; a number of seconds beyond this is a mistake. */
const MAX_EXPIRY_SECONDS = 366 * 86_400;

const keywordSchema = z.object({
  keyword: z.string().trim().min(1, "A keyword cannot be empty").max(200, "A keyword is at most 200 characters"),
  wholeWord: z.boolean().default(true),
});

/** A change to a filter's keywords: a new one (no id), an edit (id), or a removal (id and destroy). */
const keywordChangeSchema = z.object({
  id: z.string().max(64).optional(),
  keyword: z.string().trim().min(1, "A keyword cannot be empty").max(200, "A keyword is at most 200 characters").optional(),
  wholeWord: z.boolean().optional(),
  destroy: z.boolean().default(false),
});

export const filterInputSchema = z.object({
  title: z.string().trim().min(1, "Give the filter a title").max(200, "A title is at most 200 characters"),
  contexts: z.array(z.enum(filterContexts)).min(1, "Choose at least one place to filter").max(filterContexts.length),
  action: z.enum(filterActions).default("warn"),
  /** Seconds from now; null for never. */
  expiresIn: z.number().int().positive().max(MAX_EXPIRY_SECONDS).nullable().default(null),
  keywords: z.array(keywordChangeSchema).max(MAX_KEYWORDS_PER_FILTER).default([]),
});
export type FilterInput = z.input<typeof filterInputSchema>;

/** Every change to someone's filters is committed with this event: their open streams hear filters_changed. */
const changedFor = (userId: string) => [{ type: "filters.changed" as const, payload: { userId } }];

const expiryOf = (expiresIn: number | null, at: Date) => (expiresIn === null ? null : new Date(at.getTime() + expiresIn * 1000));

/** The person's filters with their keywords and posts, newest first (expired ones too: clients show them as expired). */
export async function filtersOf(ctx: DomainContext, userId: string): Promise<Filter[]> {
  const rows = await ctx.db.select().from(filters).where(eq(filters.userId, userId)).orderBy(desc(filters.id));
  return withParts(ctx, rows);
}

export async function withParts(ctx: DomainContext, rows: FilterRow[]): Promise<Filter[]> {
  if (rows.length === 0) return [];
  const ids = inIds(rows.map((row) => row.id));
  const [keywords, statuses] = await Promise.all([
    ctx.db.select().from(filterKeywords).where(inArray(filterKeywords.filterId, ids)).orderBy(asc(filterKeywords.id)),
    ctx.db.select().from(filterStatuses).where(inArray(filterStatuses.filterId, ids)).orderBy(asc(filterStatuses.id)),
  ]);
  return rows.map((row) => ({
    ...row,
    keywords: keywords.filter((keyword) => keyword.filterId === row.id),
    statuses: statuses.filter((status) => status.filterId === row.id),
  }));
}

/** The owner's filter; anyone else's is not found. */
export async function ownFilter(ctx: DomainContext, userId: string, filterId: string): Promise<Filter> {
  const row = await ctx.db.query.filters.findFirst({ where: and(eq(filters.id, filterId), eq(filters.userId, userId)) });
  if (!row) throw new DomainError("not_found", "Record not found");
  return (await withParts(ctx, [row]))[0]!;
}

export async function createFilter(ctx: DomainContext, userId: string, input: FilterInput, at = new Date()): Promise<Filter> {
  const data = filterInputSchema.parse(input);
  const existing = await ctx.db.$count(filters, eq(filters.userId, userId));
  if (existing >= MAX_FILTERS) throw new DomainError("unprocessable", `You can have at most ${MAX_FILTERS} filters`);
  const added = data.keywords.filter((change) => !change.id && !change.destroy);
  const keywords = added.map((change) => keywordSchema.parse({ keyword: change.keyword, wholeWord: change.wholeWord }));
  const id = newId(at.getTime());
  await commit(
    ctx,
    [
      ctx.db.insert(filters).values({
        id,
        userId,
        title: data.title,
        contexts: data.contexts,
        action: data.action,
        expiresAt: expiryOf(data.expiresIn, at),
        createdAt: at,
      }),
      ...keywords.map((keyword) => ctx.db.insert(filterKeywords).values({ filterId: id, ...keyword })),
    ],
    changedFor(userId),
  );
  return ownFilter(ctx, userId, id);
}

/**
 * Changes a filter: only the fields given. Keyword changes name the keyword by id (edit or destroy) or add a new one;
 * an id that is not this filter's keyword is not found. `expiresIn` undefined keeps the expiry, null removes it.
 */
export async function updateFilter(
  ctx: DomainContext,
  userId: string,
  filterId: string,
  input: Partial<FilterInput>,
  at = new Date(),
): Promise<Filter> {
  const current = await ownFilter(ctx, userId, filterId);
  const data = filterInputSchema.partial().parse(input);
  const known = new Map(current.keywords.map((keyword) => [keyword.id, keyword]));
  const statements = [];
  for (const change of data.keywords ?? []) {
    if (change.id && !known.has(change.id)) throw new DomainError("not_found", "Record not found");
    if (change.id && change.destroy) statements.push(ctx.db.delete(filterKeywords).where(eq(filterKeywords.id, change.id)));
    else if (change.id) {
      const before = known.get(change.id)!;
      const after = keywordSchema.parse({ keyword: change.keyword ?? before.keyword, wholeWord: change.wholeWord ?? before.wholeWord });
      statements.push(ctx.db.update(filterKeywords).set(after).where(eq(filterKeywords.id, change.id)));
    } else if (!change.destroy) {
      const keyword = keywordSchema.parse({ keyword: change.keyword, wholeWord: change.wholeWord });
      statements.push(ctx.db.insert(filterKeywords).values({ filterId, ...keyword }));
    }
  }
  statements.push(
    ctx.db
      .update(filters)
      .set({
        title: data.title ?? current.title,
        contexts: data.contexts ?? current.contexts,
        action: data.action ?? current.action,
        expiresAt: input.expiresIn === undefined ? current.expiresAt : expiryOf(data.expiresIn ?? null, at),
      })
      .where(eq(filters.id, filterId)),
  );
  await commit(ctx, statements, changedFor(userId));
  return ownFilter(ctx, userId, filterId);
}

/**
 * The keyword changes that turn a filter's keywords into `wanted` (as a form that edits them all at once sends them):
 * kept words keep their ids, missing ones are destroyed, new ones added.
 */
export function keywordChangesTo(current: FilterKeyword[], wanted: { keyword: string; wholeWord: boolean }[]): FilterInput["keywords"] {
  const byWord = new Map(current.map((keyword) => [keyword.keyword.toLowerCase(), keyword]));
  const wantedWords = new Set(wanted.map((keyword) => keyword.keyword.toLowerCase()));
  return [
    ...current.filter((keyword) => !wantedWords.has(keyword.keyword.toLowerCase())).map((keyword) => ({ id: keyword.id, destroy: true })),
    ...wanted.map((keyword) => {
      const kept = byWord.get(keyword.keyword.toLowerCase());
      return kept ? { id: kept.id, keyword: keyword.keyword, wholeWord: keyword.wholeWord } : keyword;
    }),
  ];
}

export async function deleteFilter(ctx: DomainContext, userId: string, filterId: string): Promise<void> {
  await ownFilter(ctx, userId, filterId);
  await commit(ctx, [ctx.db.delete(filters).where(eq(filters.id, filterId))], changedFor(userId));
}

/** A keyword with the filter it belongs to, when that filter is the person's; anything else is not found. */
export async function ownKeyword(ctx: DomainContext, userId: string, keywordId: string): Promise<FilterKeyword> {
  const [row] = await ctx.db
    .select({ keyword: filterKeywords })
    .from(filterKeywords)
    .innerJoin(filters, eq(filters.id, filterKeywords.filterId))
    .where(and(eq(filterKeywords.id, keywordId), eq(filters.userId, userId)));
  if (!row) throw new DomainError("not_found", "Record not found");
  return row.keyword;
}

export async function addKeyword(
  ctx: DomainContext,
  userId: string,
  filterId: string,
  input: z.input<typeof keywordSchema>,
): Promise<FilterKeyword> {
  const filter = await ownFilter(ctx, userId, filterId);
  if (filter.keywords.length >= MAX_KEYWORDS_PER_FILTER) {
    throw new DomainError("unprocessable", `A filter has at most ${MAX_KEYWORDS_PER_FILTER} keywords`);
  }
  const [[row]] = await commit(
    ctx,
    [
      ctx.db
        .insert(filterKeywords)
        .values({ filterId, ...keywordSchema.parse(input) })
        .returning(),
    ],
    changedFor(userId),
  );
  return row!;
}

export async function updateKeyword(
  ctx: DomainContext,
  userId: string,
  keywordId: string,
  input: Partial<z.input<typeof keywordSchema>>,
): Promise<FilterKeyword> {
  const current = await ownKeyword(ctx, userId, keywordId);
  const data = keywordSchema.parse({ keyword: input.keyword ?? current.keyword, wholeWord: input.wholeWord ?? current.wholeWord });
  const [[row]] = await commit(
    ctx,
    [ctx.db.update(filterKeywords).set(data).where(eq(filterKeywords.id, keywordId)).returning()],
    changedFor(userId),
  );
  return row!;
}

export async function deleteKeyword(ctx: DomainContext, userId: string, keywordId: string): Promise<void> {
  await ownKeyword(ctx, userId, keywordId);
  await commit(ctx, [ctx.db.delete(filterKeywords).where(eq(filterKeywords.id, keywordId))], changedFor(userId));
}

export async function ownFilterStatus(ctx: DomainContext, userId: string, id: string): Promise<FilterStatus> {
  const [row] = await ctx.db
    .select({ status: filterStatuses })
    .from(filterStatuses)
    .innerJoin(filters, eq(filters.id, filterStatuses.filterId))
    .where(and(eq(filterStatuses.id, id), eq(filters.userId, userId)));
  if (!row) throw new DomainError("not_found", "Record not found");
  return row.status;
}

/** Adds a post the person can see to their filter; a post already in it is a 422, as on Mastodon. */
export async function addFilterStatus(ctx: DomainContext, userId: string, filterId: string, postId: string): Promise<FilterStatus> {
  const filter = await ownFilter(ctx, userId, filterId);
  await viewPost(ctx, userId, postId);
  if (filter.statuses.some((status) => status.postId === postId)) {
    throw new DomainError("unprocessable", "That post is already in this filter", { code: "taken" });
  }
  const [[row]] = await commit(ctx, [ctx.db.insert(filterStatuses).values({ filterId, postId }).returning()], changedFor(userId));
  return row!;
}

export async function deleteFilterStatus(ctx: DomainContext, userId: string, id: string): Promise<void> {
  await ownFilterStatus(ctx, userId, id);
  await commit(ctx, [ctx.db.delete(filterStatuses).where(eq(filterStatuses.id, id))], changedFor(userId));
}
