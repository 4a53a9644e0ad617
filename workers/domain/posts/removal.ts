import { and, eq, sql } from "drizzle-orm";
import { bookmarks, favourites, posts } from "#db/schema/index.ts";
import { assertCan } from "../accounts/permissions.ts";
import { discardedFiles, releaseStatement } from "../media/attachments.ts";
import type { DomainContext } from "../context.ts";
import { commit } from "../events/outbox.ts";
import { DomainError } from "../errors.ts";
import { newestFirst, pageBounds, pageOf, type Page, type PageRequest } from "../pagination.ts";
import { showPosts, type ShownPost } from "./hydrate.ts";
import { showPost } from "./thread.ts";

/**
 * Deletes a post as the acting user: its author may (delete:post:own), and so may moderators (delete:post:any). Its reposts go with it in the same batch;
 * its tags, mentions, likes, bookmarks and poll cascade; replies stay (their parent shows as missing) and quotes of it
 * show "unavailable". Its attachments are deleted with their files, unless the author redrafts (keepMedia): then they
 * become the author's uploads again, for the new draft. Returns the post as it was, with its source.
 */
export async function deletePost(ctx: DomainContext, postId: string, options: { keepMedia?: boolean } = {}): Promise<ShownPost> {
  const actor = assertCan(ctx, "delete:post:own");
  const shown = await showPost(ctx, actor.id, postId);
  const ownPost = shown.post.authorId === actor.id;
  if (!ownPost) assertCan(ctx, "delete:post:any");
  const keepMedia = ownPost && options.keepMedia === true;
  const id = shown.post.id;
  const reposts = await ctx.db.select({ id: posts.id, authorId: posts.authorId }).from(posts).where(eq(posts.reblogOfId, id));
  await commit(
    ctx,
    [
      ctx.db.delete(posts).where(eq(posts.reblogOfId, id)),
      ...(keepMedia ? [releaseStatement(ctx, id, new Date())] : []),
      ctx.db.delete(posts).where(eq(posts.id, id)),
    ],
    [
      ...reposts.map((repost) => ({ type: "post.deleted" as const, payload: { postId: repost.id, authorId: repost.authorId } })),
      {
        type: "post.deleted",
        payload: { postId: id, authorId: shown.post.authorId, ...(shown.post.inReplyToId ? { parentId: shown.post.inReplyToId } : {}) },
      },
      ...(keepMedia ? [] : discardedFiles({ attachments: shown.media })),
    ],
  );
  return shown;
}

/** The author of a quoted post takes their post out of someone's quote: the quote then shows "unavailable". */
export async function detachQuote(ctx: DomainContext, quotedAuthorId: string, quotingPostId: string): Promise<void> {
  const quoting = await ctx.db.query.posts.findFirst({ where: eq(posts.id, quotingPostId) });
  const quoted = quoting?.quoteOfId ? await ctx.db.query.posts.findFirst({ where: eq(posts.id, quoting.quoteOfId) }) : undefined;
  if (!quoting || !quoted || quoted.authorId !== quotedAuthorId) throw new DomainError("not_found", "Record not found");
  await ctx.db.update(posts).set({ quoteDetached: true }).where(eq(posts.id, quotingPostId));
}

/** The viewer's bookmarks or likes, newest first, paged by the mark's insertion order (opaque cursors). */
export async function markedPosts(
  ctx: DomainContext,
  viewerId: string,
  which: "bookmarks" | "favourites",
  page: PageRequest,
): Promise<Page<ShownPost>> {
  const table = which === "bookmarks" ? bookmarks : favourites;
  const rowid = sql<number>`${table}.rowid`;
  const bounds = pageBounds(rowid, page, { numeric: true });
  const rows = await ctx.db
    .select({ cursor: rowid, post: posts })
    .from(table)
    .innerJoin(posts, eq(posts.id, table.postId))
    .where(and(eq(table.userId, viewerId), bounds.where))
    .orderBy(bounds.orderBy)
    .limit(page.limit);
  const newest = newestFirst(rows, bounds.ascending);
  const shown = await showPosts(
    ctx,
    viewerId,
    newest.map((row) => row.post),
  );
  return pageOf(
    shown,
    newest.map((row) => String(row.cursor)),
    page,
  );
}
