import { Hono, type Context } from "hono";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { apiError } from "#workers/api/errors.ts";

/**
 * The socket door. Upgrades go to one Durable Object per user (Mastodon's /api/v1/streaming) or per conversation,
 * via forwardUpgrade in connect.ts, once the caller is authenticated. Access tokens arrive with accounts, so until
 * then every upgrade is answered 401, as Mastodon answers a missing token.
 */
export const socketRoutes = new Hono<AppEnv>();

function requireUpgrade(c: Context<AppEnv>): Response | undefined {
  if (c.req.header("Upgrade")?.toLowerCase() === "websocket") return undefined;
  c.header("Upgrade", "websocket");
  return apiError(c, 426, "This endpoint speaks WebSocket; send an Upgrade: websocket request");
}

socketRoutes.get("/api/v1/streaming/health", (c) => c.text("OK"));

socketRoutes.get("/api/v1/streaming", (c) => requireUpgrade(c) ?? apiError(c, 401, "Missing access token"));

socketRoutes.get("/api/v1/conversations/:id/live", (c) => requireUpgrade(c) ?? apiError(c, 401, "Missing access token"));
