import { and, eq, isNull } from "drizzle-orm";
import { messages } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import type { DomainEvent } from "../events/catalogue.ts";
import { commit } from "../events/outbox.ts";
import { filesOfMessage } from "../messages/attachments.ts";
import { messageForModeration, type MessageRow } from "../messages/messages.ts";
import {
  alreadyDecided,
  classify,
  holdingOnLastFailure,
  picturesToJudge,
  readImages,
  removalNotice,
  type Delivery,
  type Outcome,
} from "./pipeline.ts";

/** What an outcome changes on the message: a hold or removal its moderation state, "sensitive" its attachments' cover. */
function changeOf(row: MessageRow, outcome: Outcome): Partial<Pick<MessageRow, "moderationState" | "sensitive">> {
  if (outcome === "hold" && row.moderationState !== "held") return { moderationState: "held" };
  if (outcome === "remove") return { moderationState: "removed" };
  if (outcome === "sensitive" && !row.sensitive) return { sensitive: true };
  return {};
}

/**
 * A sent or edited chat message through the pipeline (the moderation queue's `moderate-message`, ADR 0054): its text is
 * decrypted here and its attachments' pictures read from R2 for vision, judged, and never stored anywhere else. A hold
 * keeps it from everyone but its sender until a moderator decides; a removal shows it to everyone as removed by
 * moderators and tells the sender; "sensitive" covers its attachments. Each change is followed by a `message.updated`
 * event, so the room re-sends the message as each member may now see it. No automatic decision lifts a hold, a removal
 * or a cover: only a moderator does. Once per event. A failure on the queue's last attempt holds the message (a
 * removed one stays removed), and the room hears of it.
 */
export function moderateMessage(
  ctx: DomainContext,
  event: DomainEvent<"message.sent" | "message.edited">,
  delivery: Delivery,
  at = new Date(),
): Promise<Outcome | null> {
  const { messageId, conversationId, senderId } = event.payload;
  return holdingOnLastFailure(
    ctx,
    event,
    delivery,
    () => ({
      subject: { kind: "message", id: messageId, accountId: senderId },
      statements: [
        ctx.db
          .update(messages)
          .set({ moderationState: "held" })
          .where(and(eq(messages.id, messageId), isNull(messages.moderationState))),
      ],
      events: [{ type: "message.updated", payload: { messageId, conversationId } }],
    }),
    () => judgeMessage(ctx, event, delivery, at),
    at,
  );
}

async function judgeMessage(
  ctx: DomainContext,
  event: DomainEvent<"message.sent" | "message.edited">,
  delivery: Delivery,
  at: Date,
): Promise<Outcome | null> {
  if (await alreadyDecided(ctx, event.id)) return null;
  const found = await messageForModeration(ctx, event.payload.messageId);
  if (!found || found.text === null || found.row.moderationState === "removed") return null;
  const { row, text } = found;
  const files = await filesOfMessage(ctx, row.id);
  const result = await classify(
    ctx,
    {
      kind: "message",
      id: row.id,
      accountId: row.senderId,
      text,
      inputs: files.map((file) => file.key),
      images: () => readImages(ctx, picturesToJudge(files)),
    },
    event,
    delivery,
    at,
  );
  const change = changeOf(row, result.outcome);
  const changes = Object.keys(change).length > 0;
  const notice =
    result.outcome === "remove"
      ? removalNotice(ctx, { accountId: row.senderId, kind: "remove_message", messageId: row.id, reason: result.reason, at })
      : null;
  await commit(
    ctx,
    [
      result.record,
      ...(changes ? [ctx.db.update(messages).set(change).where(eq(messages.id, row.id))] : []),
      ...(notice ? [notice.statement] : []),
    ],
    [
      ...(notice ? [notice.event] : []),
      ...(changes ? [{ type: "message.updated" as const, payload: { messageId: row.id, conversationId: row.conversationId } }] : []),
    ],
  );
  return result.outcome;
}
