import { count } from "drizzle-orm";
import { Hono } from "hono";
import { applyMigrations } from "#db/migrate.ts";
import { users } from "#db/schema/index.ts";
import { DEMO_ADMIN, DEMO_PASSWORD, seedDemo } from "#db/seed/demo.ts";
import { timingSafeEqual } from "../platform/crypto.ts";
import type { AppEnv } from "../platform/request-scope.ts";
import { LOCAL_SETUP_PATH, localSetupRequest, type LocalSetupResult } from "./local-setup-protocol.ts";

/**
 * Development only: brings the local database up to date and adds the demo data when nobody has signed up yet, inside
 * workerd, where each D1 statement is a local call instead of a round trip through a platform proxy
 * (docs/decisions/0021). Anywhere else the path does not exist. The caller proves it can read .dev.vars by presenting
 * SESSION_SECRET.
 */
export const localSetupRoutes = new Hono<AppEnv>().post(LOCAL_SETUP_PATH, async (c) => {
  const { config, domain } = c.var.scope;
  if (config.ENVIRONMENT !== "development") return c.json({ error: "Not found" }, 404);
  if (!presentsSecret(c.req.header("authorization"), config.SESSION_SECRET)) {
    return c.json({ error: "Present SESSION_SECRET from .dev.vars as a bearer token." }, 401);
  }
  const body = localSetupRequest.safeParse(await c.req.json().catch(() => undefined));
  if (!body.success) return c.json({ error: "Send {migrations: [{name, queries}]}, as scripts/migration-files.ts reads them." }, 400);

  const applied = await applyMigrations(c.env.DB, body.data.migrations);
  const [existing] = await domain.db.select({ value: count() }).from(users);
  const seeded = existing?.value ? null : await seedDemo(domain);
  return c.json({ applied, seeded, demo: { username: DEMO_ADMIN, password: DEMO_PASSWORD } } satisfies LocalSetupResult);
});

function presentsSecret(authorization: string | undefined, secret: string): boolean {
  const encoder = new TextEncoder();
  return timingSafeEqual(encoder.encode(authorization ?? ""), encoder.encode(`Bearer ${secret}`));
}
