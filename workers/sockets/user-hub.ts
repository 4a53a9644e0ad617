import { DurableObject } from "cloudflare:workers";
import { startListening, stopListening } from "#domain/live/listeners.ts";
import { ownList } from "#domain/graph/lists.ts";
import { backgroundDomain } from "#workers/platform/request-scope.ts";
import {
  channelsOf,
  CONNECTING_ORIGIN_HEADER,
  CONNECTING_USER_HEADER,
  errorFrame,
  parseClientFrame,
  sameSubscription,
  streamLabel,
  subscriptionSchema,
  userHubClientMessage,
  type StreamEvent,
  type Subscription,
} from "./protocol.ts";

interface Attachment {
  userId: string;
  origin: string;
  subscriptions: Subscription[];
  /** Start (ms) of the current minute and how many subscribe messages arrived in it: a flood closes the socket. */
  windowStart: number;
  messages: number;
}

/** A client frame is a small JSON object; anything bigger is refused with 1009 (message too big). */
export const MAX_FRAME_BYTES = 4096;
/** Subscriptions one socket may hold, and subscribe/unsubscribe messages it may send a minute. */
export const MAX_SUBSCRIPTIONS = 32;
export const MAX_MESSAGES_PER_MINUTE = 60;

/** An open server-sent-events stream (Mastodon's /api/v1/streaming/user and the like): not hibernatable, held in memory. */
interface EventSourceClient {
  subscription: Subscription;
  write: (text: string) => Promise<void>;
}

/**
 * One per user (named by user id): holds that user's live sockets with the Hibernation API, so an idle connection
 * costs nothing, and delivers what publishers send to its channels (docs/decisions/0032) in Mastodon's streaming
 * format. Each socket holds its own subscriptions; the hub records in D1 which channels it listens to, so a publisher
 * wakes only hubs with someone listening.
 */
export class UserHub extends DurableObject<Env> {
  private eventSources = new Set<EventSourceClient>();

  override async fetch(request: Request): Promise<Response> {
    const userId = request.headers.get(CONNECTING_USER_HEADER);
    const origin = request.headers.get(CONNECTING_ORIGIN_HEADER) ?? new URL(request.url).origin;
    if (!userId) return new Response("Unauthenticated", { status: 401 });
    const params = new URL(request.url).searchParams;
    const requested = params.get("stream");
    const first = requested
      ? subscriptionSchema.safeParse({ stream: requested, tag: params.get("tag") ?? undefined, list: params.get("list") ?? undefined })
      : undefined;
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      if (!first?.success) return new Response("Expected a WebSocket upgrade", { status: 426, headers: { Upgrade: "websocket" } });
      return this.openEventSource(userId, origin, first.data);
    }
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    const subscriptions = first?.success ? [first.data] : [];
    server.serializeAttachment({ userId, origin, subscriptions, windowStart: Date.now(), messages: 0 } satisfies Attachment);
    await startListening(this.domain(), userId, subscriptions.flatMap(channelsOf), origin);
    // Browsers and masto abort a connection whose answer does not echo the subprotocol they offered (the token).
    const offered = request.headers.get("Sec-WebSocket-Protocol")?.split(",")[0]?.trim();
    const headers = offered ? { "Sec-WebSocket-Protocol": offered } : undefined;
    return new Response(null, { status: 101, webSocket: client, headers });
  }

  /**
   * Sends an event to every socket and event stream subscribed to a channel; returns how many received it. A channel
   * nobody here listens to any more (the hub was evicted, its sockets gone) is forgotten, so publishers stop waking it.
   * userId is the hub's owner, whom the publisher addressed.
   */
  async publish(userId: string, channel: string, event: string, payload?: string): Promise<number> {
    let delivered = 0;
    for (const socket of this.ctx.getWebSockets()) {
      if (socket.readyState !== WebSocket.OPEN) continue;
      const { subscriptions } = socket.deserializeAttachment() as Attachment;
      for (const subscription of subscriptions.filter((sub) => channelsOf(sub).includes(channel))) {
        socket.send(JSON.stringify({ stream: streamLabel(subscription), event, payload } satisfies StreamEvent));
        delivered += 1;
      }
    }
    for (const client of this.eventSources) {
      if (!channelsOf(client.subscription).includes(channel)) continue;
      // A stream the client closed fails to write; its cancel handler has already removed it.
      await client.write(`event: ${event}\ndata: ${payload ?? ""}\n\n`).catch(() => undefined);
      delivered += 1;
    }
    if (delivered === 0) await stopListening(this.domain(), userId, [channel]);
    return delivered;
  }

  /** How many sockets are open; used by tests and the benchmark. */
  async connectionCount(): Promise<number> {
    return this.ctx.getWebSockets().length;
  }

  override async webSocketMessage(socket: WebSocket, frame: string | ArrayBuffer): Promise<void> {
    if (typeof frame !== "string") return socket.close(1003, "Frames are JSON text");
    if (frame.length > MAX_FRAME_BYTES) return socket.close(1009, "Frame too large");
    const attachment = socket.deserializeAttachment() as Attachment;
    const now = Date.now();
    if (now - attachment.windowStart >= 60_000) Object.assign(attachment, { windowStart: now, messages: 0 });
    attachment.messages += 1;
    if (attachment.messages > MAX_MESSAGES_PER_MINUTE) return socket.close(1008, "Too many messages");
    socket.serializeAttachment(attachment);

    const message = parseClientFrame(userHubClientMessage, frame);
    if (!message) {
      socket.send(errorFrame('Expected {"type": "subscribe" | "unsubscribe", "stream": "<stream>"}', 400));
      return;
    }
    const parsed = subscriptionSchema.safeParse({ stream: message.stream, tag: message.tag, list: message.list });
    if (!parsed.success) {
      socket.send(errorFrame(parsed.error.issues[0]?.message ?? "Unknown stream type", 400));
      return;
    }
    if (message.type === "subscribe") await this.subscribe(socket, attachment, parsed.data);
    else await this.unsubscribe(socket, attachment, parsed.data);
  }

  override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
    // Echoing the client's code fails for 1005/1006 (no code); 1000 is always valid.
    if (socket.readyState === WebSocket.OPEN) socket.close(code === 1005 || code === 1006 ? 1000 : code, "closing");
    await this.forgetUnheard(socket);
  }

  override async webSocketError(socket: WebSocket): Promise<void> {
    await this.forgetUnheard(socket);
  }

  private async subscribe(socket: WebSocket, attachment: Attachment, subscription: Subscription): Promise<void> {
    if (attachment.subscriptions.some((sub) => sameSubscription(sub, subscription))) return;
    if (attachment.subscriptions.length >= MAX_SUBSCRIPTIONS) {
      socket.send(errorFrame(`At most ${MAX_SUBSCRIPTIONS} subscriptions per connection`, 400));
      return;
    }
    if (subscription.list && !(await this.mayReadList(attachment.userId, subscription.list))) {
      socket.send(errorFrame("Not authorized to stream this list", 401));
      return;
    }
    attachment.subscriptions.push(subscription);
    socket.serializeAttachment(attachment);
    await startListening(this.domain(), attachment.userId, channelsOf(subscription), attachment.origin);
  }

  private async unsubscribe(socket: WebSocket, attachment: Attachment, subscription: Subscription): Promise<void> {
    const removed = attachment.subscriptions.filter((sub) => sameSubscription(sub, subscription));
    attachment.subscriptions = attachment.subscriptions.filter((sub) => !sameSubscription(sub, subscription));
    socket.serializeAttachment(attachment);
    await this.forgetUnheard(socket, removed.flatMap(channelsOf), attachment.userId);
  }

  /** Stops listening to the channels (all of a leaving socket's, by default) that no other socket here still hears. */
  private async forgetUnheard(leaving: WebSocket, channels?: string[], userId?: string): Promise<void> {
    const attachment = leaving.deserializeAttachment() as Attachment | null;
    const owner = userId ?? attachment?.userId;
    if (!owner) return;
    const candidates = channels ?? attachment?.subscriptions.flatMap(channelsOf) ?? [];
    const heard = new Set(
      this.ctx
        .getWebSockets()
        .filter((socket) => socket !== leaving || channels)
        .filter((socket) => socket.readyState === WebSocket.OPEN)
        .flatMap((socket) => (socket.deserializeAttachment() as Attachment).subscriptions.flatMap(channelsOf)),
    );
    for (const client of this.eventSources) channelsOf(client.subscription).forEach((channel) => heard.add(channel));
    await stopListening(
      this.domain(),
      owner,
      [...new Set(candidates)].filter((channel) => !heard.has(channel)),
    );
  }

  private async mayReadList(userId: string, listId: string): Promise<boolean> {
    try {
      await ownList(this.domain(), userId, listId);
      return true;
    } catch {
      return false;
    }
  }

  private async openEventSource(userId: string, origin: string, subscription: Subscription): Promise<Response> {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    const encoder = new TextEncoder();
    const client: EventSourceClient = { subscription, write: (text) => writer.write(encoder.encode(text)) };
    this.eventSources.add(client);
    void writer.write(encoder.encode(":)\n"));
    await startListening(this.domain(), userId, channelsOf(subscription), origin);
    writer.closed.catch(() => this.eventSources.delete(client));
    return new Response(readable, { headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-store" } });
  }

  private domain() {
    return backgroundDomain(this.env);
  }
}
