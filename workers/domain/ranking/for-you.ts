import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { idAt, timestampOfId } from "#db/ids.ts";
import { forYouEntries, posts, users } from "#db/schema/index.ts";
import { inIds, runBatch } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { applyFilters } from "../filters/apply.ts";
import { newestFirst, pageBounds, pageOf, type Page, type PageRequest } from "../pagination.ts";
import { showPosts, type ShownPost } from "../posts/hydrate.ts";
import { readableBy } from "../timelines.ts";
import { interestMatches } from "../recommendations/similar-posts.ts";
import { CANDIDATE_WINDOW_MS, candidatesRead, feedTopRead, SOURCE_LIMITS, viewerSignalsRead } from "./candidates.ts";
import { diversify, DIVERSITY_WINDOW, rank, type ForYouReason } from "./scorer.ts";

/** A post of the For-you feed with why it is there; `hiddenBy` is the viewer's feedback that hides it (undoable). */
export interface RankedPost {
  post: ShownPost;
  reason: ForYouReason;
  /** Who or what the reason names: a username, or a hashtag. */
  reasonSubject: string | null;
  hiddenBy: "show_less" | "not_interested" | null;
}

/** The largest page: the author cap holds in any DIVERSITY_WINDOW consecutive entries, so in any page up to that size. */
export const FOR_YOU_MAX_PAGE_SIZE = DIVERSITY_WINDOW;

/**
 * Ranks what is new for the viewer and puts it on top of their For-you feed (docs/decisions/0029): candidates, the
 * viewer's history and the feed's current top in one batch; the ranked, author-capped posts and the trim to
 * FOR_YOU_SIZE in a second. Entry ids are minted in rank order above every existing one, so earlier pages keep their
 * places. Two requests ranking at once cannot enter a post twice (the owner-post key).
 */
async function rankNewPosts(ctx: DomainContext, viewerId: string): Promise<void> {
  const now = Date.now();
  const similar = await interestMatches(ctx, viewerId, now - CANDIDATE_WINDOW_MS, SOURCE_LIMITS.similarInterests);
  const [candidates, signals, top] = await runBatch(
    ctx,
    candidatesRead(ctx, viewerId, now, similar),
    viewerSignalsRead(ctx, viewerId, now),
    feedTopRead(ctx, viewerId, DIVERSITY_WINDOW - 1),
  );
  const placed = diversify(rank(candidates, signals, now), top.authors);
  if (placed.length === 0) return;
  const base = Math.max(now, top.newestId ? timestampOfId(top.newestId) + 1 : 0);
  const rows = placed.map((entry, index) => ({
    id: idAt(base, placed.length - 1 - index),
    post_id: entry.candidate.postId,
    author_id: entry.candidate.authorId,
    score: entry.score,
    reason: entry.reason,
    reason_subject: entry.reasonSubject,
  }));
  // The rows go as one JSON parameter, so a batch of any size fits in D1's 100 bound parameters. (WHERE true tells
  // SQLite's parser that ON CONFLICT belongs to the INSERT, not to a join.)
  await ctx.db.batch([
    ctx.db
      .insert(forYouEntries)
      .select(
        sql`SELECT value ->> 'id', ${viewerId}, value ->> 'post_id', value ->> 'author_id', value ->> 'score', value ->> 'reason',
                   value ->> 'reason_subject'
            FROM json_each(${JSON.stringify(rows)}) WHERE true`,
      )
      .onConflictDoNothing(),
    ctx.db
      .delete(forYouEntries)
      .where(
        and(
          eq(forYouEntries.ownerId, viewerId),
          lt(
            forYouEntries.id,
            sql`(SELECT id FROM for_you_entries WHERE owner_id = ${viewerId} ORDER BY id DESC LIMIT 1 OFFSET ${ctx.config.FOR_YOU_SIZE - 1})`,
          ),
        ),
      ),
  ]);
}

/**
 * One page of the viewer's For-you feed. Cursors are post ids, as on every Mastodon timeline, each naming the place of
 * its post in this feed (a post is in it at most once):
 * - no cursor: the top of the feed, after ranking what is new when the newest batch is FOR_YOU_REFRESH_SECONDS old;
 * - max_id: the posts ranked below that post (the next page: never re-ranked, so no repeats or gaps);
 * - since_id / min_id: posts placed above it (new batches, ranked first when asked), the best or the nearest first.
 * A cursor that is not in the feed (never was, or trimmed away) is refused. The limit is at most FOR_YOU_MAX_PAGE_SIZE.
 * Each page reads `limit` consecutive entries and drops, after reading, those the viewer may no longer see, so the
 * author cap holds on every page; those hidden by the viewer's own feedback stay, marked, so a page can offer an undo.
 */
export async function forYouTimeline(ctx: DomainContext, viewerId: string, request: PageRequest): Promise<Page<RankedPost>> {
  const page = { ...request, limit: Math.min(request.limit, FOR_YOU_MAX_PAGE_SIZE) };
  const cursorPosts = [page.max_id, page.min_id, page.since_id].filter((id): id is string => id !== undefined);
  const [places, [newest]] = await ctx.db.batch([
    ctx.db
      .select({ id: forYouEntries.id, postId: forYouEntries.postId })
      .from(forYouEntries)
      .where(and(eq(forYouEntries.ownerId, viewerId), inArray(forYouEntries.postId, inIds(cursorPosts)))),
    ctx.db
      .select({ id: forYouEntries.id })
      .from(forYouEntries)
      .where(eq(forYouEntries.ownerId, viewerId))
      .orderBy(desc(forYouEntries.id))
      .limit(1),
  ]);
  const placeOf = (name: string, postId: string | undefined) => {
    if (postId === undefined) return undefined;
    const place = places.find((row) => row.postId === postId);
    if (!place) {
      throw new DomainError("unprocessable", `${name} is not a post in your For-you feed (it may have left it): start again without it`, {
        code: "unknown_cursor",
      });
    }
    return place.id;
  };
  const bounds = pageBounds(forYouEntries.id, {
    limit: page.limit,
    max_id: placeOf("max_id", page.max_id),
    min_id: placeOf("min_id", page.min_id),
    since_id: placeOf("since_id", page.since_id),
  });
  const stale = !newest || Date.now() - timestampOfId(newest.id) >= ctx.config.FOR_YOU_REFRESH_SECONDS * 1000;
  if (page.max_id === undefined && stale) await rankNewPosts(ctx, viewerId);

  const rows = await ctx.db
    .select({
      entry: forYouEntries,
      post: posts,
      hide: sql<"filtered" | "show_less" | "not_interested" | null>`CASE
        WHEN NOT ${readableBy(viewerId)}
          OR EXISTS (SELECT 1 FROM dislikes WHERE dislikes.user_id = ${viewerId} AND dislikes.post_id = ${posts.id}) THEN 'filtered'
        WHEN EXISTS (SELECT 1 FROM show_less_posts WHERE show_less_posts.user_id = ${viewerId}
                       AND show_less_posts.post_id = ${posts.id}) THEN 'show_less'
        WHEN EXISTS (SELECT 1 FROM uninteresting_authors WHERE uninteresting_authors.user_id = ${viewerId}
                       AND uninteresting_authors.author_id = ${posts.authorId}) THEN 'not_interested'
      END`,
    })
    .from(forYouEntries)
    .innerJoin(posts, eq(posts.id, forYouEntries.postId))
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(and(eq(forYouEntries.ownerId, viewerId), bounds.where))
    .orderBy(bounds.orderBy)
    .limit(page.limit);
  const read = newestFirst(rows, bounds.ascending);
  // The feed sits beside Following on the home page, so the viewer's "home" filters apply (ADR 0041): a "hide" match
  // leaves the post out of the page, a warning covers it; the cursors still name every entry read.
  const shown = new Map(
    (
      await applyFilters(
        ctx,
        viewerId,
        "home",
        await showPosts(
          ctx,
          viewerId,
          read.filter((row) => row.hide !== "filtered").map((row) => row.post),
        ),
      )
    ).map((post) => [post.post.id, post]),
  );
  const items = read.flatMap((row): RankedPost[] => {
    const post = shown.get(row.post.id);
    if (!post || row.hide === "filtered") return [];
    return [{ post, reason: row.entry.reason, reasonSubject: row.entry.reasonSubject, hiddenBy: row.hide }];
  });
  return pageOf(
    items,
    read.map((row) => row.post.id),
    page,
  );
}

/** The words a person reads for a reason (docs/ranking.md), the same on the page and in the API. */
export function reasonText(reason: ForYouReason, subject: string | null): string {
  switch (reason) {
    case "liked_by_following":
      return `Liked by @${subject}, whom you follow`;
    case "reposted_by_following":
      return `Reposted by @${subject}, whom you follow`;
    case "followed_tag":
      return `From #${subject}, which you follow`;
    case "frequent_interaction":
      return `You often like @${subject}'s posts`;
    case "following":
      return `From @${subject}, whom you follow`;
    case "similar_interests":
      return "Like posts you engage with";
    case "popular":
      return "Popular right now";
  }
}
