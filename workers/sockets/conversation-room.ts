import { DurableObject } from "cloudflare:workers";
import { CONNECTING_USER_HEADER, errorFrame, parseClientFrame, roomClientMessage, type StreamEvent } from "./protocol.ts";

interface Attachment {
  userId: string;
}

/**
 * One per conversation (named by conversation id): the single place a conversation's live events are ordered and
 * broadcast. It tracks who is present, relays typing indicators, and broadcasts messages the domain has stored.
 */
export class ConversationRoom extends DurableObject<Env> {
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade", { status: 426, headers: { Upgrade: "websocket" } });
    }
    const userId = request.headers.get(CONNECTING_USER_HEADER);
    if (!userId) return new Response("Unauthenticated", { status: 401 });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [userId]);
    server.serializeAttachment({ userId } satisfies Attachment);
    this.broadcast("presence", { present: this.presentUserIdsNow() });
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Broadcasts a stored message to everyone in the room; returns how many sockets received it. */
  async publish(event: string, payload: unknown): Promise<number> {
    return this.broadcast(event, payload);
  }

  async presentUserIds(): Promise<string[]> {
    return this.presentUserIdsNow();
  }

  override async webSocketMessage(socket: WebSocket, frame: string | ArrayBuffer): Promise<void> {
    const message = parseClientFrame(roomClientMessage, frame);
    if (!message) {
      socket.send(errorFrame('Expected {"type": "typing" | "ping"}'));
      return;
    }
    if (message.type === "ping") {
      socket.send(JSON.stringify({ event: "pong" }));
      return;
    }
    const { userId } = socket.deserializeAttachment() as Attachment;
    this.broadcast("typing", { user_id: userId }, socket);
  }

  override async webSocketClose(socket: WebSocket): Promise<void> {
    socket.close(1000, "closing");
    this.broadcast("presence", { present: this.presentUserIdsNow(socket) });
  }

  private presentUserIdsNow(leaving?: WebSocket): string[] {
    const ids = this.ctx
      .getWebSockets()
      .filter((socket) => socket !== leaving && socket.readyState === WebSocket.OPEN)
      .map((socket) => (socket.deserializeAttachment() as Attachment).userId);
    return [...new Set(ids)].sort();
  }

  private broadcast(event: string, payload: unknown, except?: WebSocket): number {
    const frame: StreamEvent = { stream: ["conversation"], event, payload: JSON.stringify(payload) };
    let delivered = 0;
    for (const socket of this.ctx.getWebSockets()) {
      if (socket === except || socket.readyState !== WebSocket.OPEN) continue;
      socket.send(JSON.stringify(frame));
      delivered += 1;
    }
    return delivered;
  }
}
