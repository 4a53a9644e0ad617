import { DurableObject } from "cloudflare:workers";
import {
  CONNECTING_USER_HEADER,
  errorFrame,
  parseClientFrame,
  USER_STREAMS,
  userHubClientMessage,
  type StreamEvent,
  type UserStream,
} from "./protocol.ts";

interface Attachment {
  streams: UserStream[];
}

/**
 * One per user (named by user id): holds that user's live sockets with the Hibernation API, so an idle connection
 * costs nothing, and delivers events (notifications, timeline updates, unread counts) published to it by the domain.
 * Speaks Mastodon's streaming protocol.
 */
export class UserHub extends DurableObject<Env> {
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade", { status: 426, headers: { Upgrade: "websocket" } });
    }
    if (!request.headers.get(CONNECTING_USER_HEADER)) return new Response("Unauthenticated", { status: 401 });
    const requested = new URL(request.url).searchParams.get("stream");
    const streams = USER_STREAMS.filter((stream) => stream === requested);
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({ streams } satisfies Attachment);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Sends an event to every socket subscribed to its stream; returns how many received it. */
  async publish(stream: UserStream, event: string, payload: unknown): Promise<number> {
    const frame: StreamEvent = { stream: [stream], event, payload: JSON.stringify(payload) };
    let delivered = 0;
    for (const socket of this.ctx.getWebSockets()) {
      const { streams } = socket.deserializeAttachment() as Attachment;
      // "user" carries notifications too, as on Mastodon.
      const subscribed = streams.includes(stream) || (stream === "user:notification" && streams.includes("user"));
      if (subscribed) {
        socket.send(JSON.stringify(frame));
        delivered += 1;
      }
    }
    return delivered;
  }

  /** How many sockets are open; used by tests and, later, presence. */
  async connectionCount(): Promise<number> {
    return this.ctx.getWebSockets().length;
  }

  override async webSocketMessage(socket: WebSocket, frame: string | ArrayBuffer): Promise<void> {
    const message = parseClientFrame(userHubClientMessage, frame);
    if (!message) {
      socket.send(errorFrame('Expected {"type": "subscribe" | "unsubscribe", "stream": "user" | "user:notification" | "direct"}'));
      return;
    }
    const attachment = socket.deserializeAttachment() as Attachment;
    const streams = new Set(attachment.streams);
    if (message.type === "subscribe") streams.add(message.stream);
    else streams.delete(message.stream);
    socket.serializeAttachment({ streams: [...streams] } satisfies Attachment);
  }

  override async webSocketClose(socket: WebSocket): Promise<void> {
    // Echoing the client's code fails for 1005/1006 (no code); 1000 is always valid.
    socket.close(1000, "closing");
  }
}
