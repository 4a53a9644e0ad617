import { z } from "zod";

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
] as const;
export type StreamName = (typeof STREAM_NAMES)[number];

/** A stream as a socket subscribed to it: its name and, for hashtag and list streams, which tag or list. */
export interface Subscription {
  stream: StreamName;
  tag?: string;
  list?: string;
}

export const subscriptionSchema = z
  .object({
    stream: z.enum(STREAM_NAMES, { message: "Unknown stream type" }),
    tag: z.string().trim().min(1).max(200).optional(),
    list: z.string().min(1).max(64).optional(),
  })
  .refine((sub) => !sub.stream.startsWith("hashtag") || sub.tag, { message: "Missing tag name parameter" })
  .refine((sub) => sub.stream !== "list" || sub.list, { message: "Missing list name parameter" })
  .transform((sub): Subscription => ({
    stream: sub.stream,
    ...(sub.stream.startsWith("hashtag") ? { tag: sub.tag!.replace(/^#/, "") } : {}),
    ...(sub.stream === "list" ? { list: sub.list } : {}),
  }));

export const userHubClientMessage = z.object({
  type: z.enum(["subscribe", "unsubscribe"]),
  stream: z.string(),
  tag: z.string().optional(),
  list: z.string().optional(),
});

/** What a chat client sends on a conversation's socket (docs/decisions/0035 documents every frame). */
export const roomClientMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("typing") }),
  z.object({ type: z.literal("ping") }),
  z.object({
    type: z.literal("send"),
    client_id: z.string().max(64),
    text: z.string().max(20_000),
    reply_to_id: z.string().max(64).nullish(),
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
  }
}

/** The `stream` array of a frame, as Mastodon names it: ["hashtag", "Birds"], ["list", "12"], ["user"]. */
export function streamLabel(sub: Subscription): string[] {
  if (sub.tag) return [sub.stream, sub.tag];
  if (sub.list) return [sub.stream, sub.list];
  return [sub.stream];
}

export const sameSubscription = (a: Subscription, b: Subscription) =>
  a.stream === b.stream && (a.tag ?? "").toLowerCase() === (b.tag ?? "").toLowerCase() && a.list === b.list;

/**
 * A server-sent event in Mastodon's envelope. The payload is a string: an entity as JSON, or a bare id for delete;
 * filters_changed has none.
 */
export interface StreamEvent {
  stream: string[];
  event: string;
  payload?: string;
}

/** The headers the worker sets (after authenticating) to tell a Durable Object who is connecting, and through where. */
export const CONNECTING_USER_HEADER = "X-Perch-User-Id";
export const CONNECTING_ORIGIN_HEADER = "X-Perch-Origin";
/** The conversation a chat socket joins, set by the socket door after checking membership. */
export const CONVERSATION_HEADER = "X-Perch-Conversation-Id";

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
