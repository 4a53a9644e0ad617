import { and, desc, eq, sql } from "drizzle-orm";
import { newId } from "#db/ids.ts";
import { recentSearches, savedSearches } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { MAX_QUERY_LENGTH } from "./query.ts";
import { assertNotSuspended } from "../accounts/permissions.ts";

/** How many recent searches are kept per person; older ones are trimmed as new ones come. */
export const RECENT_SEARCHES_KEPT = 10;
/** How many searches one person may save. */
export const MAX_SAVED_SEARCHES = 25;

export interface SavedSearch {
  id: string;
  query: string;
}

const cleaned = (query: string) => query.trim().slice(0, MAX_QUERY_LENGTH);

/** Remembers a search (a repeat moves to the top) and trims the list, in one batch. */
export async function rememberSearch(ctx: DomainContext, userId: string, query: string): Promise<void> {
  const text = cleaned(query);
  if (!text) return;
  await ctx.db.batch([
    ctx.db
      .insert(recentSearches)
      .values({ userId, query: text, searchedAt: new Date() })
      .onConflictDoUpdate({ target: [recentSearches.userId, recentSearches.query], set: { searchedAt: new Date() } }),
    ctx.db.delete(recentSearches).where(
      and(
        eq(recentSearches.userId, userId),
        sql`${recentSearches.query} NOT IN (SELECT r.query FROM recent_searches r WHERE r.user_id = ${userId}
                                           ORDER BY r.searched_at DESC LIMIT ${RECENT_SEARCHES_KEPT})`,
      ),
    ),
  ]);
}

/** The person's recent searches, newest first. */
export async function recentSearchesOf(ctx: DomainContext, userId: string): Promise<string[]> {
  const rows = await ctx.db
    .select({ query: recentSearches.query })
    .from(recentSearches)
    .where(eq(recentSearches.userId, userId))
    .orderBy(desc(recentSearches.searchedAt))
    .limit(RECENT_SEARCHES_KEPT);
  return rows.map((row) => row.query);
}

export async function clearRecentSearches(ctx: DomainContext, userId: string): Promise<void> {
  await ctx.db.delete(recentSearches).where(eq(recentSearches.userId, userId));
}

/** Saves a search (saving it again changes nothing); more than MAX_SAVED_SEARCHES is refused. */
export async function saveSearch(ctx: DomainContext, userId: string, query: string): Promise<void> {
  assertNotSuspended(ctx);
  const text = cleaned(query);
  if (!text) throw new DomainError("unprocessable", "There is nothing to save", { fields: { query: "Type a search first" } });
  const [inserted] = await ctx.db
    .insert(savedSearches)
    .select(
      sql`SELECT ${newId()}, ${userId}, ${text}, ${Date.now()}
          WHERE (SELECT count(*) FROM saved_searches WHERE user_id = ${userId}) < ${MAX_SAVED_SEARCHES}`,
    )
    .onConflictDoNothing()
    .returning({ id: savedSearches.id });
  if (inserted) return;
  const [existing] = await ctx.db
    .select({ id: savedSearches.id })
    .from(savedSearches)
    .where(and(eq(savedSearches.userId, userId), eq(savedSearches.query, text)));
  if (!existing)
    throw new DomainError("unprocessable", `You can save up to ${MAX_SAVED_SEARCHES} searches`, { code: "too_many_saved_searches" });
}

export async function savedSearchesOf(ctx: DomainContext, userId: string): Promise<SavedSearch[]> {
  return ctx.db
    .select({ id: savedSearches.id, query: savedSearches.query })
    .from(savedSearches)
    .where(eq(savedSearches.userId, userId))
    .orderBy(desc(savedSearches.createdAt), desc(savedSearches.id));
}

/** Removes one of the person's saved searches; someone else's id is not found. */
export async function removeSavedSearch(ctx: DomainContext, userId: string, id: string): Promise<void> {
  const removed = await ctx.db
    .delete(savedSearches)
    .where(and(eq(savedSearches.id, id), eq(savedSearches.userId, userId)))
    .returning({ id: savedSearches.id });
  if (removed.length === 0) throw new DomainError("not_found", "No such saved search");
}
