import { and, desc, eq, inArray, isNull, ne, sql, type SQL } from "drizzle-orm";
import { suggestionDismissals, users } from "#db/schema/index.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { publicUserColumns, type PublicUser } from "../profiles/profile.ts";

/**
 * Why an account is suggested: followed by people you follow, or (for visitors and when that finds too few) among the
 * most followed. Mastodon's v2 suggestion sources name them.
 */
export type SuggestionSource = "friends_of_friends" | "most_followed";

export interface Suggestion {
  account: PublicUser;
  source: SuggestionSource;
}

export const MAX_SUGGESTIONS = 80;

/**
 * Accounts that may be suggested to the viewer: discoverable, neither limited nor suspended by moderation (ADR 0041),
 * not the viewer, not followed or asked to follow, no block either way, not muted, not dismissed.
 */
function suggestable(viewerId: string | null): SQL {
  const open = and(eq(users.discoverable, true), isNull(users.moderationStatus))!;
  if (!viewerId) return and(open, eq(users.profileVisibility, "public"))!;
  const now = Date.now();
  return and(
    open,
    ne(users.id, viewerId),
    sql`NOT EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ${viewerId} AND f.followee_id = ${users.id})`,
    sql`NOT EXISTS (SELECT 1 FROM follow_requests r WHERE r.requester_id = ${viewerId} AND r.target_id = ${users.id})`,
    sql`NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = ${viewerId} AND b.blocked_id = ${users.id})
                                          OR (b.blocker_id = ${users.id} AND b.blocked_id = ${viewerId}))`,
    sql`NOT EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = ${viewerId} AND m.muted_id = ${users.id}
                                          AND (m.expires_at IS NULL OR m.expires_at > ${now}))`,
    sql`NOT EXISTS (SELECT 1 FROM suggestion_dismissals d WHERE d.user_id = ${viewerId} AND d.account_id = ${users.id})`,
    sql`${users.profileVisibility} IN ('public', 'signed-in')`,
  )!;
}

/** Accounts followed by the people the viewer follows, the most shared first. */
async function friendsOfFriends(ctx: DomainContext, viewerId: string, limit: number): Promise<PublicUser[]> {
  const followedByFollowed = sql`(SELECT f2.followee_id FROM follows f1 JOIN follows f2 ON f2.follower_id = f1.followee_id
                                   WHERE f1.follower_id = ${viewerId})`;
  const sharedBy = sql<number>`(SELECT count(*) FROM follows f1 JOIN follows f2 ON f2.follower_id = f1.followee_id
                                 WHERE f1.follower_id = ${viewerId} AND f2.followee_id = ${users.id})`;
  return ctx.db
    .select(publicUserColumns)
    .from(users)
    .where(and(inArray(users.id, followedByFollowed), suggestable(viewerId)))
    .orderBy(desc(sharedBy), desc(users.followersCount), users.id)
    .limit(limit);
}

async function mostFollowed(ctx: DomainContext, viewerId: string | null, limit: number, except: string[]): Promise<PublicUser[]> {
  return ctx.db
    .select(publicUserColumns)
    .from(users)
    .where(and(suggestable(viewerId), sql`${users.id} NOT IN ${inIds(except)}`))
    .orderBy(desc(users.followersCount), users.id)
    .limit(limit);
}

/** Who to follow: people your follows follow, topped up with the most followed; each account once. */
export async function suggestionsFor(ctx: DomainContext, viewerId: string | null, limit: number): Promise<Suggestion[]> {
  const wanted = Math.min(Math.max(1, limit), MAX_SUGGESTIONS);
  const graph = viewerId ? await friendsOfFriends(ctx, viewerId, wanted) : [];
  const found: Suggestion[] = graph.map((account) => ({ account, source: "friends_of_friends" }));
  if (found.length < wanted) {
    const more = await mostFollowed(
      ctx,
      viewerId,
      wanted - found.length,
      found.map((item) => item.account.id),
    );
    found.push(...more.map((account) => ({ account, source: "most_followed" as const })));
  }
  return found;
}

/** Never suggest this account to the viewer again (Mastodon's DELETE /api/v1/suggestions/:id). */
export async function dismissSuggestion(ctx: DomainContext, viewerId: string, accountId: string): Promise<void> {
  const [account] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.id, accountId));
  if (!account) throw new DomainError("not_found", "Record not found");
  await ctx.db.insert(suggestionDismissals).values({ userId: viewerId, accountId, createdAt: new Date() }).onConflictDoNothing();
}
