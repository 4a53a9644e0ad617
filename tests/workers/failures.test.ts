import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "#workers/app.ts";
import { parseConfig } from "#workers/platform/env.ts";
import { makeUser } from "#db/seed/factories.ts";
import { expectLoggedErrors } from "./setup.ts";
import { fetchWorker, testDomain } from "./support.ts";

describe("configuration", () => {
  it("names every missing or invalid setting at once", () => {
    const broken = () => parseConfig({ ...env, SESSION_SECRET: undefined, CONTACT_EMAIL: "nope" } as unknown as Env);
    expect(broken).toThrow("SESSION_SECRET: is not set (see .dev.vars.example)");
    expect(broken).toThrow("CONTACT_EMAIL: Invalid email address");
    expect(() => parseConfig({ ...env, SESSION_SECRET: "short" })).toThrow(/SESSION_SECRET: must be at least 32 characters/);
    expect(() => parseConfig({ ...env, DB: undefined } as unknown as Env)).toThrow(/DB: binding is missing/);
  });

  it("writes log lines at LOG_LEVEL and above: a request's line at info, none at warn", async () => {
    const log = vi.spyOn(console, "log");
    const requestLines = () => log.mock.calls.filter(([line]) => String(line).includes('"message":"request"')).length;
    const context = { waitUntil: () => undefined, passThroughOnException: () => undefined, props: {} } as unknown as ExecutionContext;
    await createApp().fetch(new Request("http://perch.test/api/v1/no-such-endpoint"), { ...env, LOG_LEVEL: "warn" }, context);
    expect(requestLines()).toBe(0);
    await createApp().fetch(new Request("http://perch.test/api/v1/no-such-endpoint"), { ...env, LOG_LEVEL: "info" }, context);
    expect(requestLines()).toBe(1);
    expect(parseConfig({ ...env, LOG_LEVEL: undefined }).LOG_LEVEL).toBe("info");
    expect(() => parseConfig({ ...env, LOG_LEVEL: "verbose" })).toThrow(/LOG_LEVEL: Invalid option/);
    log.mockRestore();
  });

  it("makes the Worker refuse requests with 503, logging what is wrong", async () => {
    const logged = expectLoggedErrors();
    const response = await createApp().fetch(new Request("http://perch.test/"), { ...env, SESSION_SECRET: "" }, {
      waitUntil: () => undefined,
      passThroughOnException: () => undefined,
      props: {},
    } as unknown as ExecutionContext);
    expect(response.status).toBe(503);
    expect(await response.text()).not.toContain("SESSION_SECRET");
    expect(JSON.stringify(logged())).toContain("SESSION_SECRET: is not set");
  });
});

describe("unexpected failures", () => {
  beforeAll(async () => {
    await makeUser(testDomain(), { username: "before_the_fall" });
    // Break the database under the running Worker: every door must fail closed, log, and hide the details.
    await env.DB.exec("DROP TABLE post_tags; DROP TABLE mentions; DROP TABLE posts");
  });

  it("on the API: a 500 in Mastodon's error shape, with the stack only in the log", async () => {
    const logged = expectLoggedErrors();
    const response = await fetchWorker("/api/v1/timelines/public");
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ error: "Something went wrong on our side; it has been logged" });
    expect(body).not.toMatch(/posts|at |\.ts/);
    const [line] = logged();
    expect(line).toMatchObject({ level: "error", requestId: response.headers.get("X-Request-Id") });
    expect(JSON.stringify(line)).toContain("no such table: posts");
    expect(JSON.stringify(line)).toContain("stack");
  });

  it("on pages: the friendly 500 page, with nothing of the error in it", async () => {
    const logged = expectLoggedErrors();
    const response = await fetchWorker("/");
    expect(response.status).toBe(500);
    const html = await response.text();
    expect(html).toContain("Something went wrong");
    expect(html).not.toContain("no such table");
    expect(logged().some((line) => JSON.stringify(line).includes("no such table: posts"))).toBe(true);
  });

  it("keeps /healthz honest: the database still answers", async () => {
    const response = await fetchWorker("/healthz");
    expect(response.status).toBe(200);
  });
});
