import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { newId } from "#db/ids.ts";
import { directConversationPosts, directConversations, mentions, posts, users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { newestFirst, pageBounds, pageOf, type Page, type PageRequest } from "../pagination.ts";
import { publicUserColumns, type PublicUser } from "../profiles/profile.ts";
import { showPosts, type ShownPost } from "./hydrate.ts";

/**
 * Mastodon's conversations: each reader's direct posts, grouped by thread and by who else takes part
 * (docs/decisions/0045). They are a view of posts, kept by the event pipeline; Perch's chats are separate.
 */

export type DirectConversationRow = typeof directConversations.$inferSelect;

/** A conversation as its reader sees it: the other people in it and its newest post (null if they may no longer see it). */
export interface DirectConversation {
  id: string;
  unread: boolean;
  accounts: PublicUser[];
  lastStatus: ShownPost | null;
}

/** What a change did to someone's conversation: whose, and which conversation (to tell them live). */
export interface ConversationChange {
  userId: string;
  conversationId: string;
}

/**
 * The thread a direct post belongs to: a reply joins the conversation its parent is in; a reply to a post outside any
 * conversation starts a thread named by that parent; anything else starts its own.
 */
async function threadOf(ctx: DomainContext, post: { id: string; inReplyToId: string | null }): Promise<string> {
  if (!post.inReplyToId) return post.id;
  const [parent] = await ctx.db
    .select({ threadId: directConversations.threadId })
    .from(directConversationPosts)
    .innerJoin(directConversations, eq(directConversations.id, directConversationPosts.conversationId))
    .where(eq(directConversationPosts.postId, post.inReplyToId))
    .limit(1);
  return parent?.threadId ?? post.inReplyToId;
}

/**
 * Files a new direct post into the conversations of its author and of everyone it mentions who may see it (a block
 * or a suspension leaves them out): the others' become unread. Idempotent: a conversation whose newest post is already
 * this one (or newer) is not touched again, so a redelivered event changes nothing and reports nothing.
 */
export async function fileDirectPost(ctx: DomainContext, postId: string): Promise<ConversationChange[]> {
  const post = await ctx.db.query.posts.findFirst({ where: eq(posts.id, postId) });
  if (!post || post.visibility !== "direct" || post.reblogOfId) return [];
  const mentioned = await ctx.db.select({ userId: mentions.userId }).from(mentions).where(eq(mentions.postId, postId));
  const people = [...new Set([post.authorId, ...mentioned.map((row) => row.userId)])];
  const readers = [post.authorId];
  for (const userId of people.filter((id) => id !== post.authorId)) {
    if ((await showPosts(ctx, userId, [post])).length > 0) readers.push(userId);
  }
  const threadId = await threadOf(ctx, post);
  const changes: ConversationChange[] = [];
  for (const userId of readers) {
    const participantIds = people
      .filter((id) => id !== userId)
      .sort()
      .join(",");
    const change = await fileFor(ctx, { userId, threadId, participantIds, postId, unread: userId !== post.authorId });
    if (change) changes.push(change);
  }
  return changes;
}

async function fileFor(
  ctx: DomainContext,
  input: { userId: string; threadId: string; participantIds: string; postId: string; unread: boolean },
): Promise<ConversationChange | null> {
  const now = new Date();
  const [created] = await ctx.db
    .insert(directConversations)
    .values({
      id: newId(now.getTime()),
      userId: input.userId,
      threadId: input.threadId,
      participantIds: input.participantIds,
      lastStatusId: input.postId,
      unread: input.unread,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: directConversations.id });
  const key = and(
    eq(directConversations.userId, input.userId),
    eq(directConversations.threadId, input.threadId),
    eq(directConversations.participantIds, input.participantIds),
  );
  const [moved] = created
    ? []
    : await ctx.db
        .update(directConversations)
        .set({ lastStatusId: input.postId, updatedAt: now, ...(input.unread ? { unread: true } : {}) })
        .where(and(key, lt(directConversations.lastStatusId, input.postId)))
        .returning({ id: directConversations.id });
  const [row] = await ctx.db.select({ id: directConversations.id }).from(directConversations).where(key);
  if (!row) return null;
  await ctx.db.insert(directConversationPosts).values({ conversationId: row.id, postId: input.postId }).onConflictDoNothing();
  return created || moved ? { userId: input.userId, conversationId: row.id } : null;
}

/**
 * After a direct post was deleted (its rows in conversations went with it): a conversation whose newest post it was
 * falls back to its newest remaining post, or goes when none is left, as Mastodon's do. Idempotent.
 */
export async function unfileDeletedPost(ctx: DomainContext, postId: string): Promise<ConversationChange[]> {
  const remaining = sql`(SELECT max(p.post_id) FROM direct_conversation_posts p WHERE p.conversation_id = ${directConversations.id})`;
  await ctx.db.delete(directConversations).where(and(eq(directConversations.lastStatusId, postId), sql`${remaining} IS NULL`));
  return ctx.db
    .update(directConversations)
    .set({ lastStatusId: sql`${remaining}`, updatedAt: new Date() })
    .where(eq(directConversations.lastStatusId, postId))
    .returning({ userId: directConversations.userId, conversationId: directConversations.id });
}

/** Shows conversation rows to their reader: the people in them and their newest posts, in one read each. */
async function showConversations(ctx: DomainContext, viewerId: string, rows: DirectConversationRow[]): Promise<DirectConversation[]> {
  if (rows.length === 0) return [];
  const personIds = [...new Set(rows.flatMap((row) => (row.participantIds ? row.participantIds.split(",") : [])))];
  const people = personIds.length ? await ctx.db.select(publicUserColumns).from(users).where(inArray(users.id, personIds)) : [];
  const statusRows = await ctx.db
    .select()
    .from(posts)
    .where(
      inArray(
        posts.id,
        rows.map((row) => row.lastStatusId),
      ),
    );
  const shown = new Map((await showPosts(ctx, viewerId, statusRows)).map((view) => [view.post.id, view]));
  return rows.map((row) => ({
    id: row.id,
    unread: row.unread,
    // A participant whose account is gone drops out of the list, as Mastodon's does.
    accounts: (row.participantIds ? row.participantIds.split(",") : []).flatMap((id) => people.filter((person) => person.id === id)),
    lastStatus: shown.get(row.lastStatusId) ?? null,
  }));
}

/**
 * The reader's conversations, the one with the newest post first, paginated by that post's id (max_id, since_id and
 * min_id name posts, as on Mastodon).
 */
export async function directConversationsOf(ctx: DomainContext, userId: string, page: PageRequest): Promise<Page<DirectConversation>> {
  const bounds = pageBounds(directConversations.lastStatusId, page);
  const rows = await ctx.db
    .select()
    .from(directConversations)
    .where(and(eq(directConversations.userId, userId), bounds.where))
    .orderBy(bounds.orderBy)
    .limit(page.limit);
  const ordered = newestFirst(rows, bounds.ascending);
  return pageOf(
    await showConversations(ctx, userId, ordered),
    ordered.map((row) => row.lastStatusId),
    page,
  );
}

async function ownRow(ctx: DomainContext, userId: string, conversationId: string): Promise<DirectConversationRow> {
  const row = await ctx.db.query.directConversations.findFirst({
    where: and(eq(directConversations.id, conversationId), eq(directConversations.userId, userId)),
  });
  // Someone else's conversation does not exist for this reader.
  if (!row) throw new DomainError("not_found", "Record not found");
  return row;
}

/** One of the reader's conversations, as the list and the live event show it. */
export async function directConversationOf(ctx: DomainContext, userId: string, conversationId: string): Promise<DirectConversation> {
  return (await showConversations(ctx, userId, [await ownRow(ctx, userId, conversationId)]))[0]!;
}

/** The reader's conversations among these ids (one removed meanwhile is left out): what a live event shows. */
export async function directConversationsById(ctx: DomainContext, userId: string, ids: string[]): Promise<DirectConversation[]> {
  if (ids.length === 0) return [];
  const rows = await ctx.db
    .select()
    .from(directConversations)
    .where(and(eq(directConversations.userId, userId), inArray(directConversations.id, ids)));
  return showConversations(ctx, userId, rows);
}

export async function markDirectConversationRead(ctx: DomainContext, userId: string, conversationId: string): Promise<DirectConversation> {
  await ownRow(ctx, userId, conversationId);
  await ctx.db.update(directConversations).set({ unread: false }).where(eq(directConversations.id, conversationId));
  return directConversationOf(ctx, userId, conversationId);
}

/** Removes a conversation from the reader's list (its posts stay); the next direct post in it brings it back. */
export async function removeDirectConversation(ctx: DomainContext, userId: string, conversationId: string): Promise<void> {
  await ownRow(ctx, userId, conversationId);
  await ctx.db.delete(directConversations).where(eq(directConversations.id, conversationId));
}
