import { inArray } from "drizzle-orm";
import { posts } from "#db/schema/index.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { viewPost } from "../posts/thread.ts";
import { viewPosts } from "../posts/posts.ts";
import { visibleTo } from "../posts/visibility.ts";

/** How much of a shared post's text its card shows. */
export const EXCERPT_CHARACTERS = 200;

/**
 * A post shared into a conversation, as one reader sees it (ADR 0055): built when the message is read, through the
 * same visibility rule as everywhere (canSeePost), so a post deleted, made private to them or whose author blocks them
 * shows as unavailable (`post` null) even though the sender could see it.
 */
export interface SharedPostCard {
  postId: string;
  post: {
    authorUsername: string;
    authorDisplayName: string;
    /** The start of the text; empty behind a content warning. */
    excerpt: string;
    spoilerText: string;
    /** The first attachment's preview, in R2; none behind a content warning or for a sensitive post. */
    thumbnailKey: string | null;
    thumbnailDescription: string;
  } | null;
}

function excerptOf(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= EXCERPT_CHARACTERS ? flat : `${flat.slice(0, EXCERPT_CHARACTERS - 1).trimEnd()}…`;
}

/** The cards of these posts as one reader sees them, by post id; posts that are gone or hidden from them are unavailable. */
export async function sharedPostCards(ctx: DomainContext, readerId: string, postIds: string[]): Promise<Map<string, SharedPostCard>> {
  const ids = [...new Set(postIds)];
  const cards = new Map<string, SharedPostCard>(ids.map((postId) => [postId, { postId, post: null }]));
  if (ids.length === 0) return cards;
  const rows = await ctx.db
    .select()
    .from(posts)
    .where(inArray(posts.id, inIds(ids)));
  for (const view of await visibleTo(ctx, readerId, await viewPosts(ctx, rows))) {
    const { post, author, media } = view;
    const hidden = post.spoilerText !== "" || post.sensitive;
    const first = media[0];
    cards.set(post.id, {
      postId: post.id,
      post: {
        authorUsername: author.username,
        authorDisplayName: author.displayName,
        excerpt: post.spoilerText ? "" : excerptOf(post.text),
        spoilerText: post.spoilerText,
        thumbnailKey: !hidden && first ? (first.previewKey ?? (first.type === "video" ? null : first.key)) : null,
        thumbnailDescription: first?.description ?? "",
      },
    });
  }
  return cards;
}

/**
 * The post a sender shares: one they may see now (a repost shares its original). Anything else is refused as the
 * message's own problem (422), without telling whether the post exists.
 */
export async function shareablePostId(ctx: DomainContext, senderId: string, postId: string): Promise<string> {
  try {
    const view = await viewPost(ctx, senderId, postId);
    return view.post.reblogOfId ?? view.post.id;
  } catch (error) {
    if (!(error instanceof DomainError) || error.kind !== "not_found") throw error;
    const message = "That post is not available to share";
    throw new DomainError("unprocessable", message, { fields: { shared_status_id: message } });
  }
}
