import type { FilterMatch } from "../filters/apply.ts";
import { inArray } from "drizzle-orm";
import { posts } from "#db/schema/index.ts";
import { batchRead, inIds, known, runBatch, type BatchRead } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { reactionCountsRead, viewerStatesRead, type ViewerState } from "./engagement.ts";
import { authorIdsOf, postViewsRead, type Post, type PostView } from "./posts.ts";
import { showPoll, type ShownPoll } from "./polls.ts";
import { visibilityRead } from "./visibility.ts";

/** A post with its poll as the viewer sees it. */
export type QuotedPost = PostView & { poll: ShownPoll | null };

/** A post ready for any door: the original of a repost, the quoted post (or why it is missing), the viewer's marks. */
export interface ShownPost extends QuotedPost {
  reblog: ShownPost | null;
  /** null when not a quote; `view: null` when the quoted post is gone, hidden from the viewer, or detached. */
  quote: { view: QuotedPost | null } | null;
  viewer: ViewerState | null;
  reactions: { emoji: string; count: number }[];
  /** The viewer mutes the author (of the repost itself, for a repost): lists that hide muted accounts leave it out. */
  authorMuted: boolean;
  /** The viewer's filters it matched with a warning (filters/apply.ts); absent when none did. */
  filtered?: FilterMatch[];
}

/**
 * Turns post rows into what the doors show, for one viewer: each visible post with its author, tags and mentions; a
 * repost with its original (dropped when the viewer may not see the original); a quote with the quoted post, or
 * "unavailable" when it was deleted, detached or is not visible; plus the viewer's likes, reposts and bookmarks and
 * the reaction counts. One round trip, whatever the number of posts: the originals and quoted posts are read in the
 * same batch as everything about them, their authors and cards through their rows (postViewsRead).
 */
export async function showPosts(ctx: DomainContext, viewerId: string | null, rows: Post[]): Promise<ShownPost[]> {
  if (rows.length === 0) return [];
  const linkedIds = [...new Set(rows.flatMap((post) => [post.reblogOfId, post.quoteOfId]).filter((id): id is string => Boolean(id)))];
  const shownIds = [...rows.map((post) => post.id), ...linkedIds];
  // Marks and reactions belong to the original of a repost (engagement.ts acts on it), never to the repost's own row.
  const targetIds = [...rows.filter((post) => !post.reblogOfId).map((post) => post.id), ...linkedIds];
  const [linkedRows, viewsOf, authors, states, counts] = await runBatch(
    ctx,
    postRowsRead(ctx, linkedIds),
    postViewsRead(ctx, shownIds),
    visibilityRead(ctx, viewerId, authorIdsOf(ctx, shownIds)),
    viewerStatesRead(ctx, viewerId, targetIds),
    reactionCountsRead(ctx, targetIds),
  );
  const linked = new Map(authors.visible(viewsOf(linkedRows)).map((view) => [view.post.id, view]));

  const withPoll = (view: PostView): QuotedPost => ({
    ...view,
    poll: view.poll ? showPoll(view.poll, view.post.authorId, viewerId, states.get(view.post.id)?.pollChoices ?? []) : null,
  });
  const decorate = (view: PostView): ShownPost => {
    const quoted = view.post.quoteOfId ? (linked.get(view.post.quoteOfId) ?? null) : null;
    return {
      ...withPoll(view),
      reblog: null,
      quote: view.post.quoteOfId ? { view: view.post.quoteDetached || !quoted ? null : withPoll(quoted) } : null,
      viewer: states.get(view.post.id) ?? null,
      reactions: counts.get(view.post.id) ?? [],
      authorMuted: authors.muted(view.post.authorId),
    };
  };
  return authors.visible(viewsOf(rows)).flatMap((view) => {
    if (!view.post.reblogOfId) return [decorate(view)];
    const original = linked.get(view.post.reblogOfId);
    return original ? [{ ...decorate(view), reblog: decorate(original) }] : [];
  });
}

/** Posts by id, as a read for a batch. */
function postRowsRead(ctx: DomainContext, ids: string[]): BatchRead<Post[]> {
  if (ids.length === 0) return known([]);
  const statements = [
    ctx.db
      .select()
      .from(posts)
      .where(inArray(posts.id, inIds(ids))),
  ] as const;
  return batchRead(statements, ([rows]) => rows);
}
