import { and, eq, isNull, or } from "drizzle-orm";
import { posts } from "#db/schema/index.ts";
import type { DomainContext } from "./context.ts";
import { newestFirst, pageBounds, type PageRequest } from "./pagination.ts";
import { viewPosts, type PostView } from "./posts.ts";

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

