import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { makeUser } from "#db/seed/factories.ts";
import { createApp } from "#workers/app.ts";
import { LOCAL_SETUP_PATH, localSetupResult } from "#workers/development/local-setup-protocol.ts";
import { fetchWorker, ORIGIN, testDomain } from "./support.ts";

/** The endpoint npm start calls once wrangler dev answers (docs/decisions/0021). */
const development = { ...env, ENVIRONMENT: "development" };
const probe = { name: "9999_local_setup_probe.sql", queries: ["CREATE TABLE local_setup_probe (id INTEGER PRIMARY KEY)"] };

async function setUp(body: unknown, authorization = `Bearer ${env.SESSION_SECRET}`) {
  const executionCtx = createExecutionContext();
  const response = await createApp().fetch(
    new Request(`${ORIGIN}${LOCAL_SETUP_PATH}`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    development,
    executionCtx,
  );
  await waitOnExecutionContext(executionCtx);
  return response;
}

beforeAll(async () => {
  await makeUser(testDomain(), { username: "Setup_Existing" });
});

describe("the local set-up endpoint", () => {
  it("does not exist outside development", async () => {
    const response = await fetchWorker(LOCAL_SETUP_PATH, {
      method: "POST",
      headers: { authorization: `Bearer ${env.SESSION_SECRET}`, "content-type": "application/json", origin: ORIGIN },
      body: JSON.stringify({ migrations: [probe] }),
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "Not found" });
    const table = await env.DB.prepare("SELECT name FROM sqlite_master WHERE name = 'local_setup_probe'").first();
    expect(table).toBeNull();
  });

  it("refuses a caller that cannot present SESSION_SECRET", async () => {
    const response = await setUp({ migrations: [probe] }, "Bearer not-the-secret");
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: expect.stringContaining("SESSION_SECRET") });
  });

  it("refuses a body that is not a list of migrations", async () => {
    const response = await setUp({ migrations: [{ name: "" }] });
    expect(response.status).toBe(400);
  });

  it("applies the migrations not yet applied, once, and leaves a database with people in it unseeded", async () => {
    const first = localSetupResult.parse(await (await setUp({ migrations: [probe] })).json());
    expect(first).toEqual({ applied: [probe.name], seeded: null, demo: { username: "alice", password: expect.any(String) } });
    const again = localSetupResult.parse(await (await setUp({ migrations: [probe] })).json());
    expect(again.applied).toEqual([]);
    const table = await env.DB.prepare("SELECT name FROM sqlite_master WHERE name = 'local_setup_probe'").first();
    expect(table).toEqual({ name: "local_setup_probe" });
  });
});
