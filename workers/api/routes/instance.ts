import { registrationsMode } from "#domain/accounts/registrations.ts";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { enabledCustomEmojis } from "#domain/custom-emojis.ts";
import { checkHealth, instanceStats } from "#domain/instance.ts";
import { siteInfo } from "#domain/instance-settings.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs } from "../authentication.ts";
import { AnnouncementListSchema } from "../entities/announcement.ts";
import { CustomEmojiListSchema, presentCustomEmoji } from "../entities/custom-emoji.ts";
import { errorResponse } from "../entities/error.ts";
import {
  ExtendedDescriptionSchema,
  InstanceV1Schema,
  InstanceV2Schema,
  presentExtendedDescription,
  presentInstanceV1,
  presentInstanceV2,
  presentRules,
  RulesSchema,
} from "../entities/instance.ts";
import {
  NODEINFO_20_SCHEMA,
  NODEINFO_21_SCHEMA,
  NodeInfo20Schema,
  NodeInfoLinksSchema,
  NodeInfoSchema,
  presentNodeInfo,
  presentNodeInfo20,
} from "../entities/nodeinfo.ts";
import { validationHook } from "../errors.ts";
import { queryBoolean } from "../params.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

const instanceV1Route = createRoute({
  method: "get",
  path: "/api/v1/instance",
  operationId: "getInstanceV1",
  tags: ["Instance"],
  summary: "Server information (v1)",
  description: "Mastodon's older instance entity, still read by many clients: name, limits, statistics.",
  responses: { 200: json(InstanceV1Schema, "This server's information, limits and statistics") },
});

const instanceV2Route = createRoute({
  method: "get",
  path: "/api/v2/instance",
  operationId: "getInstance",
  tags: ["Instance"],
  summary: "Server information (v2)",
  description: "Name, description, what posts and uploads may hold, registration, contact, and the Mastodon API version followed.",
  responses: { 200: json(InstanceV2Schema, "This server's information and limits") },
});

const nodeInfoLinksRoute = createRoute({
  method: "get",
  path: "/.well-known/nodeinfo",
  operationId: "getNodeInfoLinks",
  tags: ["Instance"],
  summary: "NodeInfo discovery",
  description: "Links to the NodeInfo documents this server serves (2.0 and 2.1).",
  responses: { 200: json(NodeInfoLinksSchema, "Where the NodeInfo document is") },
});

const nodeInfoRoute = createRoute({
  method: "get",
  path: "/nodeinfo/2.1",
  operationId: "getNodeInfo",
  tags: ["Instance"],
  summary: "NodeInfo 2.1",
  description: "Software, usage and registration, as NodeInfo 2.1 describes a server.",
  responses: { 200: json(NodeInfoSchema, "Software and usage, as NodeInfo 2.1") },
});

const HealthSchema = z
  .object({
    status: z.enum(["ok", "unavailable"]),
    checks: z.object({ d1: z.object({ status: z.enum(["ok", "unavailable"]), latency_ms: z.number() }) }),
  })
  .openapi("Health");

const healthRoute = createRoute({
  method: "get",
  path: "/healthz",
  operationId: "getHealth",
  tags: ["Instance"],
  summary: "Health check",
  description: "Answers 200 when the database answers, 503 when it does not. Never cached.",
  responses: { 200: json(HealthSchema, "Healthy"), 503: json(HealthSchema, "The database did not answer") },
});

const nodeInfo20Route = createRoute({
  method: "get",
  path: "/nodeinfo/2.0",
  operationId: "getNodeInfo20",
  tags: ["Instance"],
  summary: "NodeInfo 2.0",
  description: "The same as NodeInfo 2.1, in the older schema (no software repository or homepage), for readers that know only 2.0.",
  responses: { 200: json(NodeInfo20Schema, "Software and usage, as NodeInfo 2.0") },
});

const rulesRoute = createRoute({
  method: "get",
  path: "/api/v1/instance/rules",
  operationId: "getInstanceRules",
  tags: ["Instance"],
  summary: "The server's rules",
  description: "The rules people agree to when they sign up, in order (admins set them on /admin/settings).",
  responses: { 200: json(RulesSchema, "The rules") },
});

const extendedDescriptionRoute = createRoute({
  method: "get",
  path: "/api/v1/instance/extended_description",
  operationId: "getInstanceExtendedDescription",
  tags: ["Instance"],
  summary: "The server's longer description",
  description: "The server's description as HTML; Perch has one description, so this is the same text as in /api/v2/instance.",
  responses: { 200: json(ExtendedDescriptionSchema, "The description") },
});

const customEmojisRoute = createRoute({
  method: "get",
  path: "/api/v1/custom_emojis",
  operationId: "getCustomEmojis",
  tags: ["Instance"],
  summary: "Custom emoji",
  description: "The server's own emoji for :shortcodes:, the enabled ones, by shortcode (admins add them on /admin/emoji).",
  responses: { 200: json(CustomEmojiListSchema, "The custom emoji") },
});

const announcementsRoute = createRoute({
  method: "get",
  path: "/api/v1/announcements",
  operationId: "getAnnouncements",
  tags: ["Instance"],
  summary: "Announcements from the server's staff",
  description: "Perch has no announcements yet, so the list is always empty; as on Mastodon, it needs a user token with `read`.",
  ...needs(["read"]),
  request: {
    query: z.object({
      with_dismissed: queryBoolean.openapi({ description: "Include announcements you dismissed (there are none to dismiss)." }),
    }),
  },
  responses: {
    200: json(AnnouncementListSchema, "The announcements"),
    400: errorResponse("with_dismissed is not true or false"),
    401: errorResponse("No valid token"),
    403: errorResponse("The token lacks read"),
    422: errorResponse("An app token, which has no user"),
  },
});

export const instanceRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(instanceV1Route, async (c) => {
    const { domain, origin } = c.var.scope;
    const [stats, site] = await Promise.all([instanceStats(domain), siteInfo(domain)]);
    return c.json(presentInstanceV1(domain, stats, site, origin), 200);
  })
  .openapi(instanceV2Route, async (c) => {
    const { domain, origin } = c.var.scope;
    const [stats, site] = await Promise.all([instanceStats(domain), siteInfo(domain)]);
    return c.json(presentInstanceV2(domain, stats, site, origin), 200);
  })
  .openapi(nodeInfoLinksRoute, (c) =>
    c.json(
      {
        links: [
          { rel: NODEINFO_20_SCHEMA, href: `${c.var.scope.origin}/nodeinfo/2.0` },
          { rel: NODEINFO_21_SCHEMA, href: `${c.var.scope.origin}/nodeinfo/2.1` },
        ],
      },
      200,
    ),
  )
  .openapi(nodeInfo20Route, async (c) => {
    const { domain } = c.var.scope;
    return c.json(presentNodeInfo20(domain, await instanceStats(domain), await registrationsMode(domain)), 200, {
      "Content-Type": `application/json; profile="${NODEINFO_20_SCHEMA}#"`,
    });
  })
  .openapi(rulesRoute, async (c) => c.json(presentRules((await siteInfo(c.var.scope.domain)).rules), 200))
  .openapi(extendedDescriptionRoute, async (c) =>
    c.json(presentExtendedDescription(await siteInfo(c.var.scope.domain), c.var.scope.origin), 200),
  )
  .openapi(customEmojisRoute, async (c) => {
    const emojis = await enabledCustomEmojis(c.var.scope.domain);
    return c.json(
      emojis.map((emoji) => presentCustomEmoji(emoji, c.var.scope.origin)),
      200,
    );
  })
  .openapi(announcementsRoute, (c) => c.json([], 200))
  .openapi(nodeInfoRoute, async (c) => {
    const { domain } = c.var.scope;
    return c.json(presentNodeInfo(domain, await instanceStats(domain), await registrationsMode(domain)), 200, {
      "Content-Type": `application/json; profile="${NODEINFO_21_SCHEMA}#"`,
    });
  })
  .openapi(healthRoute, async (c) => {
    const health = await checkHealth(c.var.scope.domain);
    if (health.error) c.var.scope.logger.error("Health check failed", health.error);
    c.header("Cache-Control", "no-store");
    const status = health.ok ? "ok" : "unavailable";
    const body = { status, checks: { d1: { status, latency_ms: Math.round(health.latencyMs * 10) / 10 } } } as const;
    return health.ok ? c.json(body, 200) : c.json(body, 503);
  });
