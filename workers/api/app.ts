import { OpenAPIHono } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { authenticate } from "./authentication.ts";
import { apiDocsPage } from "./docs-page.ts";
import { apiError, apiErrorResponse, validationHook } from "./errors.ts";
import { describeChatMedia } from "#workers/media/chat-media.ts";
import { describeStreaming } from "#workers/sockets/openapi.ts";
import { describeOAuth, openApiConfig } from "./openapi.ts";
import { accountRoutes } from "./routes/accounts.ts";
import { graphRoutes } from "./routes/graph.ts";
import { listRoutes } from "./routes/lists.ts";
import { mediaRoutes } from "./routes/media.ts";
import { instanceRoutes } from "./routes/instance.ts";
import { oauthRoutes } from "./routes/oauth.ts";
import { engagementRoutes } from "./routes/engagement.ts";
import { forYouRoutes } from "./routes/for-you.ts";
import { pollRoutes } from "./routes/polls.ts";
import { markerRoutes } from "./routes/markers.ts";
import { notificationPolicyRoutes } from "./routes/notification-policy.ts";
import { notificationPreferenceRoutes } from "./routes/notification-preferences.ts";
import { notificationRoutes } from "./routes/notifications.ts";
import { chatRoutes } from "./routes/chats.ts";
import { conversationRoutes } from "./routes/conversations.ts";
import { tagRoutes } from "./routes/tags.ts";
import { reportRoutes } from "./routes/reports.ts";
import { adminAccountRoutes } from "./routes/admin-accounts.ts";
import { adminEmailBlockRoutes } from "./routes/admin-email-blocks.ts";
import { adminReportRoutes } from "./routes/admin-reports.ts";
import { adminTrendRoutes } from "./routes/admin-trends.ts";
import { filterRoutes } from "./routes/filters.ts";
import { searchRoutes } from "./routes/search.ts";
import { trendRoutes } from "./routes/trends.ts";
import { suggestionRoutes } from "./routes/suggestions.ts";
import { momentRoutes } from "./routes/moments.ts";
import { similarRoutes } from "./routes/similar.ts";
import { preferenceRoutes } from "./routes/preferences.ts";
import { statusRoutes } from "./routes/statuses.ts";
import { scheduledStatusRoutes } from "./routes/scheduled-statuses.ts";
import { draftRoutes } from "./routes/drafts.ts";
import { storyRoutes } from "./routes/stories.ts";
import { timelineRoutes } from "./routes/timelines.ts";
import { webfingerRoutes } from "./routes/webfinger.ts";

/**
 * The JSON API door: Mastodon's client API under /api/v1 and /api/v2, the discovery documents beside it, and the
 * OpenAPI description of all of it, generated from the same zod schemas that validate requests.
 */
export function createApi() {
  const api = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  api.use("/api/*", async (c, next) => {
    c.var.scope.cspProfile = "none";
    await next();
  });
  // Web clients on other origins (Elk and the like) call the API from the browser with bearer tokens, never cookies.
  const crossOrigin = cors({
    origin: "*",
    allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key"],
    exposeHeaders: ["Link", "Retry-After", "X-Request-Id"],
    maxAge: 86_400,
  });
  const crossOriginPaths = [
    "/api/*",
    "/oauth/token",
    "/oauth/revoke",
    "/.well-known/nodeinfo",
    "/.well-known/oauth-authorization-server",
    "/.well-known/webfinger",
    "/nodeinfo/*",
  ];
  for (const path of crossOriginPaths) api.use(path, crossOrigin);
  api.use("/api/*", authenticate);

  api.route("/", instanceRoutes);
  api.route("/", webfingerRoutes);
  api.route("/", timelineRoutes);
  api.route("/", forYouRoutes);
  api.route("/", oauthRoutes);
  // Static account paths (relationships, lookup, verify_credentials) must be routed before /accounts/{id}.
  api.route("/", graphRoutes);
  api.route("/", listRoutes);
  api.route("/", statusRoutes);
  api.route("/", scheduledStatusRoutes);
  api.route("/", draftRoutes);
  api.route("/", storyRoutes);
  api.route("/", engagementRoutes);
  api.route("/", pollRoutes);
  api.route("/", preferenceRoutes);
  api.route("/", markerRoutes);
  api.route("/", notificationPolicyRoutes);
  api.route("/", notificationPreferenceRoutes);
  api.route("/", notificationRoutes);
  api.route("/", chatRoutes);
  api.route("/", conversationRoutes);
  api.route("/", tagRoutes);
  api.route("/", reportRoutes);
  api.route("/", adminAccountRoutes);
  api.route("/", adminReportRoutes);
  api.route("/", adminTrendRoutes);
  api.route("/", adminEmailBlockRoutes);
  api.route("/", filterRoutes);
  api.route("/", searchRoutes);
  api.route("/", trendRoutes);
  api.route("/", suggestionRoutes);
  api.route("/", momentRoutes);
  api.route("/", similarRoutes);
  api.route("/", mediaRoutes);
  api.route("/", accountRoutes);

  api.doc31("/api/openapi.json", (c) => openApiConfig(c.var.scope.origin, c.var.scope.domain.config.CONTACT_EMAIL));
  describeOAuth(api.openAPIRegistry);
  describeStreaming(api.openAPIRegistry);
  describeChatMedia(api.openAPIRegistry);
  api.get("/api/docs", apiDocsPage);

  api.all("/api/*", (c) => apiError(c, 404, "Not found"));
  // Every path this door serves (the discovery documents under /.well-known and /nodeinfo too) answers errors as JSON.
  api.onError((error, c) => apiErrorResponse(c, error));
  return api;
}
