import { DomainError, type DomainErrorKind } from "#domain/errors.ts";
import type { SendInput } from "#domain/messages/messages.ts";
import type { ChatMessage } from "#workers/api/entities/chat.ts";
import { conversationRoom } from "./connect.ts";

/** What a send through the room answers: the stored message, or why not (a DomainError does not survive RPC). */
export type RoomSendResult =
  | { ok: true; message: ChatMessage; duplicate: boolean }
  | { ok: false; kind: DomainErrorKind; error: string; code: string; fields: Record<string, string> };

/**
 * A send through the conversation's room (docs/decisions/0035), for the doors: the stored message, or the domain's
 * refusal rethrown so each door maps it as it maps every other.
 */
export async function sendThroughRoom(env: Env, input: SendInput): Promise<{ message: ChatMessage; duplicate: boolean }> {
  const result = await conversationRoom(env, input.conversationId).send(input);
  if (!result.ok) {
    throw new DomainError(result.kind, result.error, {
      code: result.code,
      fields: result.fields,
      retryAfterSeconds: result.kind === "throttled" ? 60 : undefined,
    });
  }
  return result;
}
