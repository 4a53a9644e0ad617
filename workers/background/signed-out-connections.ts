import type { DomainContext } from "#domain/context.ts";
import type { EventPayload } from "#domain/events/catalogue.ts";
import { conversationIdsOf } from "#domain/messages/conversations.ts";
import { conversationRoom, userHub } from "#workers/sockets/connect.ts";

/**
 * Some of an account's sessions or tokens ended (signed out, a session or an app revoked, a password changed, a
 * moderator's suspension or disable), or the account is gone: the sockets and event streams opened with them close,
 * on its hub and in every conversation room it belongs to, so whoever holds them stops hearing its notifications and
 * messages at once; connections opened with credentials that still work stay. Closing what is already closed does
 * nothing, so a redelivery is harmless. Returns how many connections were closed.
 */
export async function closeConnectionsOf(
  ctx: DomainContext,
  { userId }: EventPayload<"account.signed_out" | "account.deleted">,
): Promise<number> {
  let closed = await userHub(ctx.env, userId).endSignedOut();
  for (const conversationId of await conversationIdsOf(ctx, userId)) {
    closed += await conversationRoom(ctx.env, conversationId).endSignedOut(userId);
  }
  return closed;
}
