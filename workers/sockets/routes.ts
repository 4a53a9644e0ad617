import { Hono, type Context } from "hono";
import { grantsAny } from "#domain/clients/scopes.ts";
import { authenticateBearer } from "#domain/clients/tokens.ts";
import { bearerTokenOf } from "#workers/api/authentication.ts";
import { apiError } from "#workers/api/errors.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { forwardUpgrade, userHub } from "./connect.ts";

/**
 * The socket door. An authenticated upgrade is handed to the Durable Object that owns it: one per user for Mastodon's
 * streaming API, one per conversation for chat.
 */
export const socketRoutes = new Hono<AppEnv>();

function requireUpgrade(c: Context<AppEnv>): Response | undefined {
  if (c.req.header("Upgrade")?.toLowerCase() === "websocket") return undefined;
  c.header("Upgrade", "websocket");
  return apiError(c, 426, "This endpoint speaks WebSocket; send an Upgrade: websocket request");
}

/**
 * Mastodon's clients put the token in the query (browsers cannot set headers on a WebSocket), in the Authorization
 * header, or in Sec-WebSocket-Protocol.
 */
async function streamingUser(c: Context<AppEnv>) {
  const token = bearerTokenOf(c) ?? c.req.header("Sec-WebSocket-Protocol");
  if (!token) return { problem: apiError(c, 401, "Missing access token") };
  const holder = await authenticateBearer(c.var.scope.domain, token);
  if (!holder?.user) return { problem: apiError(c, 401, "The access token is invalid") };
  if (!grantsAny(holder.scopes, ["read", "read:statuses", "read:notifications"])) {
    return { problem: apiError(c, 403, "This action is outside the authorized scopes") };
  }
  return { user: holder.user };
}

socketRoutes.get("/api/v1/streaming/health", (c) => c.text("OK"));

socketRoutes.get("/api/v1/streaming", async (c) => {
  const refused = requireUpgrade(c);
  if (refused) return refused;
  const { user, problem } = await streamingUser(c);
  if (!user) return problem;
  return forwardUpgrade(userHub(c.env, user.id), c.req.raw, user.id);
});

socketRoutes.get("/api/v1/conversations/:id/live", async (c) => {
  const refused = requireUpgrade(c);
  if (refused) return refused;
  const { user, problem } = await streamingUser(c);
  if (!user) return problem;
  // Conversations arrive with direct messages; until then no conversation has members to join.
  return apiError(c, 404, "Conversation not found");
});
