import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { REFETCH_EVENT, STATUS_COUNTS_EVENT, STREAM_NAMES } from "./protocol.ts";
import { REPLAY_MAX_EVENTS, REPLAY_WINDOW_MS } from "./replay-buffer.ts";

type Registry = OpenAPIHono["openAPIRegistry"];

const streamingQuery = z.object({
  stream: z
    .enum(STREAM_NAMES)
    .optional()
    .openapi({
      description:
        "The stream to start with (more can be subscribed by message). `perch:status` is Perch's extension: one post's " +
        `counts, as \`${STATUS_COUNTS_EVENT}\` events whose payload is {id, replies_count, reblogs_count, favourites_count}.`,
    }),
  tag: z.string().optional().openapi({ description: "For hashtag streams: the tag, without #." }),
  list: z.string().optional().openapi({ description: "For the list stream: a list of yours." }),
  status: z.string().optional().openapi({ description: "Perch extension, for perch:status: a post you may see." }),
  access_token: z.string().optional().openapi({ description: "The token, where headers cannot be set (or send it as the subprotocol)." }),
  last_event_id: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional()
    .openapi({
      description:
        "Perch extension: resume after a reconnect. Every frame carries `event_id` (event streams: the `id:` line; there the " +
        "browser's `Last-Event-ID` header does the same). Each stream subscribed on the new connection is first sent the " +
        `events after this id, in order, from the last ${REPLAY_MAX_EVENTS} events of the last ${REPLAY_WINDOW_MS / 60_000} ` +
        `minutes; if some of them are no longer kept, one \`${REFETCH_EVENT}\` frame instead (reload by REST, then resume ` +
        "from its event_id).",
    }),
});

/**
 * The streaming door in the API document: Mastodon's WebSocket (and event-stream) endpoint with Perch's extensions,
 * the resume parameter and the perch:status stream (docs/decisions/0032 and 0034), and a conversation's socket (0035).
 */
export function describeStreaming(registry: Registry) {
  registry.registerPath({
    method: "get",
    path: "/api/v1/streaming",
    operationId: "streaming",
    tags: ["Streaming"],
    summary: "Open a streaming connection",
    description:
      'Mastodon\'s streaming API: upgrade to a WebSocket, then send `{"type": "subscribe" | "unsubscribe", "stream", ' +
      '"tag"?, "list"?}`. Frames are `{stream, event, payload, event_id}`: payload is a JSON string (a bare id for ' +
      "delete); event_id is Perch's extension, for last_event_id. A refused subscription is an error frame {error, status} " +
      "and subscribes nothing. Client frames: JSON text of at most 4 KB (binary closes with 1003, larger with 1009), 60 " +
      "a minute (more closes with 1008), 32 subscriptions. Closed with 4401 when the token or session it was opened with " +
      "ends (revoked, signed out, password changed, account suspended or disabled): do not reconnect. The same hub " +
      "answers /api/v1/streaming/user, /public/local, /hashtag?tag= and the other per-stream paths, as server-sent " +
      "events without an upgrade (with a `:thump` comment every 30 seconds).",
    security: [{ oauth2: ["read", "read:statuses", "read:notifications"] }],
    request: { query: streamingQuery },
    responses: {
      101: { description: "Switching to the WebSocket; a subprotocol offered (the token) is echoed" },
      200: {
        description: "Without an upgrade, on the per-stream paths: server-sent events (`id:`, `event:`, `data:` lines)",
        content: { "text/event-stream": { schema: z.string() } },
      },
      400: { description: "An unknown stream, a missing tag, list or status, or a malformed last_event_id" },
      401: { description: "No token, an invalid one, or a list that is not yours" },
      403: { description: "The token has no read scope" },
      404: { description: "A post (perch:status) that is not there or not for you" },
      426: { description: "Not a WebSocket upgrade" },
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/perch/chats/{id}/stream",
    operationId: "chatStream",
    tags: ["Chats"],
    summary: "Join a conversation live",
    description:
      "Perch extension: upgrade to a WebSocket on one conversation's room. The frames each way, the error frames and the " +
      "close codes are described on the Chats tag. Members only: to anyone else the conversation does not exist. A token " +
      "with a read scope may listen; one without write:conversations has its send, typing and read frames answered with " +
      "status 403 and stays connected.",
    security: [{ oauth2: ["read", "read:statuses"] }],
    request: {
      params: z.object({ id: z.string().openapi({ param: { name: "id", in: "path" }, description: "The conversation" }) }),
      query: z.object({
        access_token: z
          .string()
          .optional()
          .openapi({ description: "The token, where headers cannot be set (or send it as the subprotocol)." }),
      }),
    },
    responses: {
      101: { description: "Switching to the WebSocket; a subprotocol offered (the token) is echoed" },
      401: { description: "No token, or an invalid one" },
      403: { description: "The token has no read scope" },
      404: { description: "Not a conversation you are in" },
      426: { description: "Not a WebSocket upgrade" },
    },
  });
}
