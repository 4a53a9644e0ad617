import { and, desc, eq, inArray, isNull, ne, sql, type SQL } from "drizzle-orm";
import { posts, suggestionDismissals, users } from "#db/schema/index.ts";
import { recommendationsIndex } from "#workers/vector/select-index.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { publicUserColumns, type PublicUser } from "../profiles/profile.ts";
import { interestOf } from "./interests.ts";
import { INTERESTS_NAMESPACE, interestVectorId, MIN_SIMILARITY, nearestPosts } from "./vectors.ts";

/**
 * Why an account is suggested: followed by people you follow; close to your interests (they write what you engage
 * with, or engage with what you do: Mastodon's nearest source name for it); or (for visitors and when those find too
 * few) among the most followed. Mastodon's v2 suggestion sources name them.
 */
export type SuggestionSource = "friends_of_friends" | "similar_to_recently_followed" | "most_followed";

export interface Suggestion {
  account: PublicUser;
  /** Every reason that found the account, the strongest first. */
  sources: SuggestionSource[];
}

/** Nearest posts and people read from the index for the similar-interests source. */
const SIMILAR_POSTS_POOL = 100;
const SIMILAR_PEOPLE_POOL = 30;

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

/**
 * Accounts close to the viewer's interests, closest first: authors of the posts nearest their interest vector (each
 * post adds its similarity to its author) and people whose own interest vectors are nearest (their similarity). Only
 * suggestable accounts (the same exclusions as every other source) come back.
 */
async function similarInterests(ctx: DomainContext, viewerId: string, limit: number): Promise<PublicUser[]> {
  const interest = await interestOf(ctx, viewerId);
  if (!interest) return [];
  const [nearPosts, nearPeople] = await Promise.all([
    nearestPosts(ctx, interest, SIMILAR_POSTS_POOL, { visibility: "public" }),
    recommendationsIndex(ctx.env).query(interest, { topK: SIMILAR_PEOPLE_POOL, namespace: INTERESTS_NAMESPACE }),
  ]);
  const closeness = new Map<string, number>();
  const add = (userId: string, score: number) => closeness.set(userId, (closeness.get(userId) ?? 0) + score);
  for (const match of nearPeople.filter((person) => person.score >= MIN_SIMILARITY))
    add(match.id.slice(interestVectorId("").length), match.score);
  const postScores = new Map(nearPosts.map((match) => [match.id, match.score]));
  const authored = postScores.size
    ? await ctx.db
        .select({ id: posts.id, authorId: posts.authorId })
        .from(posts)
        .where(inArray(posts.id, inIds([...postScores.keys()])))
    : [];
  for (const post of authored) add(post.authorId, postScores.get(post.id)!);
  closeness.delete(viewerId);
  if (closeness.size === 0) return [];
  const accounts = await ctx.db
    .select(publicUserColumns)
    .from(users)
    .where(and(inArray(users.id, inIds([...closeness.keys()])), suggestable(viewerId)));
  return accounts.sort((a, b) => closeness.get(b.id)! - closeness.get(a.id)! || (a.id < b.id ? -1 : 1)).slice(0, limit);
}

async function mostFollowed(ctx: DomainContext, viewerId: string | null, limit: number, except: string[]): Promise<PublicUser[]> {
  return ctx.db
    .select(publicUserColumns)
    .from(users)
    .where(and(suggestable(viewerId), sql`${users.id} NOT IN ${inIds(except)}`))
    .orderBy(desc(users.followersCount), users.id)
    .limit(limit);
}

/**
 * Who to follow: people your follows follow and people close to your interests, in turns, topped up with the most
 * followed; each account once, with every source that found it.
 */
export async function suggestionsFor(ctx: DomainContext, viewerId: string | null, limit: number): Promise<Suggestion[]> {
  const wanted = Math.min(Math.max(1, limit), MAX_SUGGESTIONS);
  const [graph, similar] = viewerId
    ? await Promise.all([friendsOfFriends(ctx, viewerId, wanted), similarInterests(ctx, viewerId, wanted)])
    : [[], []];
  const found = new Map<string, Suggestion>();
  const take = (accounts: PublicUser[], source: SuggestionSource) => {
    for (const account of accounts) {
      const seen = found.get(account.id);
      if (seen) seen.sources.push(source);
      else if (found.size < wanted) found.set(account.id, { account, sources: [source] });
    }
  };
  // Taken in turns, so a short list (five on /explore) shows both kinds when the viewer has both.
  for (let place = 0; place < Math.max(graph.length, similar.length); place += 1) {
    take(graph.slice(place, place + 1), "friends_of_friends");
    take(similar.slice(place, place + 1), "similar_to_recently_followed");
  }
  if (found.size < wanted) take(await mostFollowed(ctx, viewerId, wanted - found.size, [...found.keys()]), "most_followed");
  return [...found.values()];
}

/** Never suggest this account to the viewer again (Mastodon's DELETE /api/v1/suggestions/:id). */
export async function dismissSuggestion(ctx: DomainContext, viewerId: string, accountId: string): Promise<void> {
  const [account] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.id, accountId));
  if (!account) throw new DomainError("not_found", "Record not found");
  await ctx.db.insert(suggestionDismissals).values({ userId: viewerId, accountId, createdAt: new Date() }).onConflictDoNothing();
}
