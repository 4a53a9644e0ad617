import { and, desc, eq, inArray, isNotNull, isNull, lt, ne, or, sql } from "drizzle-orm";
import { z } from "zod";
import { newId } from "#db/ids.ts";
import { conversationMembers, conversations, messageDeletions, messageReactions, messages } from "#db/schema/index.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { commit } from "../events/outbox.ts";
import { eitherBlocks } from "../graph/relationships.ts";
import { markedSensitive } from "../moderation/sensitized-accounts.ts";
import { pageBounds, pageOf, newestFirst, type Page, type PageRequest } from "../pagination.ts";
import { storyQuotes, type StoryQuote } from "../stories/quotes.ts";
import {
  attachmentsOfMessages,
  attachToMessage,
  discardMessageAttachments,
  hasAttachments,
  sendableUploads,
  type MessageAttachmentView,
} from "./attachments.ts";
import { assertMayBecomeActive, membershipOf, membersOf } from "./conversations.ts";
import { decryptBody, encryptBody, keyRingOf } from "./encryption.ts";
import { shareablePostId, sharedPostCards, type SharedPostCard } from "./shared-posts.ts";
import { seenStatement } from "./settings.ts";

/** The longest message, in characters (documented in the API and ADR 0035). */
export const MESSAGE_MAX_CHARACTERS = 4000;
/** Search decrypts at most this many of a conversation's newest messages (docs/decisions/0035). */
export const SEARCH_WINDOW = 500;
export const MAX_REACTIONS_PER_MESSAGE_PER_USER = 8;

export type MessageRow = typeof messages.$inferSelect;

export interface Reaction {
  emoji: string;
  count: number;
  me: boolean;
}

/**
 * A message as a member sees it: its text decrypted (null once deleted for everyone, removed by moderators, or held
 * for review and not theirs; empty for a message that is only attachments or a shared post), with its reactions,
 * attachments and the card of a shared post (none of which a member sees of a message whose text they may not see).
 */
export interface MessageView {
  id: string;
  conversationId: string;
  senderId: string;
  clientId: string;
  text: string | null;
  replyToId: string | null;
  editedAt: Date | null;
  deletedAt: Date | null;
  createdAt: Date;
  /** held: only its sender sees it until a moderator decides; removed: by moderators, for everyone (ADR 0054). */
  moderation: MessageRow["moderationState"];
  /** Its attachments are sensitive: shown covered, as the reader's media display says (ADR 0054). */
  sensitive: boolean;
  reactions: Reaction[];
  /** A reply to a story quotes the item, as this reader may see it (ADR 0043). */
  story: StoryQuote | null;
  attachments: MessageAttachmentView[];
  /** A shared post's card, as this reader may see the post (ADR 0055). */
  sharedPost: SharedPostCard | null;
}

const textOf = (minimum: number) =>
  z
    .string()
    .transform((text) => text.trim())
    .pipe(
      z
        .string()
        .min(minimum, { message: "A message cannot be empty" })
        .max(MESSAGE_MAX_CHARACTERS, { message: `A message is at most ${MESSAGE_MAX_CHARACTERS} characters` }),
    );
export const messageTextSchema = textOf(1);
/** A message with attachments or a shared post may have no text. */
const captionSchema = textOf(0);
export const clientIdSchema = z.string().trim().min(1).max(64);
export const emojiSchema = z.string().trim().min(1).max(32);

function checked<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? "Invalid";
    throw new DomainError("unprocessable", message, { fields: { [field]: message } });
  }
  return parsed.data;
}

const ring = (ctx: DomainContext) => keyRingOf(ctx.config.MESSAGE_ENCRYPTION_KEY);

/** Whether moderation keeps a message's content from a reader: what it removed from everyone, what it holds from all but its sender. */
const moderationHides = (viewerId: string, row: MessageRow) =>
  row.moderationState === "removed" || (row.moderationState === "held" && row.senderId !== viewerId);

/** The text a row holds for its reader. */
async function textFor(ctx: DomainContext, viewerId: string, row: MessageRow): Promise<string | null> {
  if (row.body === null || moderationHides(viewerId, row)) return null;
  return decryptBody(ring(ctx), { ...row, body: row.body });
}

/** The messages a member may see listed: all but those moderation holds from everyone but their sender. */
const listedFor = (userId: string) =>
  or(isNull(messages.moderationState), ne(messages.moderationState, "held"), eq(messages.senderId, userId));

/** Decrypts rows and adds their reactions, as `viewerId` sees them. */
export async function showMessages(ctx: DomainContext, viewerId: string, rows: MessageRow[]): Promise<MessageView[]> {
  const storyItemIds = rows.map((row) => row.storyItemId).filter((id): id is string => Boolean(id));
  const sharedPostIds = rows.map((row) => row.sharedPostId).filter((id): id is string => Boolean(id));
  const [reactions, quotes, attachments, cards] = await Promise.all([
    rows.length === 0
      ? []
      : ctx.db
          .select()
          .from(messageReactions)
          .where(
            inArray(
              messageReactions.messageId,
              rows.map((row) => row.id),
            ),
          ),
    storyQuotes(ctx, viewerId || null, storyItemIds),
    attachmentsOfMessages(
      ctx,
      rows.map((row) => row.id),
    ),
    sharedPostCards(ctx, viewerId, sharedPostIds),
  ]);
  return Promise.all(
    rows.map(async (row) => {
      const own = reactions.filter((reaction) => reaction.messageId === row.id);
      const emojis = [...new Set(own.map((reaction) => reaction.emoji))];
      return {
        id: row.id,
        conversationId: row.conversationId,
        senderId: row.senderId,
        clientId: row.clientId,
        text: await textFor(ctx, viewerId, row),
        replyToId: row.replyToId,
        editedAt: row.editedAt,
        deletedAt: row.deletedAt,
        createdAt: row.createdAt,
        moderation: row.moderationState,
        sensitive: row.sensitive,
        reactions: emojis.map((emoji) => ({
          emoji,
          count: own.filter((reaction) => reaction.emoji === emoji).length,
          me: own.some((reaction) => reaction.emoji === emoji && reaction.userId === viewerId),
        })),
        story: row.storyItemId ? (quotes.get(row.storyItemId) ?? null) : null,
        attachments: moderationHides(viewerId, row) ? [] : (attachments.get(row.id) ?? []),
        sharedPost: row.sharedPostId && !moderationHides(viewerId, row) ? (cards.get(row.sharedPostId) ?? null) : null,
      };
    }),
  );
}

export interface SendInput {
  conversationId: string;
  senderId: string;
  clientId: string;
  text: string;
  replyToId?: string | null;
  /** Uploads of the sender's into this conversation (uploadMessageAttachment), at most four. */
  mediaIds?: string[];
  /** A post to share, shown as a card (ADR 0055). */
  sharedPostId?: string | null;
  /** The sender marks the attachments sensitive: members see them behind a cover. */
  sensitive?: boolean;
  /** Set only by a reply to a story (stories/replies.ts), never from what a client sends. */
  storyItemId?: string | null;
}

/** What a send did: the message, whether it already existed (a retry), and who is a member now. */
export interface Sent {
  message: MessageView;
  duplicate: boolean;
  memberIds: string[];
}

/**
 * Stores a message: text, attachments, a shared post, or several (text may be empty when there is something else). A
 * retry with the same client id returns the stored one instead of a second. Sending to a request accepts it; in a
 * one-to-one conversation a block either way, or the other having left, refuses. `id` is minted by the conversation's
 * room, which serialises sends, so id order is the order members see.
 */
export async function sendMessage(ctx: DomainContext, input: SendInput, id = newId()): Promise<Sent> {
  // Membership first: to a non-member the conversation does not exist (404), whatever they sent.
  const { conversation, member } = await membershipOf(ctx, input.conversationId, input.senderId);
  const hasMore = (input.mediaIds?.length ?? 0) > 0 || Boolean(input.sharedPostId);
  const text = checked(hasMore ? captionSchema : messageTextSchema, input.text, "text");
  const clientId = checked(clientIdSchema, input.clientId, "client_id");
  const members = await membersOf(ctx, conversation.id);
  const memberIds = members.map((row) => row.userId);
  const existing = await byClientId(ctx, conversation.id, input.senderId, clientId);
  if (existing) return { message: (await showMessages(ctx, input.senderId, [existing]))[0]!, duplicate: true, memberIds };
  if (conversation.kind === "direct") {
    const other = conversation.directKey!.split(":").find((userId) => userId !== input.senderId)!;
    if (!memberIds.includes(other)) throw new DomainError("forbidden", "This person has left the conversation", { code: "recipient_left" });
    if (await eitherBlocks(ctx, input.senderId, other))
      throw new DomainError("forbidden", "You cannot message this account", { code: "blocked" });
  }
  // Sending to a request accepts it, under the same rule as accepting.
  if (member.state === "request") await assertMayBecomeActive(ctx, conversation, input.senderId);
  if (input.replyToId) await replyTarget(ctx, conversation.id, input.replyToId);
  const uploads = await sendableUploads(ctx, conversation.id, input.senderId, input.mediaIds ?? []);
  const sharedPostId = input.sharedPostId ? await shareablePostId(ctx, input.senderId, input.sharedPostId) : null;
  // Only attachments are covered: without any there is nothing to mark.
  const sensitive = await markedSensitive(ctx, input.senderId, Boolean(input.sensitive) && uploads.length > 0, uploads.length > 0);
  const now = new Date();
  const sealed = await encryptBody(ring(ctx), { conversationId: conversation.id, id }, text);
  const ownRow = and(eq(conversationMembers.conversationId, conversation.id), eq(conversationMembers.userId, input.senderId));
  const [inserted] = await commit(
    ctx,
    [
      ctx.db
        .insert(messages)
        .values({
          id,
          conversationId: conversation.id,
          senderId: input.senderId,
          clientId,
          ...sealed,
          replyToId: input.replyToId ?? null,
          storyItemId: input.storyItemId ?? null,
          sharedPostId,
          sensitive,
          createdAt: now,
        })
        .onConflictDoNothing()
        .returning(),
      ...attachToMessage(ctx, id, uploads),
      ctx.db
        .update(conversations)
        .set({ lastMessageId: sql`max(coalesce(${conversations.lastMessageId}, ''), ${id})`, updatedAt: now })
        .where(eq(conversations.id, conversation.id)),
      ctx.db.update(conversationMembers).set({ lastReadId: id, state: "active", archived: false }).where(ownRow),
      // A new message brings the conversation back out of everyone's archive.
      ctx.db.update(conversationMembers).set({ archived: false }).where(eq(conversationMembers.conversationId, conversation.id)),
      seenStatement(ctx, input.senderId, now),
    ],
    [{ type: "message.sent", payload: { messageId: id, conversationId: conversation.id, senderId: input.senderId } }],
  );
  if (inserted.length === 0) {
    // A concurrent retry stored it first (the unique client id held): answer with that one.
    const stored = await byClientId(ctx, conversation.id, input.senderId, clientId);
    return { message: (await showMessages(ctx, input.senderId, [stored!]))[0]!, duplicate: true, memberIds };
  }
  return { message: (await showMessages(ctx, input.senderId, inserted))[0]!, duplicate: false, memberIds };
}

/**
 * The message a send with this client id already stored, if any (a member's retry), as sendMessage would answer it.
 * The room asks this when the rate limit refuses a send, so a retry of what was stored is never refused.
 */
export async function alreadySent(ctx: DomainContext, input: Pick<SendInput, "conversationId" | "senderId" | "clientId">) {
  const { conversation } = await membershipOf(ctx, input.conversationId, input.senderId);
  const clientId = checked(clientIdSchema, input.clientId, "client_id");
  const existing = await byClientId(ctx, conversation.id, input.senderId, clientId);
  if (!existing) return undefined;
  const memberIds = (await membersOf(ctx, conversation.id)).map((row) => row.userId);
  return { message: (await showMessages(ctx, input.senderId, [existing]))[0]!, duplicate: true, memberIds } satisfies Sent;
}

function byClientId(ctx: DomainContext, conversationId: string, senderId: string, clientId: string) {
  return ctx.db.query.messages.findFirst({
    where: and(eq(messages.conversationId, conversationId), eq(messages.senderId, senderId), eq(messages.clientId, clientId)),
  });
}

async function replyTarget(ctx: DomainContext, conversationId: string, messageId: string): Promise<MessageRow> {
  const row = await ctx.db.query.messages.findFirst({
    where: and(eq(messages.id, messageId), eq(messages.conversationId, conversationId)),
  });
  if (!row)
    throw new DomainError("unprocessable", "The message replied to is not in this conversation", { fields: { reply_to_id: "Not found" } });
  return row;
}

/** A message of a conversation the actor is a member of, and one listed for them; anything else is not found. */
export async function memberMessage(ctx: DomainContext, userId: string, conversationId: string, messageId: string): Promise<MessageRow> {
  await membershipOf(ctx, conversationId, userId);
  const row = await ctx.db.query.messages.findFirst({
    where: and(eq(messages.id, messageId), eq(messages.conversationId, conversationId), listedFor(userId)),
  });
  if (!row) throw new DomainError("not_found", "Message not found");
  return row;
}

export async function getMessage(ctx: DomainContext, userId: string, conversationId: string, messageId: string): Promise<MessageView> {
  return (await showMessages(ctx, userId, [await memberMessage(ctx, userId, conversationId, messageId)]))[0]!;
}

const updated = (conversationId: string, messageId: string) => [
  { type: "message.updated" as const, payload: { messageId, conversationId } },
];

/** Its sender edits a message (not one deleted for everyone). */
export async function editMessage(
  ctx: DomainContext,
  userId: string,
  conversationId: string,
  messageId: string,
  newText: string,
): Promise<MessageView> {
  const row = await memberMessage(ctx, userId, conversationId, messageId);
  if (row.senderId !== userId) throw new DomainError("forbidden", "Only its sender may edit a message");
  if (row.deletedAt) throw new DomainError("unprocessable", "A deleted message cannot be edited");
  if (row.moderationState === "removed") throw new DomainError("unprocessable", "A message removed by moderators cannot be edited");
  // A message that carries something else may lose its text, as it could be sent without any.
  const hasMore = Boolean(row.sharedPostId) || (await hasAttachments(ctx, row.id));
  const text = checked(hasMore ? captionSchema : messageTextSchema, newText, "text");
  const sealed = await encryptBody(ring(ctx), row, text);
  await commit(
    ctx,
    [
      ctx.db
        .update(messages)
        .set({ ...sealed, editedAt: new Date() })
        .where(eq(messages.id, messageId)),
    ],
    [...updated(conversationId, messageId), { type: "message.edited", payload: { messageId, conversationId, senderId: userId } }],
  );
  return getMessage(ctx, userId, conversationId, messageId);
}

/**
 * Deletes a message for oneself (hidden from them only), or, by its sender, for everyone: the body is erased and a
 * "deleted" marker stays in its place.
 */
export async function deleteMessage(
  ctx: DomainContext,
  userId: string,
  conversationId: string,
  messageId: string,
  forEveryone: boolean,
): Promise<void> {
  const row = await memberMessage(ctx, userId, conversationId, messageId);
  if (!forEveryone) {
    await ctx.db.insert(messageDeletions).values({ messageId, userId }).onConflictDoNothing();
    return;
  }
  if (row.senderId !== userId) throw new DomainError("forbidden", "Only its sender may delete a message for everyone");
  if (row.deletedAt) return;
  // Its attachments go with the text, rows and files alike: a deleted message shows nothing of what it was.
  const attachments = await discardMessageAttachments(ctx, messageId);
  await commit(
    ctx,
    [
      ctx.db.update(messages).set({ body: null, sharedPostId: null, deletedAt: new Date() }).where(eq(messages.id, messageId)),
      ctx.db.delete(messageReactions).where(eq(messageReactions.messageId, messageId)),
      ...attachments.statements,
    ],
    [...updated(conversationId, messageId), ...attachments.events],
  );
}

export async function react(
  ctx: DomainContext,
  userId: string,
  conversationId: string,
  messageId: string,
  emoji: string,
): Promise<MessageView> {
  const value = checked(emojiSchema, emoji, "emoji");
  const row = await memberMessage(ctx, userId, conversationId, messageId);
  if (row.deletedAt || row.moderationState === "removed") throw new DomainError("unprocessable", "A deleted message cannot be reacted to");
  const [mine] = await ctx.db
    .select({ count: sql<number>`count(*)` })
    .from(messageReactions)
    .where(and(eq(messageReactions.messageId, messageId), eq(messageReactions.userId, userId)));
  if (Number(mine?.count ?? 0) >= MAX_REACTIONS_PER_MESSAGE_PER_USER) {
    throw new DomainError("unprocessable", `At most ${MAX_REACTIONS_PER_MESSAGE_PER_USER} reactions per message`);
  }
  await commit(
    ctx,
    [ctx.db.insert(messageReactions).values({ messageId, userId, emoji: value, createdAt: new Date() }).onConflictDoNothing()],
    updated(conversationId, messageId),
  );
  return getMessage(ctx, userId, conversationId, messageId);
}

export async function unreact(
  ctx: DomainContext,
  userId: string,
  conversationId: string,
  messageId: string,
  emoji: string,
): Promise<MessageView> {
  await memberMessage(ctx, userId, conversationId, messageId);
  await commit(
    ctx,
    [
      ctx.db
        .delete(messageReactions)
        .where(and(eq(messageReactions.messageId, messageId), eq(messageReactions.userId, userId), eq(messageReactions.emoji, emoji))),
    ],
    updated(conversationId, messageId),
  );
  return getMessage(ctx, userId, conversationId, messageId);
}

/** Moves the member's read marker forward to a message (never back). */
export async function markRead(ctx: DomainContext, userId: string, conversationId: string, messageId: string): Promise<void> {
  await memberMessage(ctx, userId, conversationId, messageId);
  await commit(
    ctx,
    [
      ctx.db
        .update(conversationMembers)
        .set({ lastReadId: messageId })
        .where(
          and(
            eq(conversationMembers.conversationId, conversationId),
            eq(conversationMembers.userId, userId),
            sql`coalesce(${conversationMembers.lastReadId}, '') < ${messageId}`,
          ),
        ),
    ],
    [{ type: "conversation.read", payload: { conversationId, userId, messageId } }],
  );
}

/** A conversation's history, newest first, by cursor; messages the member deleted for themselves are left out. */
export async function history(ctx: DomainContext, userId: string, conversationId: string, page: PageRequest): Promise<Page<MessageView>> {
  await membershipOf(ctx, conversationId, userId);
  const bounds = pageBounds(messages.id, page);
  const rows = await ctx.db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        bounds.where,
        listedFor(userId),
        sql`NOT EXISTS (SELECT 1 FROM message_deletions d WHERE d.user_id = ${userId} AND d.message_id = ${messages.id})`,
      ),
    )
    .orderBy(bounds.orderBy)
    .limit(page.limit);
  const ordered = newestFirst(rows, bounds.ascending);
  return pageOf(
    await showMessages(ctx, userId, ordered),
    ordered.map((row) => row.id),
    page,
  );
}

/**
 * Messages containing a phrase (case-insensitive), newest first. Bodies are encrypted, so no index can be built over
 * them: search decrypts the newest SEARCH_WINDOW messages (before `before`, to look further back) and matches there.
 */
export async function searchConversation(
  ctx: DomainContext,
  userId: string,
  conversationId: string,
  query: string,
  before?: string,
): Promise<{ matches: MessageView[]; searchedBefore: string | null }> {
  const phrase = query.trim().toLowerCase();
  if (phrase.length === 0) throw new DomainError("unprocessable", "Search for at least one character", { fields: { q: "Required" } });
  await membershipOf(ctx, conversationId, userId);
  const rows = await ctx.db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        isNotNull(messages.body),
        listedFor(userId),
        before ? lt(messages.id, before) : undefined,
      ),
    )
    .orderBy(desc(messages.id))
    .limit(SEARCH_WINDOW);
  const shown = await showMessages(ctx, userId, rows);
  const hidden = new Set(
    (
      await ctx.db
        .select({ id: messageDeletions.messageId })
        .from(messageDeletions)
        .where(and(eq(messageDeletions.userId, userId), inArray(messageDeletions.messageId, rows.map((row) => row.id).concat(""))))
    ).map((row) => row.id),
  );
  return {
    matches: shown.filter((message) => !hidden.has(message.id) && message.text?.toLowerCase().includes(phrase)),
    searchedBefore: rows.length === SEARCH_WINDOW ? rows.at(-1)!.id : null,
  };
}

/**
 * Where the history page that ends at each of these messages begins, as a `max_id` cursor: the id of the next newer
 * message of the conversation, or null for the newest (the first page holds it). A search result opens the history
 * there.
 */
export async function cursorsEndingAt(
  ctx: DomainContext,
  conversationId: string,
  messageIds: string[],
): Promise<Map<string, string | null>> {
  if (messageIds.length === 0) return new Map();
  const rows = await ctx.db
    .select({
      id: messages.id,
      // Spelled out: drizzle leaves a lone table's columns unqualified, which the subquery would read as its own.
      next: sql<string | null>`(SELECT min(n.id) FROM messages n WHERE n.conversation_id = ${conversationId} AND n.id > "messages"."id")`,
    })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), inArray(messages.id, inIds(messageIds))));
  return new Map(rows.map((row) => [row.id, row.next]));
}

/** Members other than the sender: whom a message is for. */
export async function recipientsOf(ctx: DomainContext, conversationId: string, senderId: string) {
  return ctx.db
    .select({ userId: conversationMembers.userId, muted: conversationMembers.muted, state: conversationMembers.state })
    .from(conversationMembers)
    .where(and(eq(conversationMembers.conversationId, conversationId), ne(conversationMembers.userId, senderId)));
}

/** Everything someone sent, decrypted, oldest first: their part of the account export. */
export async function messagesSentBy(ctx: DomainContext, userId: string) {
  const rows = await ctx.db.select().from(messages).where(eq(messages.senderId, userId)).orderBy(messages.id);
  return Promise.all(
    rows.map(async (row) => ({
      id: row.id,
      conversationId: row.conversationId,
      // Their own words, whatever moderation decided about showing them to others.
      text: row.body === null ? null : await decryptBody(ring(ctx), { ...row, body: row.body }),
      replyToId: row.replyToId,
      sharedPostId: row.sharedPostId,
      createdAt: row.createdAt,
      editedAt: row.editedAt,
      deletedAt: row.deletedAt,
    })),
  );
}

/**
 * One message's text as the moderation pipeline and moderators read it (whatever its state; null once deleted), with
 * no membership check: only the moderation consumer and permission-checked review code call it (ADR 0054). The
 * plaintext is never stored anywhere else.
 */
export async function messageForModeration(
  ctx: DomainContext,
  messageId: string,
): Promise<{ row: MessageRow; text: string | null } | null> {
  const row = await ctx.db.query.messages.findFirst({ where: eq(messages.id, messageId) });
  if (!row) return null;
  return { row, text: row.body === null ? null : await decryptBody(ring(ctx), { ...row, body: row.body }) };
}
