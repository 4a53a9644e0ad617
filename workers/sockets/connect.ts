import type { Credential } from "#domain/accounts/live-credentials.ts";
import { CONNECTING_CREDENTIAL_HEADER, CONNECTING_MAY_WRITE_HEADER, CONNECTING_ORIGIN_HEADER, CONNECTING_USER_HEADER } from "./protocol.ts";

export function userHub(env: Env, userId: string) {
  return env.USER_HUB.get(env.USER_HUB.idFromName(userId));
}

export function conversationRoom(env: Env, conversationId: string) {
  return env.CONVERSATION_ROOM.get(env.CONVERSATION_ROOM.idFromName(conversationId));
}

/**
 * Hands an authenticated WebSocket upgrade (or event stream) to the Durable Object that owns it. The user id and the
 * credential it signed in with travel in headers the worker sets itself on a fresh request, so a client can never
 * choose whose sockets it joins (or whether it may write); the origin says how links in what it is sent are built.
 */
export function forwardUpgrade(
  stub: DurableObjectStub,
  request: Request,
  connecting: { userId: string; credential: Credential; origin?: string; mayWrite?: boolean },
): Promise<Response> {
  const headers = new Headers(request.headers);
  headers.set(CONNECTING_USER_HEADER, connecting.userId);
  headers.set(CONNECTING_CREDENTIAL_HEADER, connecting.credential);
  headers.delete(CONNECTING_MAY_WRITE_HEADER);
  if (connecting.mayWrite) headers.set(CONNECTING_MAY_WRITE_HEADER, "1");
  if (connecting.origin) headers.set(CONNECTING_ORIGIN_HEADER, connecting.origin);
  return stub.fetch(new Request(request.url, { method: "GET", headers }));
}
