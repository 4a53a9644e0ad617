import { z } from "zod";
import { mediaLimits } from "#domain/media/attachments.ts";

/**
 * Mastodon's streaming protocol (docs.joinmastodon.org/methods/streaming): the streams a client may subscribe to, the
 * messages it sends, and the envelope of what it receives. Anything a client sends that is not one of these messages is
 * answered with an error frame, never a crash.
 */
export const STREAM_NAMES = [
  "user",
  "user:notification",
  "public",
  "public:local",
  "public:remote",
  "public:media",
  "public:local:media",
  "public:remote:media",
  "hashtag",
  "hashtag:local",
  "list",
  "direct",
  // Perch's extension (docs/decisions/0034): one post's live counts, for the page showing it.
  "perch:status",
] as const;
export type StreamName = (typeof STREAM_NAMES)[number];

/** A stream as a socket subscribed to it: its name and, for hashtag, list and status streams, which tag, list or post. */
export interface Subscription {
  stream: StreamName;
  tag?: string;
  list?: string;
  status?: string;
}

export const subscriptionSchema = z
  .object({
    stream: z.enum(STREAM_NAMES, { message: "Unknown stream type" }),
    tag: z.string().trim().min(1).max(200).optional(),
    list: z.string().min(1).max(64).optional(),
    status: z.string().min(1).max(64).optional(),
  })
  .refine((sub) => !sub.stream.startsWith("hashtag") || sub.tag, { message: "Missing tag name parameter" })
  .refine((sub) => sub.stream !== "list" || sub.list, { message: "Missing list name parameter" })
  .refine((sub) => sub.stream !== "perch:status" || sub.status, { message: "Missing status parameter" })
  .transform((sub): Subscription => ({
    stream: sub.stream,
    ...(sub.stream.startsWith("hashtag") ? { tag: sub.tag!.replace(/^#/, "") } : {}),
    ...(sub.stream === "list" ? { list: sub.list } : {}),
    ...(sub.stream === "perch:status" ? { status: sub.status } : {}),
  }));

export const userHubClientMessage = z.object({
  type: z.enum(["subscribe", "unsubscribe"]),
  stream: z.string(),
  tag: z.string().optional(),
  list: z.string().optional(),
  status: z.string().optional(),
});

/** What a chat client sends on a conversation's socket (docs/decisions/0035 documents every frame). */
export const roomClientMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("typing") }),
  z.object({ type: z.literal("ping") }),
  z.object({ type: z.literal("read"), message_id: z.string().min(1).max(64) }),
  z.object({
    type: z.literal("send"),
    client_id: z.string().max(64),
    // No length here: the domain's limit answers an over-long text 422, as the API does (a frame is bounded anyway).
    text: z.string(),
    reply_to_id: z.string().max(64).nullish(),
    media_ids: z.array(z.string().max(64)).max(mediaLimits.perPost).optional(),
    shared_status_id: z.string().max(64).nullish(),
  }),
]);

/**
 * The channels a subscription listens to: where publishers send. Every Perch post is local, so public:local is public;
 * public:remote is a channel nothing publishes to. Notifications reach both "user" and "user:notification".
 */
export function channelsOf(sub: Subscription): string[] {
  switch (sub.stream) {
    case "user":
      return ["user", "notifications"];
    case "user:notification":
      return ["notifications"];
    case "direct":
      return ["direct"];
    case "public":
    case "public:local":
      return ["public"];
    case "public:media":
    case "public:local:media":
      return ["public:media"];
    case "public:remote":
    case "public:remote:media":
      return ["public:remote"];
    case "hashtag":
    case "hashtag:local":
      return [`hashtag:${sub.tag!.toLowerCase()}`];
    case "list":
      return [`list:${sub.list}`];
    case "perch:status":
      return [`status:${sub.status}`];
  }
}

/**
 * Whether a channel's events are kept in the hub's replay buffer. Public and hashtag streams are not (Mastodon replays
 * nothing; a public timeline is refetched by REST): they reach hubs through the stream relays, which must not cost a
 * storage write per listener (docs/decisions/0048).
 */
export const isReplayed = (channel: string) => !(channel === "public" || channel.startsWith("public:") || channel.startsWith("hashtag:"));

/** The `stream` array of a frame, as Mastodon names it: ["hashtag", "Birds"], ["list", "12"], ["user"]. */
export function streamLabel(sub: Subscription): string[] {
  if (sub.tag) return [sub.stream, sub.tag];
  if (sub.list) return [sub.stream, sub.list];
  if (sub.status) return [sub.stream, sub.status];
  return [sub.stream];
}

export const sameSubscription = (a: Subscription, b: Subscription) =>
  a.stream === b.stream && (a.tag ?? "").toLowerCase() === (b.tag ?? "").toLowerCase() && a.list === b.list && a.status === b.status;

/**
 * A server-sent event in Mastodon's envelope. The payload is a string: an entity as JSON, or a bare id for delete;
 * filters_changed has none. `event_id` is Perch's extension (Mastodon clients ignore it): the id of the event in the
 * hub's replay buffer, to resume from with ?last_event_id= after a reconnect (docs/decisions/0034).
 */
export interface StreamEvent {
  stream: string[];
  event: string;
  payload?: string;
  event_id?: string;
}

/**
 * Sent instead of the missed events when a client resumes from an id older than the replay buffer (or one the hub never
 * gave): reload by REST, then resume from `event_id`, the newest id there is.
 */
export const REFETCH_EVENT = "perch.refetch";

/** Perch's extension on the perch:status stream: a post's counts changed. Payload: {id, replies_count, ...}. */
export const STATUS_COUNTS_EVENT = "perch.status.counts";

/** A resume point as a client sends it (?last_event_id= or the Last-Event-ID header): a buffer id. */
export const lastEventIdSchema = z
  .string()
  .regex(/^\d{1,15}$/, { message: "last_event_id must be an event id the stream sent" })
  .transform(Number);

/** The headers the worker sets (after authenticating) to tell a Durable Object who is connecting, and through where. */
export const CONNECTING_USER_HEADER = "X-Perch-User-Id";
export const CONNECTING_ORIGIN_HEADER = "X-Perch-Origin";
/** The session or token it signed in with (live-credentials.ts), so the connection closes when that ends. */
export const CONNECTING_CREDENTIAL_HEADER = "X-Perch-Credential";
/** The conversation a chat socket joins, set by the socket door after checking membership. */
export const CONVERSATION_HEADER = "X-Perch-Conversation-Id";
/** "1" when the connection may write (send, read markers, typing): a page's session, or a token with the write scope. */
export const CONNECTING_MAY_WRITE_HEADER = "X-Perch-May-Write";

/**
 * The scope that lets a token change a conversation, on the API's write routes and on the chat socket alike; reading
 * takes read:statuses, as the rest of the API.
 */
export const CHAT_WRITE_SCOPE = "write:conversations";

export function parseClientFrame<T>(schema: z.ZodType<T>, frame: string | ArrayBuffer): T | undefined {
  if (typeof frame !== "string") return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(frame));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function errorFrame(message: string, status?: number): string {
  return JSON.stringify(status ? { error: message, status } : { error: message });
}
