import { and, count, desc, eq, gte, inArray, isNotNull, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { idFloorAt } from "#db/ids.ts";
import {
  dislikes,
  favourites,
  followedTags,
  follows,
  forYouEntries,
  posts,
  postTags,
  showLessPosts,
  tags,
  users,
} from "#db/schema/index.ts";
import { batchRead, inIds, type BatchRead } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { readableBy } from "../timelines.ts";
import type { Candidate, ViewerSignals } from "./scorer.ts";

/** How far back candidates and the viewer's own interactions are looked for (docs/ranking.md). */
export const CANDIDATE_WINDOW_MS = 72 * 3_600_000;
export const INTERACTION_WINDOW_MS = 30 * 24 * 3_600_000;

/** Each source reads at most this many posts, so a batch costs the same whoever asks. */
export const SOURCE_LIMITS = {
  following: 200,
  likedByFollowing: 100,
  repostedByFollowing: 100,
  popular: 100,
  followedTags: 100,
  similarInterests: 100,
} as const;

/** The most engaged-with posts the popular source considers: room for the 100 it keeps after what the viewer may not see. */
const POPULAR_POOL = 300;

const reposts = alias(posts, "reposts");
const engager = alias(users, "engager");

/**
 * Posts any source may offer the viewer: recent originals (and replies continuing their author's own thread), not the
 * viewer's own, readable by them (readableBy: profile access, blocks either way, mutes), not already in their For-you
 * feed, and none the viewer turned away (not interested in the author, show less, disliked).
 */
function eligible(viewerId: string, since: number): SQL {
  return and(
    gte(posts.id, idFloorAt(since)),
    isNull(posts.reblogOfId),
    or(isNull(posts.inReplyToId), eq(posts.inReplyToAuthorId, posts.authorId)),
    ne(posts.authorId, viewerId),
    readableBy(viewerId),
    sql`NOT EXISTS (SELECT 1 FROM for_you_entries WHERE for_you_entries.owner_id = ${viewerId} AND for_you_entries.post_id = ${posts.id})`,
    sql`NOT EXISTS (SELECT 1 FROM uninteresting_authors WHERE uninteresting_authors.user_id = ${viewerId}
                      AND uninteresting_authors.author_id = ${posts.authorId})`,
    sql`NOT EXISTS (SELECT 1 FROM show_less_posts WHERE show_less_posts.user_id = ${viewerId} AND show_less_posts.post_id = ${posts.id})`,
    sql`NOT EXISTS (SELECT 1 FROM dislikes WHERE dislikes.user_id = ${viewerId} AND dislikes.post_id = ${posts.id})`,
  )!;
}

/**
 * Audiences a followed author's post may have for the viewer. A first cut, so the ranker spends no place on posts the
 * viewer cannot see; canSeePost (posts/visibility.ts) still decides when the feed is read.
 */
function audienceOfFollowed(viewerId: string): SQL {
  return sql`(${posts.visibility} IN ('public', 'unlisted', 'private')
    OR (${posts.visibility} = 'friends' AND EXISTS (SELECT 1 FROM friendships WHERE friendships.user_id = ${viewerId}
                                                        AND friendships.friend_id = ${posts.authorId})))`;
}

/** What the scorer needs of every candidate, whatever its source. */
function features(viewerId: string) {
  return {
    postId: posts.id,
    authorId: posts.authorId,
    authorUsername: users.username,
    createdAt: posts.createdAt,
    favourites: posts.favouritesCount,
    reblogs: posts.reblogsCount,
    replies: posts.repliesCount,
    dislikes: posts.dislikesCount,
    quality: sql<number>`coalesce(${posts.qualityScore}, 1)`,
    quotes: sql<number>`(SELECT count(*) FROM posts quoting WHERE quoting.quote_of_id = ${posts.id})`,
    hasMedia: sql<number>`EXISTS (SELECT 1 FROM media_attachments WHERE media_attachments.post_id = ${posts.id})`,
    tagIds: sql<string>`(SELECT json_group_array(post_tags.tag_id) FROM post_tags WHERE post_tags.post_id = ${posts.id})`,
    following: sql<number>`EXISTS (SELECT 1 FROM follows WHERE follows.follower_id = ${viewerId} AND follows.followee_id = ${posts.authorId})`,
  };
}

interface FeatureRow {
  postId: string;
  authorId: string;
  authorUsername: string;
  createdAt: Date;
  favourites: number;
  reblogs: number;
  replies: number;
  dislikes: number;
  quality: number;
  quotes: number;
  hasMedia: number;
  tagIds: string;
  following: number;
}

function candidateOf(row: FeatureRow, extra: Partial<Candidate>): Candidate {
  return {
    postId: row.postId,
    authorId: row.authorId,
    authorUsername: row.authorUsername,
    createdAt: row.createdAt.getTime(),
    favourites: row.favourites,
    reblogs: row.reblogs,
    replies: row.replies,
    quotes: row.quotes,
    dislikes: row.dislikes,
    quality: row.quality,
    hasMedia: Boolean(row.hasMedia),
    tagIds: JSON.parse(row.tagIds) as string[],
    following: Boolean(row.following),
    likedByFollowing: 0,
    likedBySample: null,
    repostedByFollowing: 0,
    repostedBySample: null,
    followedTag: null,
    similarity: 0,
    ...extra,
  };
}

/** The same post offered by several sources becomes one candidate with every source's signal. */
function merge(a: Candidate, b: Candidate): Candidate {
  return {
    ...a,
    likedByFollowing: Math.max(a.likedByFollowing, b.likedByFollowing),
    likedBySample: a.likedBySample ?? b.likedBySample,
    repostedByFollowing: Math.max(a.repostedByFollowing, b.repostedByFollowing),
    repostedBySample: a.repostedBySample ?? b.repostedBySample,
    followedTag: a.followedTag ?? b.followedTag,
    similarity: Math.max(a.similarity, b.similarity),
  };
}

const engagementOrder = sql`${posts.favouritesCount} + 2 * ${posts.reblogsCount} + 1.5 * ${posts.repliesCount} DESC`;

/**
 * The most engaged-with public posts of the window, by their counters alone: the popular source checks eligibility
 * (readableBy and the rest) on these few instead of on every public post of the window (on the bench data, 10,000).
 */
function mostEngaged(ctx: DomainContext, floor: string) {
  return ctx.db
    .select({ id: posts.id })
    .from(posts)
    .where(
      and(
        eq(posts.visibility, "public"),
        isNull(posts.reblogOfId),
        gte(posts.id, floor),
        sql`${posts.favouritesCount} + ${posts.reblogsCount} + ${posts.repliesCount} > 0`,
      ),
    )
    .orderBy(engagementOrder, desc(posts.id))
    .limit(POPULAR_POOL);
}

/**
 * The candidate sources of docs/ranking.md as one read for a batch, each bounded by its own limit and the candidate
 * window: recent posts of people followed, posts they liked or reposted, popular recent public posts, public posts with
 * a hashtag the viewer follows, and the public posts nearest the viewer's interests (`similar`: post id to similarity,
 * found in the vector index before the batch, recommendations/similar-posts.ts).
 */
export function candidatesRead(
  ctx: DomainContext,
  viewerId: string,
  now: number,
  similar: ReadonlyMap<string, number> = new Map(),
): BatchRead<Candidate[]> {
  const since = now - CANDIDATE_WINDOW_MS;
  const floor = idFloorAt(since);
  const base = features(viewerId);
  const isPublic = eq(posts.visibility, "public");
  const statements = [
    ctx.db
      .select(base)
      .from(follows)
      .innerJoin(posts, and(eq(posts.authorId, follows.followeeId), gte(posts.id, floor)))
      .innerJoin(users, eq(users.id, posts.authorId))
      .where(and(eq(follows.followerId, viewerId), eligible(viewerId, since), audienceOfFollowed(viewerId)))
      .orderBy(desc(posts.id))
      .limit(SOURCE_LIMITS.following),
    ctx.db
      .select({ ...base, engagers: count(), sample: sql<string>`min(${engager.username})` })
      .from(follows)
      .innerJoin(favourites, and(eq(favourites.userId, follows.followeeId), gte(favourites.postId, floor)))
      .innerJoin(engager, eq(engager.id, favourites.userId))
      .innerJoin(posts, eq(posts.id, favourites.postId))
      .innerJoin(users, eq(users.id, posts.authorId))
      .where(and(eq(follows.followerId, viewerId), isPublic, eligible(viewerId, since)))
      .groupBy(posts.id)
      .orderBy(desc(count()), desc(posts.id))
      .limit(SOURCE_LIMITS.likedByFollowing),
    ctx.db
      .select({ ...base, engagers: count(), sample: sql<string>`min(${engager.username})` })
      .from(follows)
      .innerJoin(reposts, and(eq(reposts.authorId, follows.followeeId), gte(reposts.id, floor), isNotNull(reposts.reblogOfId)))
      .innerJoin(engager, eq(engager.id, reposts.authorId))
      .innerJoin(posts, eq(posts.id, reposts.reblogOfId))
      .innerJoin(users, eq(users.id, posts.authorId))
      .where(and(eq(follows.followerId, viewerId), isPublic, eligible(viewerId, since)))
      .groupBy(posts.id)
      .orderBy(desc(count()), desc(posts.id))
      .limit(SOURCE_LIMITS.repostedByFollowing),
    ctx.db
      .select(base)
      .from(posts)
      .innerJoin(users, eq(users.id, posts.authorId))
      .where(and(inArray(posts.id, mostEngaged(ctx, floor)), eligible(viewerId, since)))
      .orderBy(engagementOrder, desc(posts.id))
      .limit(SOURCE_LIMITS.popular),
    ctx.db
      .select({ ...base, tag: sql<string>`min(${tags.name})` })
      .from(followedTags)
      .innerJoin(postTags, and(eq(postTags.tagId, followedTags.tagId), gte(postTags.postId, floor)))
      .innerJoin(tags, eq(tags.id, postTags.tagId))
      .innerJoin(posts, eq(posts.id, postTags.postId))
      .innerJoin(users, eq(users.id, posts.authorId))
      .where(and(eq(followedTags.userId, viewerId), isPublic, eligible(viewerId, since)))
      .groupBy(posts.id)
      .orderBy(desc(posts.id))
      .limit(SOURCE_LIMITS.followedTags),
    ctx.db
      .select(base)
      .from(posts)
      .innerJoin(users, eq(users.id, posts.authorId))
      .where(and(inArray(posts.id, inIds([...similar.keys()])), isPublic, eligible(viewerId, since)))
      .limit(SOURCE_LIMITS.similarInterests),
  ] as const;
  return batchRead(statements, ([following, liked, reposted, popular, tagged, alike]) => {
    const all = [
      ...following.map((row) => candidateOf(row, {})),
      ...liked.map((row) => candidateOf(row, { likedByFollowing: row.engagers, likedBySample: row.sample })),
      ...reposted.map((row) => candidateOf(row, { repostedByFollowing: row.engagers, repostedBySample: row.sample })),
      ...popular.map((row) => candidateOf(row, {})),
      ...tagged.map((row) => candidateOf(row, { followedTag: row.tag })),
      ...alike.map((row) => candidateOf(row, { similarity: similar.get(row.postId) ?? 0 })),
    ];
    const byPost = new Map<string, Candidate>();
    for (const candidate of all) {
      const seen = byPost.get(candidate.postId);
      byPost.set(candidate.postId, seen ? merge(seen, candidate) : candidate);
    }
    return [...byPost.values()];
  });
}

const tally = (rows: { key: string | null; n: number }[]) =>
  new Map(rows.filter((row): row is { key: string; n: number } => row.key !== null).map((row) => [row.key, row.n]));

/**
 * The viewer's own history as one read for a batch: likes, reposts and replies per author over the interaction window
 * (all through the viewer's own index ranges), "show less like this" per author and per hashtag, dislikes per author.
 */
export function viewerSignalsRead(ctx: DomainContext, viewerId: string, now: number): BatchRead<ViewerSignals> {
  const floor = idFloorAt(now - INTERACTION_WINDOW_MS);
  const original = alias(posts, "original");
  const engagedAuthor = sql<string | null>`coalesce(${original.authorId}, ${posts.inReplyToAuthorId})`;
  const statements = [
    ctx.db
      .select({ key: posts.authorId, n: count() })
      .from(favourites)
      .innerJoin(posts, eq(posts.id, favourites.postId))
      .where(and(eq(favourites.userId, viewerId), gte(favourites.postId, floor)))
      .groupBy(posts.authorId),
    ctx.db
      .select({ key: engagedAuthor, n: count() })
      .from(posts)
      .leftJoin(original, eq(original.id, posts.reblogOfId))
      .where(
        and(eq(posts.authorId, viewerId), gte(posts.id, floor), or(isNotNull(posts.reblogOfId), ne(posts.inReplyToAuthorId, viewerId))),
      )
      .groupBy(engagedAuthor),
    ctx.db
      .select({ key: showLessPosts.authorId, n: count() })
      .from(showLessPosts)
      .where(eq(showLessPosts.userId, viewerId))
      .groupBy(showLessPosts.authorId),
    ctx.db
      .select({ key: postTags.tagId, n: count() })
      .from(showLessPosts)
      .innerJoin(postTags, eq(postTags.postId, showLessPosts.postId))
      .where(eq(showLessPosts.userId, viewerId))
      .groupBy(postTags.tagId),
    ctx.db
      .select({ key: posts.authorId, n: count() })
      .from(dislikes)
      .innerJoin(posts, eq(posts.id, dislikes.postId))
      .where(eq(dislikes.userId, viewerId))
      .groupBy(posts.authorId),
  ] as const;
  return batchRead(statements, ([liked, engaged, showLessAuthors, showLessTags, disliked]) => {
    const interactionsWith = tally(liked);
    for (const [author, n] of tally(engaged)) interactionsWith.set(author, (interactionsWith.get(author) ?? 0) + n);
    return {
      interactionsWith,
      showLessAuthors: tally(showLessAuthors),
      showLessTags: tally(showLessTags),
      dislikedAuthors: tally(disliked),
    };
  });
}

/** The authors at the top of the viewer's For-you feed, best first: a new batch goes on top of them (scorer.diversify). */
export function feedTopRead(ctx: DomainContext, viewerId: string, size: number): BatchRead<{ authors: string[]; newestId: string | null }> {
  const statements = [
    ctx.db
      .select({ id: forYouEntries.id, authorId: forYouEntries.authorId })
      .from(forYouEntries)
      .where(eq(forYouEntries.ownerId, viewerId))
      .orderBy(desc(forYouEntries.id))
      .limit(size),
  ] as const;
  return batchRead(statements, ([rows]) => ({ authors: rows.map((row) => row.authorId), newestId: rows[0]?.id ?? null }));
}
