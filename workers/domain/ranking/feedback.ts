import { and, eq } from "drizzle-orm";
import { showLessPosts, uninterestingAuthors } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { viewPost } from "../posts/thread.ts";
import { viewAccount } from "../profiles/access.ts";

/**
 * The viewer's feedback on their For-you feed (docs/ranking.md). Each is private, changes nothing but the viewer's own
 * ranking, can be given twice without effect, and has an undo.
 */

/** "Show less like this": a post the viewer may see (the original, for a repost), not their own. */
export async function showLess(ctx: DomainContext, viewerId: string, postId: string): Promise<{ postId: string }> {
  const view = await viewPost(ctx, viewerId, postId);
  const target = view.post.reblogOfId ? await viewPost(ctx, viewerId, view.post.reblogOfId) : view;
  if (target.post.authorId === viewerId) throw new DomainError("unprocessable", "Your own posts are never in your For-you feed");
  await ctx.db
    .insert(showLessPosts)
    .values({ userId: viewerId, postId: target.post.id, authorId: target.post.authorId, createdAt: new Date() })
    .onConflictDoNothing();
  return { postId: target.post.id };
}

/** Takes a "show less like this" back; the post returns to its place in the feed. */
export async function undoShowLess(ctx: DomainContext, viewerId: string, postId: string): Promise<{ postId: string }> {
  const view = await viewPost(ctx, viewerId, postId);
  const targetId = view.post.reblogOfId ?? view.post.id;
  await ctx.db.delete(showLessPosts).where(and(eq(showLessPosts.userId, viewerId), eq(showLessPosts.postId, targetId)));
  return { postId: targetId };
}

/** "Not interested in this author": an account the viewer can find (viewAccount), not themselves. */
export async function notInterested(ctx: DomainContext, viewerId: string, authorId: string): Promise<{ accountId: string }> {
  const { account } = await viewAccount(ctx, viewerId, { id: authorId });
  if (account.id === viewerId) throw new DomainError("unprocessable", "You cannot turn away from your own posts");
  await ctx.db.insert(uninterestingAuthors).values({ userId: viewerId, authorId: account.id, createdAt: new Date() }).onConflictDoNothing();
  return { accountId: account.id };
}

export async function undoNotInterested(ctx: DomainContext, viewerId: string, authorId: string): Promise<{ accountId: string }> {
  const { account } = await viewAccount(ctx, viewerId, { id: authorId });
  await ctx.db
    .delete(uninterestingAuthors)
    .where(and(eq(uninterestingAuthors.userId, viewerId), eq(uninterestingAuthors.authorId, account.id)));
  return { accountId: account.id };
}
