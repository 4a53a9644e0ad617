import { and, eq, inArray, isNull, or } from "drizzle-orm";
import { posts } from "#db/schema/index.ts";
import type { DomainContext } from "./context.ts";
import type { Relationship } from "./graph/relationships.ts";
import { newestFirst, pageBounds, type PageRequest } from "./pagination.ts";
import { viewPosts, type PostView, type Visibility } from "./posts/posts.ts";

/**
 * Everyone's public posts, newest first, as Mastodon's public timeline shows them: replies only when they continue
 * the author's own thread. Uses the partial index posts_public_idx.
 */
export async function publicTimeline(ctx: DomainContext, page: PageRequest): Promise<PostView[]> {
  const bounds = pageBounds(posts.id, page);
  const rows = await ctx.db
    .select()
    .from(posts)
    .where(
      and(
        eq(posts.visibility, "public"),
        or(isNull(posts.inReplyToId), eq(posts.inReplyToAuthorId, posts.authorId)),
        bounds.where,
      ),
    )
    .orderBy(bounds.orderBy)
    .limit(page.limit);
  return viewPosts(ctx, newestFirst(rows, bounds.ascending));
}


/**
 * Which of an author's posts a viewer may read on their profile: everything for the author; public and unlisted for
 * anyone; followers-only for followers; friends-only for friends. (Direct posts appear only to those mentioned,
 * in their conversations, never on a profile.)
 */
export function profileVisibilitiesFor(viewerId: string | null, authorId: string, relationship: Relationship | null): Visibility[] {
  if (viewerId === authorId) return ["public", "unlisted", "private", "friends", "direct"];
  const visible: Visibility[] = ["public", "unlisted"];
  if (relationship?.following) visible.push("private");
  if (relationship?.friends) visible.push("friends");
  return visible;
}

/** An author's posts as the viewer may see them, newest first, with the same cursors as every timeline. */
export async function authorTimeline(
  ctx: DomainContext,
  authorId: string,
  visible: Visibility[],
  page: PageRequest,
): Promise<PostView[]> {
  const bounds = pageBounds(posts.id, page);
  const rows = await ctx.db
    .select()
    .from(posts)
    .where(and(eq(posts.authorId, authorId), inArray(posts.visibility, visible), bounds.where))
    .orderBy(bounds.orderBy)
    .limit(page.limit);
  return viewPosts(ctx, newestFirst(rows, bounds.ascending));
}
