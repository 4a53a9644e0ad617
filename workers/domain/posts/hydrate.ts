import { inArray } from "drizzle-orm";
import { posts } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { reactionCounts, viewerStates, type ViewerState } from "./engagement.ts";
import { viewPosts, type Post, type PostView } from "./posts.ts";
import { showPoll, type ShownPoll } from "./polls.ts";
import { visibleTo } from "./visibility.ts";

/** A post with its poll as the viewer sees it. */
export type QuotedPost = PostView & { poll: ShownPoll | null };

/** A post ready for any door: the original of a repost, the quoted post (or why it is missing), the viewer's marks. */
export interface ShownPost extends QuotedPost {
  reblog: ShownPost | null;
  /** null when not a quote; `view: null` when the quoted post is gone, hidden from the viewer, or detached. */
  quote: { view: QuotedPost | null } | null;
  viewer: ViewerState | null;
  reactions: { emoji: string; count: number }[];
}

/**
 * Turns post rows into what the doors show, for one viewer: each visible post with its author, tags and mentions; a
 * repost with its original (dropped when the viewer may not see the original); a quote with the quoted post, or
 * "unavailable" when it was deleted, detached or is not visible; plus the viewer's likes, reposts and bookmarks and
 * the reaction counts. A fixed number of round trips, whatever the number of posts.
 */
export async function showPosts(ctx: DomainContext, viewerId: string | null, rows: Post[]): Promise<ShownPost[]> {
  const visible = await visibleTo(ctx, viewerId, await viewPosts(ctx, rows));
  const linkedIds = [
    ...new Set(visible.flatMap((view) => [view.post.reblogOfId, view.post.quoteOfId]).filter((id): id is string => Boolean(id))),
  ];
  const linkedRows = linkedIds.length > 0 ? await ctx.db.select().from(posts).where(inArray(posts.id, linkedIds)) : [];
  const linked = new Map((await visibleTo(ctx, viewerId, await viewPosts(ctx, linkedRows))).map((view) => [view.post.id, view]));

  const targetIds = visible.map((view) => view.post.reblogOfId ?? view.post.id).concat([...linked.keys()]);
  const [states, counts] = await Promise.all([viewerStates(ctx, viewerId, targetIds), reactionCounts(ctx, targetIds)]);
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
    };
  };
  return visible.flatMap((view) => {
    if (!view.post.reblogOfId) return [decorate(view)];
    const original = linked.get(view.post.reblogOfId);
    return original ? [{ ...decorate(view), reblog: decorate(original) }] : [];
  });
}
