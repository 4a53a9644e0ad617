import { eq } from "drizzle-orm";
import { messages } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import type { DomainEvent } from "../events/catalogue.ts";
import { commit } from "../events/outbox.ts";
import { messageForModeration } from "../messages/messages.ts";
import { alreadyDecided, classify, removalNotice, type Delivery, type Outcome } from "./pipeline.ts";

/**
 * A sent or edited chat message through the pipeline (the moderation queue's `moderate-message`, ADR 0054): its text is
 * decrypted here, judged, and never stored in the clear. A hold keeps it from everyone but its sender until a moderator
 * decides; a removal shows it to everyone as removed by moderators and tells the sender. Either is followed by a
 * `message.updated` event, so the room re-sends the message as each member may now see it. A chat message has no
 * sensitive cover: "sensitive" is recorded and the message stays as sent. No automatic decision lifts a hold or a
 * removal: only a moderator does. Once per event.
 */
export async function moderateMessage(
  ctx: DomainContext,
  event: DomainEvent<"message.sent" | "message.edited">,
  delivery: Delivery,
  at = new Date(),
): Promise<Outcome | null> {
  if (await alreadyDecided(ctx, event.id)) return null;
  const found = await messageForModeration(ctx, event.payload.messageId);
  if (!found || found.text === null || found.row.moderationState === "removed") return null;
  const { row, text } = found;
  const result = await classify(ctx, { kind: "message", id: row.id, accountId: row.senderId, text, inputs: [] }, event, delivery, at);
  const state = result.outcome === "hold" ? "held" : result.outcome === "remove" ? "removed" : null;
  const notice =
    state === "removed"
      ? removalNotice(ctx, { accountId: row.senderId, kind: "remove_message", messageId: row.id, reason: result.reason, at })
      : null;
  const changes = state && state !== row.moderationState;
  await commit(
    ctx,
    [
      result.record,
      ...(changes ? [ctx.db.update(messages).set({ moderationState: state }).where(eq(messages.id, row.id))] : []),
      ...(notice ? [notice.statement] : []),
    ],
    [
      ...(notice ? [notice.event] : []),
      ...(changes ? [{ type: "message.updated" as const, payload: { messageId: row.id, conversationId: row.conversationId } }] : []),
    ],
  );
  return result.outcome;
}
