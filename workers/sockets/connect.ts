import { CONNECTING_USER_HEADER } from "./protocol.ts";

export function userHub(env: Env, userId: string) {
  return env.USER_HUB.get(env.USER_HUB.idFromName(userId));
}

export function conversationRoom(env: Env, conversationId: string) {
  return env.CONVERSATION_ROOM.get(env.CONVERSATION_ROOM.idFromName(conversationId));
}

/**
 * Hands an authenticated WebSocket upgrade to the Durable Object that owns it. The user id travels in a header the
 * worker sets itself on a fresh request, so a client can never choose whose sockets it joins.
 */
export function forwardUpgrade(stub: DurableObjectStub, request: Request, userId: string): Promise<Response> {
  const headers = new Headers(request.headers);
  headers.set(CONNECTING_USER_HEADER, userId);
  return stub.fetch(new Request(request.url, { method: "GET", headers }));
}
