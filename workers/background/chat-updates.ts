import { and, eq, inArray } from "drizzle-orm";
import { conversationMembers, messages } from "#db/schema/index.ts";
import type { DomainContext } from "#domain/context.ts";
import type { EventPayload } from "#domain/events/catalogue.ts";
import { notificationAudience, tellListeners } from "#domain/live/audience.ts";
import { conversationIdsOf, requestCount, totalUnread } from "#domain/messages/conversations.ts";
import { showMessages } from "#domain/messages/messages.ts";
import { presentChatMessage } from "#workers/api/entities/chat.ts";
import { conversationRoom } from "#workers/sockets/connect.ts";

/**
 * The chat's side effects beyond the message itself (docs/decisions/0035): each member's badge on their live socket
 * (the UserHub, as the event "perch.chat_unread"), and the room's edits, receipts and departures.
 */

/** Tells these people's listening hubs their unread total and waiting requests. */
async function sendBadges(ctx: DomainContext, userIds: string[]): Promise<number> {
  const listeners = await notificationAudience(ctx, userIds);
  const badges = new Map<string, string>();
  for (const userId of new Set(listeners.map((listener) => listener.userId))) {
    badges.set(userId, JSON.stringify({ unread: await totalUnread(ctx, userId), requests: await requestCount(ctx, userId) }));
  }
  return tellListeners(ctx, listeners, (listener) => ({ event: "perch.chat_unread", payload: badges.get(listener.userId) }));
}

/** A new message: every other member who has not muted the conversation gets their new badge. */
export async function badgeRecipients(ctx: DomainContext, { conversationId, senderId }: EventPayload<"message.sent">): Promise<number> {
  const rows = await ctx.db
    .select({ userId: conversationMembers.userId })
    .from(conversationMembers)
    .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.muted, false)));
  return sendBadges(
    ctx,
    rows.map((row) => row.userId).filter((id) => id !== senderId),
  );
}

/**
 * An edited, deleted, reacted-to or moderated message to everyone connected to its room: its sender gets it as they see
 * it (a held message's text, marked), the others as no one in particular does (without a held message's text, which
 * their pages then leave out); the room gives each their own card of a shared post.
 */
export async function streamMessageUpdate(
  ctx: DomainContext,
  { conversationId, messageId }: EventPayload<"message.updated">,
): Promise<number> {
  const rows = await ctx.db
    .select()
    .from(messages)
    .where(inArray(messages.id, [messageId]));
  const row = rows[0];
  if (!row) return 0;
  const [[own], [others]] = await Promise.all([showMessages(ctx, row.senderId, rows), showMessages(ctx, "", rows)]);
  const room = conversationRoom(ctx.env, conversationId);
  const told = await Promise.all([
    room.publishUpdate(presentChatMessage(own!), { only: [row.senderId] }),
    room.publishUpdate(presentChatMessage(others!), { except: [row.senderId] }),
  ]);
  return told[0] + told[1];
}

/** A read marker moved: a receipt in the room (if the reader shares them) and the reader's own badge. */
export async function streamReceipt(
  ctx: DomainContext,
  { conversationId, userId, messageId }: EventPayload<"conversation.read">,
): Promise<number> {
  const told = await conversationRoom(ctx.env, conversationId).receipt(conversationId, userId, messageId);
  return told + (await sendBadges(ctx, [userId]));
}

export function closeFormerMember(
  ctx: DomainContext,
  { conversationId, userId }: EventPayload<"conversation.member_left">,
): Promise<number> {
  return conversationRoom(ctx.env, conversationId).disconnect(userId);
}

/** Read receipts or presence changed: each room the person is in applies it to their open sockets. */
export async function refreshChatSettings(ctx: DomainContext, { userId }: EventPayload<"chat.settings_changed">): Promise<number> {
  let told = 0;
  for (const conversationId of await conversationIdsOf(ctx, userId)) {
    told += await conversationRoom(ctx.env, conversationId).refreshSettings(userId);
  }
  return told;
}
