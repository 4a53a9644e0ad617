import { and, asc, desc, eq, gt, lt, sql } from "drizzle-orm";
import { bookmarks, favourites, posts } from "#db/schema/index.ts";
import { can } from "../accounts/permissions.ts";
import { releaseStatement, removeAttachmentFiles } from "../media/attachments.ts";
import type { User } from "../accounts/users.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import type { PageRequest } from "../pagination.ts";
import { showPosts, type ShownPost } from "./hydrate.ts";
import { showPost } from "./thread.ts";

/**
 * Deletes a post: its author may, and so may moderators (delete:post:any). Its reposts go with it in the same batch;
 * its tags, mentions, likes, bookmarks and poll cascade; replies stay (their parent shows as missing) and quotes of it
 * show "unavailable". Its attachments are deleted with their files, unless the author redrafts (keepMedia): then they
 * become the author's uploads again, for the new draft. Returns the post as it was, with its source.
 */
export async function deletePost(
  ctx: DomainContext,
  actor: User,
  postId: string,
  options: { keepMedia?: boolean } = {},
): Promise<ShownPost> {
  const shown = await showPost(ctx, actor.id, postId);
  const ownPost = shown.post.authorId === actor.id;
  if (!ownPost && !can(actor, "delete:post:any")) {
    throw new DomainError("forbidden", "You can only delete your own posts");
  }
  const keepMedia = ownPost && options.keepMedia === true;
  await ctx.db.batch([
    ctx.db.delete(posts).where(eq(posts.reblogOfId, shown.post.id)),
    ...(keepMedia ? [releaseStatement(ctx, shown.post.id, new Date())] : []),
    ctx.db.delete(posts).where(eq(posts.id, shown.post.id)),
  ]);
  if (!keepMedia) await removeAttachmentFiles(ctx, shown.media);
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
export async function markedPosts(ctx: DomainContext, viewerId: string, which: "bookmarks" | "favourites", page: PageRequest) {
  const table = which === "bookmarks" ? bookmarks : favourites;
  const rowid = sql<number>`${table}.rowid`;
  const conditions = [eq(table.userId, viewerId)];
  if (page.max_id) conditions.push(lt(rowid, Number(page.max_id)));
  if (page.min_id) conditions.push(gt(rowid, Number(page.min_id)));
  else if (page.since_id) conditions.push(gt(rowid, Number(page.since_id)));
  const ascending = page.min_id !== undefined;
  const rows = await ctx.db
    .select({ cursor: rowid, post: posts })
    .from(table)
    .innerJoin(posts, eq(posts.id, table.postId))
    .where(and(...conditions))
    .orderBy(ascending ? asc(rowid) : desc(rowid))
    .limit(page.limit);
  if (ascending) rows.reverse();
  const shown = await showPosts(
    ctx,
    viewerId,
    rows.map((row) => row.post),
  );
  return { posts: shown, cursors: rows.map((row) => String(row.cursor)) };
}
