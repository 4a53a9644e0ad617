import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { checkHealth, instanceStats } from "#domain/instance.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { InstanceV1Schema, InstanceV2Schema, presentInstanceV1, presentInstanceV2 } from "../entities/instance.ts";
import { NODEINFO_21_SCHEMA, NodeInfoLinksSchema, NodeInfoSchema, presentNodeInfo } from "../entities/nodeinfo.ts";
import { validationHook } from "../errors.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

const instanceV1Route = createRoute({
  method: "get",
  path: "/api/v1/instance",
  tags: ["Instance"],
  summary: "Server information (v1)",
  responses: { 200: json(InstanceV1Schema, "This server's information, limits and statistics") },
});

const instanceV2Route = createRoute({
  method: "get",
  path: "/api/v2/instance",
  tags: ["Instance"],
  summary: "Server information (v2)",
  responses: { 200: json(InstanceV2Schema, "This server's information and limits") },
});

const nodeInfoLinksRoute = createRoute({
  method: "get",
  path: "/.well-known/nodeinfo",
  tags: ["Instance"],
  summary: "NodeInfo discovery",
  responses: { 200: json(NodeInfoLinksSchema, "Where the NodeInfo document is") },
});

const nodeInfoRoute = createRoute({
  method: "get",
  path: "/nodeinfo/2.1",
  tags: ["Instance"],
  summary: "NodeInfo 2.1",
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
  tags: ["Instance"],
  summary: "Health check",
  description: "Answers 200 when the database answers, 503 when it does not. Never cached.",
  responses: { 200: json(HealthSchema, "Healthy"), 503: json(HealthSchema, "The database did not answer") },
});

export const instanceRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(instanceV1Route, async (c) => {
    const { domain, origin } = c.var.scope;
    return c.json(presentInstanceV1(domain, await instanceStats(domain), origin), 200);
  })
  .openapi(instanceV2Route, async (c) => {
    const { domain, origin } = c.var.scope;
    return c.json(presentInstanceV2(domain, await instanceStats(domain), origin), 200);
  })
  .openapi(nodeInfoLinksRoute, (c) => c.json({ links: [{ rel: NODEINFO_21_SCHEMA, href: `${c.var.scope.origin}/nodeinfo/2.1` }] }, 200))
  .openapi(nodeInfoRoute, async (c) => {
    const { domain } = c.var.scope;
    return c.json(presentNodeInfo(domain, await instanceStats(domain)), 200, {
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
