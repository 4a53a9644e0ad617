import { OpenAPIHono } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import { ALL_SCOPES, describeScope } from "#domain/clients/scopes.ts";
import { PERCH_VERSION } from "#domain/instance.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { authenticate } from "./authentication.ts";
import { apiDocsPage } from "./docs-page.ts";
import { apiError, validationHook } from "./errors.ts";
import { accountRoutes } from "./routes/accounts.ts";
import { graphRoutes } from "./routes/graph.ts";
import { listRoutes } from "./routes/lists.ts";
import { mediaRoutes } from "./routes/media.ts";
import { instanceRoutes } from "./routes/instance.ts";
import { oauthRoutes } from "./routes/oauth.ts";
import { engagementRoutes } from "./routes/engagement.ts";
import { pollRoutes } from "./routes/polls.ts";
import { preferenceRoutes } from "./routes/preferences.ts";
import { statusRoutes } from "./routes/statuses.ts";
import { scheduledStatusRoutes } from "./routes/scheduled-statuses.ts";
import { draftRoutes } from "./routes/drafts.ts";
import { timelineRoutes } from "./routes/timelines.ts";

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
  for (const path of ["/api/*", "/oauth/token", "/oauth/revoke", "/.well-known/nodeinfo", "/nodeinfo/*"]) api.use(path, crossOrigin);
  api.use("/api/*", authenticate);

  api.route("/", instanceRoutes);
  api.route("/", timelineRoutes);
  api.route("/", oauthRoutes);
  // Static account paths (relationships, lookup, verify_credentials) must be routed before /accounts/{id}.
  api.route("/", graphRoutes);
  api.route("/", listRoutes);
  api.route("/", statusRoutes);
  api.route("/", scheduledStatusRoutes);
  api.route("/", draftRoutes);
  api.route("/", engagementRoutes);
  api.route("/", pollRoutes);
  api.route("/", preferenceRoutes);
  api.route("/", mediaRoutes);
  api.route("/", accountRoutes);

  api.doc31("/api/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: "Perch API",
      version: PERCH_VERSION,
      description:
        "Mastodon's client API wherever Perch has the concept, so Mastodon apps and libraries work unchanged; features " +
        'Mastodon lacks are documented as extensions. Errors are always `{"error": "..."}` with the HTTP status.',
    },
    servers: [{ url: c.var.scope.origin }],
  }));
  const scopes = Object.fromEntries(ALL_SCOPES.map((scope) => [scope, describeScope(scope)]));
  api.openAPIRegistry.registerComponent("securitySchemes", "oauth2", {
    type: "oauth2",
    description:
      "Send `Authorization: Bearer <token>`: an OAuth 2 access token from /oauth/token (register an app with POST /api/v1/apps " +
      "first), or a personal access token made in settings. A route lists the scopes that let a token call it; any one will do.",
    flows: {
      authorizationCode: { authorizationUrl: "/oauth/authorize", tokenUrl: "/oauth/token", scopes },
      clientCredentials: { tokenUrl: "/oauth/token", scopes },
    },
  });
  api.get("/api/docs", apiDocsPage);

  api.all("/api/*", (c) => apiError(c, 404, "Not found"));
  return api;
}
