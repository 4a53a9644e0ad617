import type { DomainContext } from "#domain/context.ts";
import { DomainError } from "#domain/errors.ts";
import type { EventPayload } from "#domain/events/catalogue.ts";
import { pendingStoryReply, storyReplySettled } from "#domain/stories/replies.ts";
import { createLogger } from "#workers/platform/logger.ts";
import { sendThroughRoom } from "#workers/sockets/room-send.ts";

/**
 * A reply or reaction to a story becomes a direct message to the author (ADR 0043), sent through the conversation's
 * room so it is ordered and reaches an open chat at once. Idempotent: the message's client id is the reply's, and the
 * waiting reply goes once sent. A refusal since the reply (a block, the author left the conversation) drops it; a
 * throttled sender is retried like any failure.
 */
export async function deliverStoryReply(ctx: DomainContext, { replyId }: EventPayload<"story.replied">): Promise<string | null> {
  const pending = await pendingStoryReply(ctx, replyId);
  if (!pending) return null;
  let messageId: string | null = null;
  try {
    messageId = (await sendThroughRoom(ctx.env, pending)).message.id;
  } catch (error) {
    if (!(error instanceof DomainError) || error.kind === "throttled") throw error;
    createLogger(ctx.config.LOG_LEVEL, { component: "story-replies" }).info("A story reply was refused on its way", {
      replyId,
      reason: error.code,
    });
  }
  await storyReplySettled(ctx, replyId);
  return messageId;
}
