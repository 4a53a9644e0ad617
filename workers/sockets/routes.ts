import { Hono, type Context } from "hono";
import { sessionCredential, tokenCredential } from "#domain/accounts/live-credentials.ts";
import { userForSession } from "#domain/accounts/sessions.ts";
import { grants, grantsAny } from "#domain/clients/scopes.ts";
import { authenticateBearer } from "#domain/clients/tokens.ts";
import { ownList } from "#domain/graph/lists.ts";
import { viewPost } from "#domain/posts/thread.ts";
import { bearerTokenOf } from "#workers/api/authentication.ts";
import { apiError } from "#workers/api/errors.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { readCookie, SESSION_COOKIE } from "#workers/platform/session-cookie.ts";
import { membershipOf } from "#domain/messages/conversations.ts";
import { conversationRoom, forwardUpgrade, userHub } from "./connect.ts";
import { CHAT_WRITE_SCOPE, CONVERSATION_HEADER, lastEventIdSchema, subscriptionSchema } from "./protocol.ts";

/**
 * The socket door. An authenticated upgrade is handed to the Durable Object that owns it: one per user for Mastodon's
 * streaming API (every stream, public ones too: docs/decisions/0032), one per conversation for chat (0035).
 */
export const socketRoutes = new Hono<AppEnv>();

const isUpgrade = (c: Context<AppEnv>) => c.req.header("Upgrade")?.toLowerCase() === "websocket";

function requireUpgrade(c: Context<AppEnv>): Response | undefined {
  if (isUpgrade(c)) return undefined;
  c.header("Upgrade", "websocket");
  return apiError(c, 426, "This endpoint speaks WebSocket; send an Upgrade: websocket request");
}

/**
 * Mastodon's clients put the token in the query (browsers cannot set headers on a WebSocket), in the Authorization
 * header, or as the only value of Sec-WebSocket-Protocol (which the hub then echoes, as the protocol requires).
 */
async function streamingUser(c: Context<AppEnv>, scopes = ["read", "read:statuses", "read:notifications"]) {
  const token = bearerTokenOf(c) ?? c.req.header("Sec-WebSocket-Protocol")?.split(",")[0]?.trim();
  if (!token) {
    const signedIn = await pageUser(c);
    return signedIn
      ? { user: signedIn.user, credential: sessionCredential(signedIn.session.id), scopes: undefined }
      : { problem: apiError(c, 401, "Missing access token") };
  }
  const holder = await authenticateBearer(c.var.scope.domain, token);
  if (!holder?.user) return { problem: apiError(c, 401, "The access token is invalid") };
  if (!grantsAny(holder.scopes, scopes)) return { problem: apiError(c, 403, "This action is outside the authorized scopes") };
  return { user: holder.user, credential: tokenCredential(holder.token.id), scopes: holder.scopes };
}

/**
 * Perch's own pages connect with the session cookie (the live badge). A browser always sends Origin on a WebSocket;
 * only our own origin may use the cookie, so another site cannot open a socket as the visitor.
 */
async function pageUser(c: Context<AppEnv>) {
  const origin = c.req.header("Origin");
  const cookie = readCookie(c.req.raw, SESSION_COOKIE);
  if (!cookie || !origin || ![c.var.scope.origin, new URL(c.req.url).origin].includes(origin)) return undefined;
  return userForSession(c.var.scope.domain, cookie);
}

/**
 * Connects to a stream named in the query (?stream=hashtag&tag=birds) or by the path (/api/v1/streaming/hashtag/local):
 * a WebSocket when the client asks to upgrade, otherwise server-sent events, as Mastodon's streaming server answers.
 */
async function connectStream(c: Context<AppEnv>, streamFromPath?: string): Promise<Response> {
  const stream = streamFromPath ?? c.req.query("stream");
  const { user, credential, problem } = await streamingUser(c, stream === "user:notification" ? ["read", "read:notifications"] : undefined);
  if (!user) return problem;
  const lastEventId = c.req.query("last_event_id") ?? c.req.header("Last-Event-ID");
  if (lastEventId !== undefined && !lastEventIdSchema.safeParse(lastEventId).success) {
    return apiError(c, 400, "last_event_id must be an event id the stream sent");
  }
  if (stream !== undefined) {
    const parsed = subscriptionSchema.safeParse({
      stream,
      tag: c.req.query("tag"),
      list: c.req.query("list"),
      status: c.req.query("status"),
    });
    if (!parsed.success) return apiError(c, 400, parsed.error.issues[0]?.message ?? "Unknown stream type");
    const allowed = (check: Promise<unknown>) =>
      check.then(
        () => true,
        () => false,
      );
    if (parsed.data.list && !(await allowed(ownList(c.var.scope.domain, user.id, parsed.data.list)))) {
      return apiError(c, 401, "Not authorized to stream this list");
    }
    if (parsed.data.status && !(await allowed(viewPost(c.var.scope.domain, user.id, parsed.data.status)))) {
      return apiError(c, 404, "Record not found");
    }
  }
  const url = new URL(c.req.url);
  if (stream !== undefined) url.searchParams.set("stream", stream);
  return forwardUpgrade(userHub(c.env, user.id), new Request(url, c.req.raw), { userId: user.id, credential, origin: c.var.scope.origin });
}

socketRoutes.get("/api/v1/streaming/health", (c) => c.text("OK"));

socketRoutes.get("/api/v1/streaming", async (c) => requireUpgrade(c) ?? connectStream(c));

/** Mastodon's per-stream paths: /user, /user/notification, /public/local, /hashtag?tag=..., /list?list=... */
socketRoutes.get("/api/v1/streaming/:path{.+}", async (c) => {
  const stream = c.req.param("path").replace(/\/+$/, "").replaceAll("/", ":");
  if (!subscriptionSchema.safeParse({ stream, tag: "x", list: "x", status: "x" }).success) return apiError(c, 404, "Not found");
  return connectStream(c, stream);
});

/**
 * A conversation's socket (frames in docs/decisions/0035). Only a member may join; to anyone else the conversation
 * does not exist (404), as on every other door. A read-only token may listen; its write frames are refused (403).
 */
socketRoutes.get("/api/v1/perch/chats/:id/stream", async (c) => {
  const refused = requireUpgrade(c);
  if (refused) return refused;
  const { user, credential, scopes, problem } = await streamingUser(c, ["read", "read:statuses"]);
  if (!user) return problem;
  // A page's session may do anything its forms do; a token writes only with the scope the API's write routes need.
  const mayWrite = !scopes || grants(scopes, CHAT_WRITE_SCOPE);
  const conversationId = c.req.param("id");
  const member = await membershipOf(c.var.scope.domain, conversationId, user.id).catch(() => undefined);
  if (!member) return apiError(c, 404, "Conversation not found");
  const request = new Request(c.req.raw);
  request.headers.set(CONVERSATION_HEADER, conversationId);
  return forwardUpgrade(conversationRoom(c.env, conversationId), request, { userId: user.id, credential, mayWrite });
});
