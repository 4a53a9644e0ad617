import { DurableObject } from "cloudflare:workers";
import type { Credential } from "#domain/accounts/live-credentials.ts";
import { startListening, stopListening } from "#domain/live/listeners.ts";
import { ownList } from "#domain/graph/lists.ts";
import { viewPost } from "#domain/posts/thread.ts";
import { backgroundDomain } from "#workers/platform/request-scope.ts";
import {
  channelsOf,
  CONNECTING_CREDENTIAL_HEADER,
  CONNECTING_ORIGIN_HEADER,
  CONNECTING_USER_HEADER,
  errorFrame,
  isReplayed,
  lastEventIdSchema,
  parseClientFrame,
  REFETCH_EVENT,
  sameSubscription,
  streamLabel,
  subscriptionSchema,
  userHubClientMessage,
  type StreamEvent,
  type Subscription,
} from "./protocol.ts";
import { closeSignedOut, credentialOf, endSignedOut } from "./signed-out.ts";
import { REPLAY_WINDOW_MS, ReplayBuffer, type BufferedEvent } from "./replay-buffer.ts";

interface Attachment {
  userId: string;
  credential?: Credential;
  origin: string;
  subscriptions: Subscription[];
  /** Start (ms) of the current minute and how many subscribe messages arrived in it: a flood closes the socket. */
  windowStart: number;
  messages: number;
  /** The last event id the client saw before it reconnected: each stream it subscribes to gets what came after. */
  resumeFrom?: number;
}

/** A client frame is a small JSON object; anything bigger is refused with 1009 (message too big). */
export const MAX_FRAME_BYTES = 4096;
/** Subscriptions one socket may hold, and subscribe/unsubscribe messages it may send a minute. */
export const MAX_SUBSCRIPTIONS = 32;
export const MAX_MESSAGES_PER_MINUTE = 60;

/** A comment line on every open event stream this often, as Mastodon's streaming server sends, so proxies keep it. */
export const HEARTBEAT_MS = 30_000;

/** An open server-sent-events stream (Mastodon's /api/v1/streaming/user and the like): not hibernatable, held in memory. */
interface EventSourceClient {
  subscription: Subscription;
  credential?: Credential;
  write: (text: string) => Promise<void>;
  end: () => Promise<void>;
}

const HEARTBEAT = ":thump\n";

/** An event's frames carry its buffer id, to resume from; events of public streams are not buffered and have none. */
const sseFrame = (event: string, payload: string | undefined, id?: number) =>
  `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${payload ?? ""}\n\n`;

const socketFrame = (subscription: Subscription, event: string, payload: string | undefined, id?: number) =>
  JSON.stringify({
    stream: streamLabel(subscription),
    event,
    payload,
    ...(id === undefined ? {} : { event_id: String(id) }),
  } satisfies StreamEvent);

/**
 * One per user (named by user id): holds that user's live sockets with the Hibernation API, so an idle connection
 * costs nothing, and delivers what publishers send to its channels (docs/decisions/0032) in Mastodon's streaming
 * format. Each socket holds its own subscriptions; the hub records in D1 which channels it listens to, so a publisher
 * wakes only hubs with someone listening.
 */
export class UserHub extends DurableObject<Env> {
  private eventSources = new Set<EventSourceClient>();
  private replay?: ReplayBuffer;

  /** Opened on first use: a hub woken only to pass on a public event touches no storage (docs/decisions/0048). */
  private get buffer(): ReplayBuffer {
    return (this.replay ??= new ReplayBuffer(this.ctx.storage.sql));
  }

  override async fetch(request: Request): Promise<Response> {
    const userId = request.headers.get(CONNECTING_USER_HEADER);
    const origin = request.headers.get(CONNECTING_ORIGIN_HEADER) ?? new URL(request.url).origin;
    const credential = credentialOf(request.headers.get(CONNECTING_CREDENTIAL_HEADER));
    if (!userId) return new Response("Unauthenticated", { status: 401 });
    this.buffer.owner = userId;
    const params = new URL(request.url).searchParams;
    const requested = params.get("stream");
    const first = requested
      ? subscriptionSchema.safeParse({
          stream: requested,
          tag: params.get("tag") ?? undefined,
          list: params.get("list") ?? undefined,
          status: params.get("status") ?? undefined,
        })
      : undefined;
    // The socket door refused a malformed id already; here a missing or odd one means "nothing to resume".
    const resume = lastEventIdSchema.safeParse(params.get("last_event_id") ?? request.headers.get("Last-Event-ID") ?? "");
    const resumeFrom = resume.success ? resume.data : undefined;
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      if (!first?.success) return new Response("Expected a WebSocket upgrade", { status: 426, headers: { Upgrade: "websocket" } });
      return this.openEventSource({ userId, origin, credential }, first.data, resumeFrom);
    }
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    const attachment: Attachment = { userId, credential, origin, subscriptions: [], windowStart: Date.now(), messages: 0, resumeFrom };
    server.serializeAttachment(attachment);
    if (first?.success) await this.addSubscription(server, attachment, first.data);
    // Browsers and masto abort a connection whose answer does not echo the subprotocol they offered (the token).
    const offered = request.headers.get("Sec-WebSocket-Protocol")?.split(",")[0]?.trim();
    const headers = offered ? { "Sec-WebSocket-Protocol": offered } : undefined;
    return new Response(null, { status: 101, webSocket: client, headers });
  }

  /**
   * Sends an event to every socket and event stream subscribed to a channel; returns how many received it. A channel
   * nobody here listens to any more (the hub was evicted, its sockets gone) is forgotten, so publishers stop waking it.
   * userId is the hub's owner, whom the publisher addressed. Only events of replayed channels are buffered.
   */
  async publish(userId: string, channel: string, event: string, payload?: string): Promise<number> {
    const now = Date.now();
    const sockets = this.socketsHearing(channel);
    const eventSources = [...this.eventSources].filter((client) => channelsOf(client.subscription).includes(channel));
    if (sockets.length === 0 && eventSources.length === 0 && !(await this.keepUnheard(userId, channel, now))) return 0;
    const id = isReplayed(channel) ? this.buffer.append(channel, event, payload, now) : undefined;
    let delivered = 0;
    for (const { socket, subscription } of sockets) {
      socket.send(socketFrame(subscription, event, payload, id));
      delivered += 1;
    }
    for (const client of eventSources) {
      // Not awaited: a write settles when the client reads it, and a slow reader must not hold up the publisher. A
      // stream the client closed fails to write; its close handler has already removed it.
      void client.write(sseFrame(event, payload, id)).catch(() => undefined);
      delivered += 1;
    }
    return delivered;
  }

  /**
   * A channel no socket hears: its listener row stays for the replay window after the last socket left (or, when
   * sockets vanished without a close, after the first event found none), so a client that reconnects in time gets what
   * was published meanwhile; after that the row is deleted and publishers stop waking this hub.
   */
  private async keepUnheard(userId: string, channel: string, now: number): Promise<boolean> {
    const until = isReplayed(channel) ? this.buffer.releasedUntil(channel) : now;
    if (until === undefined) {
      if (this.buffer.owner !== userId) this.buffer.owner = userId;
      await this.release([channel], now);
      return true;
    }
    if (until > now) return true;
    await this.stopListeningTo(userId, [channel]);
    return false;
  }

  /** Released channels whose window has passed are no longer listened to. */
  override async alarm(): Promise<void> {
    const { expired, next } = this.buffer.takeExpired(Date.now());
    const owner = this.buffer.owner;
    if (owner) await stopListening(this.domain(), owner, expired);
    if (next) await this.ctx.storage.setAlarm(next);
  }

  /** Publishers stop waking this hub for these channels; a client resuming one of them will be told to refetch. */
  private async stopListeningTo(owner: string, channels: string[]): Promise<void> {
    if (channels.length === 0) return;
    this.buffer.drop(channels.filter(isReplayed));
    await stopListening(this.domain(), owner, channels);
  }

  /** Writes a comment line to every open event stream (proxies close a connection that stays silent too long). */
  async sendHeartbeats(): Promise<number> {
    for (const client of this.eventSources) void client.write(HEARTBEAT).catch(() => undefined);
    return this.eventSources.size;
  }

  private socketsHearing(channel: string): { socket: WebSocket; subscription: Subscription }[] {
    return this.ctx.getWebSockets().flatMap((socket) => {
      if (socket.readyState !== WebSocket.OPEN) return [];
      const { subscriptions } = socket.deserializeAttachment() as Attachment;
      return subscriptions.filter((sub) => channelsOf(sub).includes(channel)).map((subscription) => ({ socket, subscription }));
    });
  }

  /** Of these channels, those no open socket (but `leaving`) and no event stream here hears. */
  private unheard(channels: string[], leaving?: WebSocket): string[] {
    const heard = new Set(
      this.ctx
        .getWebSockets()
        .filter((socket) => socket !== leaving && socket.readyState === WebSocket.OPEN)
        .flatMap((socket) => (socket.deserializeAttachment() as Attachment).subscriptions.flatMap(channelsOf)),
    );
    for (const client of this.eventSources) channelsOf(client.subscription).forEach((channel) => heard.add(channel));
    return [...new Set(channels)].filter((channel) => !heard.has(channel));
  }

  /**
   * Lets go of channels no one here hears any more. A client that may come back (its connection broke, or an event
   * stream ended) finds the replayed ones still listened to for the replay window; otherwise they are dropped now.
   */
  private async letGo(owner: string, channels: string[], mayResume: boolean): Promise<void> {
    const kept = mayResume ? channels.filter(isReplayed) : [];
    await this.release(kept, Date.now());
    await this.stopListeningTo(
      owner,
      channels.filter((channel) => !kept.includes(channel)),
    );
  }

  private async release(channels: string[], now: number): Promise<void> {
    if (channels.length === 0) return;
    this.buffer.release(channels, now + REPLAY_WINDOW_MS);
    const scheduled = await this.ctx.storage.getAlarm();
    if (scheduled === null || scheduled > now + REPLAY_WINDOW_MS) await this.ctx.storage.setAlarm(now + REPLAY_WINDOW_MS);
  }

  /**
   * Ends the sockets and event streams opened with a session or token that has since ended, so that whoever holds them
   * stops hearing the account's notifications. Returns how many were ended.
   */
  async endSignedOut(): Promise<number> {
    const sockets = this.ctx.getWebSockets().map((socket) => ({
      credential: (socket.deserializeAttachment() as Attachment | null)?.credential,
      end: closeSignedOut(socket),
    }));
    const streams = [...this.eventSources].map((client) => ({
      credential: client.credential,
      end: () => void client.end().catch(() => undefined),
    }));
    return endSignedOut(this.domain(), [...sockets, ...streams]);
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
    const parsed = subscriptionSchema.safeParse({
      stream: message.stream,
      tag: message.tag,
      list: message.list,
      status: message.status,
    });
    if (!parsed.success) {
      socket.send(errorFrame(parsed.error.issues[0]?.message ?? "Unknown stream type", 400));
      return;
    }
    if (message.type === "subscribe") await this.subscribe(socket, attachment, parsed.data);
    else await this.unsubscribe(socket, attachment, parsed.data);
  }

  /**
   * A close frame is the client's goodbye (a closed tab sends 1001, our pages 1000 when they let go): it will not
   * resume, so its channels are dropped at once instead of keeping its hub woken for the replay window. Only a
   * connection that broke without one (1006) keeps them for a reconnect (docs/decisions/0048).
   */
  override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
    // Echoing the client's code fails for 1005 (no code); 1000 is always valid. A lost connection (1006) has no one to answer.
    if (socket.readyState === WebSocket.OPEN && code !== 1006) socket.close(code === 1005 ? 1000 : code, "closing");
    await this.forgetSocket(socket, code === 1006);
  }

  /** A connection that failed: its client will try to reconnect and resume. */
  override async webSocketError(socket: WebSocket): Promise<void> {
    await this.forgetSocket(socket, true);
  }

  private async forgetSocket(socket: WebSocket, mayResume: boolean): Promise<void> {
    const attachment = socket.deserializeAttachment() as Attachment | null;
    if (!attachment) return;
    await this.letGo(attachment.userId, this.unheard(attachment.subscriptions.flatMap(channelsOf), socket), mayResume);
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
    if (subscription.status && !(await this.mayReadPost(attachment.userId, subscription.status))) {
      socket.send(errorFrame("Record not found", 404));
      return;
    }
    await this.addSubscription(socket, attachment, subscription);
  }

  /** Listens for a subscription, after sending what the client missed on it if it is resuming. */
  private async addSubscription(socket: WebSocket, attachment: Attachment, subscription: Subscription): Promise<void> {
    const channels = channelsOf(subscription);
    attachment.subscriptions.push(subscription);
    socket.serializeAttachment(attachment);
    // Before reclaiming: whether the channels went unheard since is part of what the client may have missed.
    const resumption = attachment.resumeFrom === undefined ? undefined : this.buffer.since(attachment.resumeFrom, channels, Date.now());
    this.buffer.reclaim(channels);
    await startListening(this.domain(), attachment.userId, channels, attachment.origin);
    if (!resumption) return;
    if ("refetch" in resumption) {
      socket.send(JSON.stringify({ stream: streamLabel(subscription), event: REFETCH_EVENT, event_id: String(resumption.latestId) }));
      return;
    }
    for (const missed of resumption.missed) socket.send(socketFrame(subscription, missed.event, missed.payload, missed.id));
  }

  private async unsubscribe(socket: WebSocket, attachment: Attachment, subscription: Subscription): Promise<void> {
    const removed = attachment.subscriptions.filter((sub) => sameSubscription(sub, subscription));
    attachment.subscriptions = attachment.subscriptions.filter((sub) => !sameSubscription(sub, subscription));
    socket.serializeAttachment(attachment);
    // The client asked not to hear them: nothing to keep for it.
    await this.letGo(attachment.userId, this.unheard(removed.flatMap(channelsOf)), false);
  }

  private async mayReadList(userId: string, listId: string): Promise<boolean> {
    try {
      await ownList(this.domain(), userId, listId);
      return true;
    } catch {
      return false;
    }
  }

  private async mayReadPost(userId: string, postId: string): Promise<boolean> {
    try {
      await viewPost(this.domain(), userId, postId);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * An event stream, resumed from the Last-Event-ID its EventSource sends on reconnecting: the missed events first (or
   * the refetch event), then live ones, and a heartbeat comment every HEARTBEAT_MS.
   */
  private async openEventSource(
    { userId, origin, credential }: Pick<Attachment, "userId" | "origin" | "credential">,
    subscription: Subscription,
    resumeFrom?: number,
  ): Promise<Response> {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    const encoder = new TextEncoder();
    const client: EventSourceClient = {
      subscription,
      credential,
      write: (text) => writer.write(encoder.encode(text)),
      end: () => writer.close(),
    };
    const channels = channelsOf(subscription);
    void client.write(":)\n");
    const resumption = resumeFrom === undefined ? undefined : this.buffer.since(resumeFrom, channels, Date.now());
    if (resumption) {
      const missed: BufferedEvent[] =
        "refetch" in resumption ? [{ id: resumption.latestId, channel: "", event: REFETCH_EVENT }] : resumption.missed;
      for (const event of missed) void client.write(sseFrame(event.event, event.payload, event.id));
    }
    this.eventSources.add(client);
    this.buffer.reclaim(channels);
    await startListening(this.domain(), userId, channels, origin);
    const heartbeat = setInterval(() => void client.write(HEARTBEAT).catch(() => undefined), HEARTBEAT_MS);
    writer.closed
      .catch(() => undefined)
      .finally(() => {
        clearInterval(heartbeat);
        this.eventSources.delete(client);
        // An event stream ends the same way whether its tab closed or its connection broke; EventSource reconnects.
        void this.letGo(userId, this.unheard(channels), true);
      });
    return new Response(readable, { headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-store" } });
  }

  private domain() {
    return backgroundDomain(this.env);
  }
}
