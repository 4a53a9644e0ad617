import { z } from "zod";

/**
 * Messages clients send over a socket. UserHub speaks Mastodon's streaming protocol (subscribe/unsubscribe to a
 * stream by name); ConversationRoom adds typing. Anything else is answered with an error frame, not a crash.
 */
export const USER_STREAMS = ["user", "user:notification", "direct"] as const;
export type UserStream = (typeof USER_STREAMS)[number];

export const userHubClientMessage = z.object({
  type: z.enum(["subscribe", "unsubscribe"]),
  stream: z.enum(USER_STREAMS),
});

export const roomClientMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("typing") }),
  z.object({ type: z.literal("ping") }),
]);

/** A server-sent event in Mastodon's envelope: the payload is itself a JSON string. */
export interface StreamEvent {
  stream: string[];
  event: string;
  payload: string;
}

/** The header the worker sets (after authenticating) to tell a Durable Object who is connecting. */
export const CONNECTING_USER_HEADER = "X-Perch-User-Id";

export function parseClientFrame<T>(schema: z.ZodType<T>, frame: string | ArrayBuffer): T | undefined {
  if (typeof frame !== "string") return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(frame));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function errorFrame(message: string): string {
  return JSON.stringify({ error: message });
}
