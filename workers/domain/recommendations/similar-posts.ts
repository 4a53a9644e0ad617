import { and, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { posts, users } from "#db/schema/index.ts";
import type { VectorMatch } from "#workers/vector/vector-index.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { applyFilters } from "../filters/apply.ts";
import { showPosts, type ShownPost } from "../posts/hydrate.ts";
import type { Post } from "../posts/posts.ts";
import { viewPost } from "../posts/thread.ts";
import { readableBy } from "../timelines.ts";
import { popularMediaPosts } from "../trends/popular-media.ts";
import { interestOf } from "./interests.ts";
import { nearestPosts, postVector } from "./vectors.ts";

export const MAX_SIMILAR_POSTS = 20;
/** Matches asked of the index for one list: room for those the viewer may not see or the list leaves out. */
const MATCH_POOL = 60;

/**
 * Posts the index matched, as the viewer may see them, best match first: only public originals by discoverable
 * authors are ever recommended (an unlisted or followers-only post is not for discovery, even to those who may read
 * it), readableBy leaves out in SQL what the viewer may not see, showPosts checks canSeePost on each, and the viewer's
 * "public" filters apply as they do to search.
 */
async function shownMatches(
  ctx: DomainContext,
  viewerId: string | null,
  matches: VectorMatch[],
  limit: number,
  extra: SQL[] = [],
): Promise<ShownPost[]> {
  if (matches.length === 0) return [];
  const rows = await ctx.db
    .select({ post: posts })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(
      and(
        inArray(posts.id, inIds(matches.map((match) => match.id))),
        eq(posts.visibility, "public"),
        isNull(posts.reblogOfId),
        eq(users.discoverable, true),
        readableBy(viewerId),
        ...extra,
      ),
    );
  const shown = await applyFilters(
    ctx,
    viewerId,
    "public",
    await showPosts(
      ctx,
      viewerId,
      rows.map((row) => row.post),
    ),
  );
  const rank = new Map(matches.map((match, place) => [match.id, place]));
  return shown.sort((a, b) => rank.get(a.post.id)! - rank.get(b.post.id)!).slice(0, limit);
}

/**
 * "More like this": the posts nearest to one the viewer may see (not found otherwise, exactly as opening it would be),
 * for a repost its original's. Empty until the post has been embedded.
 */
export async function similarPosts(ctx: DomainContext, viewerId: string | null, postId: string, limit: number): Promise<ShownPost[]> {
  const view = await viewPost(ctx, viewerId, postId);
  return postsLike(ctx, viewerId, view.post, limit);
}

/**
 * "More like this" under a post the viewer was just shown (the post page has it from postContext, which checked it):
 * no read of the post again, and none of the database at all until the post has a vector.
 */
export async function postsLike(
  ctx: DomainContext,
  viewerId: string | null,
  shown: Pick<Post, "id" | "reblogOfId">,
  limit: number,
): Promise<ShownPost[]> {
  const sourceId = shown.reblogOfId ?? shown.id;
  const vector = await postVector(ctx, sourceId);
  if (!vector) return [];
  const matches = await nearestPosts(ctx, vector, MATCH_POOL, { visibility: "public" });
  return shownMatches(
    ctx,
    viewerId,
    matches.filter((match) => match.id !== sourceId),
    Math.min(limit, MAX_SIMILAR_POSTS),
  );
}

/**
 * The explore grid for a viewer: public, not sensitive posts by others with pictures or videos nearest to their
 * interests, of any age (taste ages slower than fame), topped up with the week's popular ones (all of it for visitors
 * and for people with no interest vector yet).
 */
export async function mediaGridFor(ctx: DomainContext, viewerId: string | null, limit: number, now = Date.now()): Promise<ShownPost[]> {
  const interest = viewerId ? await interestOf(ctx, viewerId) : null;
  const personal = interest
    ? await shownMatches(ctx, viewerId, await nearestPosts(ctx, interest, MATCH_POOL, { visibility: "public", hasMedia: true }), limit, [
        eq(posts.sensitive, false),
        sql`${posts.authorId} <> ${viewerId}`,
      ])
    : [];
  const mine = personal.filter((post) => post.media.length > 0);
  if (mine.length >= limit) return mine;
  const taken = new Set(mine.map((post) => post.post.id));
  const popular = await popularMediaPosts(ctx, viewerId, limit, now);
  return [...mine, ...popular.filter((post) => !taken.has(post.post.id))].slice(0, limit);
}

/**
 * The For-you feed's similar-interests source: recent public posts nearest to the viewer's interest vector, with their
 * similarity (candidates.ts reads them with the same eligibility as every other source). Empty without a vector.
 */
export async function interestMatches(ctx: DomainContext, viewerId: string, since: number, topK: number): Promise<Map<string, number>> {
  const interest = await interestOf(ctx, viewerId);
  if (!interest) return new Map();
  const matches = await nearestPosts(ctx, interest, topK, { visibility: "public", createdAt: { $gte: since } });
  return new Map(matches.map((match) => [match.id, match.score]));
}
