import { eq } from "drizzle-orm";
import { newId } from "#db/ids.ts";
import { storyReplies } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { commit } from "../events/outbox.ts";
import { openDirect } from "../messages/conversations.ts";
import { decryptBody, encryptBody, keyRingOf } from "../messages/encryption.ts";
import type { SendInput } from "../messages/messages.ts";
import { liveItemFor } from "./items.ts";
import { storyReplySchema } from "./limits.ts";

const ring = (ctx: DomainContext) => keyRingOf(ctx.config.MESSAGE_ENCRYPTION_KEY);

/**
 * Replies to a live item you may see, or reacts to it with an emoji: it goes to the author as a direct message quoting
 * the item (ADR 0043). The one-to-one conversation is opened (or reused) here, so the author's "who may message me"
 * and blocks answer now, as they would to any first message: refused, or delivered as a message request. The message
 * itself is posted by the `story.replied` handler, through the conversation's room like every message.
 */
export async function replyToStory(
  ctx: DomainContext,
  fromUserId: string,
  itemId: string,
  input: { kind: "reply" | "reaction"; text: string },
): Promise<{ replyId: string; conversationId: string }> {
  const reply = storyReplySchema.parse(input);
  const { item, standing } = await liveItemFor(ctx, fromUserId, itemId);
  if (standing.isAuthor) throw new DomainError("unprocessable", "You cannot reply to your own story");
  const conversation = await openDirect(ctx, fromUserId, item.authorId);
  const id = newId();
  const sealed = await encryptBody(ring(ctx), { conversationId: conversation.id, id }, reply.text);
  await commit(
    ctx,
    [
      ctx.db.insert(storyReplies).values({
        id,
        itemId,
        fromUserId,
        kind: reply.kind,
        text: sealed.body,
        keyVersion: sealed.keyVersion,
        conversationId: conversation.id,
        createdAt: new Date(),
      }),
    ],
    [{ type: "story.replied", payload: { replyId: id, itemId, authorId: item.authorId, fromUserId } }],
  );
  return { replyId: id, conversationId: conversation.id };
}

/**
 * The message a waiting reply becomes, or null when there is none to send (already sent, or its item deleted since).
 * Its client id is derived from the reply, so a redelivered event finds the message already stored instead of a second.
 */
export async function pendingStoryReply(ctx: DomainContext, replyId: string): Promise<SendInput | null> {
  const row = await ctx.db.query.storyReplies.findFirst({ where: eq(storyReplies.id, replyId) });
  if (!row?.conversationId) return null;
  const text = await decryptBody(ring(ctx), { conversationId: row.conversationId, id: row.id, body: row.text, keyVersion: row.keyVersion });
  return { conversationId: row.conversationId, senderId: row.fromUserId, clientId: `story-reply:${row.id}`, text, storyItemId: row.itemId };
}

/** A reply is a message now (or was refused on its way): its waiting copy goes. */
export async function storyReplySettled(ctx: DomainContext, replyId: string): Promise<void> {
  await ctx.db.delete(storyReplies).where(eq(storyReplies.id, replyId));
}
