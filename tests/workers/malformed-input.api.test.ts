import type { ServerBuild } from "@remix-run/cloudflare";
import { describe, expect, it } from "vitest";
import * as build from "#build/server/index.js";
import { identiconPng } from "#db/seed/artwork.ts";
import { makeUser } from "#db/seed/factories.ts";
import { ALL_SCOPES } from "#domain/clients/scopes.ts";
import { fetchWorker, ORIGIN, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

/**
 * The malformed-input sweep: every operation in the OpenAPI document, sent a handful of malformed variants (bad JSON,
 * wrong content types, odd path segments, odd query values, huge strings, arrays where scalars go) with a token holding
 * every scope, must answer below 500. It reads the document the API serves, so a new endpoint is swept without
 * anyone listing it here.
 */

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, unknown> };
}
type PathItem = Record<string, Operation>;

interface Probe {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

const LONG = "x".repeat(5_000);
/** Path segments that are not ids: percent-encodings that do not decode (or decode to a `%`), numbers out of range. */
const ODD_SEGMENTS = ["%25", "%FF", "%C0%AF", "-1", "NaN", "99999999999999999999999999", LONG];
/** Query values that are wrong for every kind of parameter, sent once each and once repeated (an array). */
const ODD_VALUES = ["-1", "NaN", "1e309", LONG, "%FF"];
/** Bodies that no endpoint can accept as they stand. */
const BAD_BODIES: { type: string; body: string }[] = [
  { type: "application/json", body: "{not json" },
  { type: "application/json", body: "" },
  { type: "application/json", body: "[1,2]" },
  { type: "application/json", body: "null" },
  { type: "text/plain", body: "hello" },
  { type: "multipart/form-data", body: "no boundary here" },
  { type: "multipart/form-data; boundary=x", body: "--x\r\nbroken" },
  { type: "application/x-www-form-urlencoded", body: "%FF=%FF&a[b]]=1" },
];
/** The same wrong value in every field a JSON body may have: huge strings, negative and non-finite numbers, arrays. */
const ODD_FIELD_VALUES: unknown[] = [LONG, -1, 1e308, ["a", ["b"]], { nested: true }, null];

function fill(path: string, segment: string): string {
  return path.replace(/\{[^}]+\}/g, segment);
}

function fieldsOf(operation: Operation): string[] {
  const schema = (operation.requestBody?.content["application/json"] ?? operation.requestBody?.content["multipart/form-data"]) as
    { schema?: { properties?: Record<string, unknown> } } | undefined;
  return Object.keys(schema?.schema?.properties ?? {});
}

/** Ids of real records of the sweeping user's (and another account's), so that odd queries and bodies reach handlers. */
type RealIds = Record<"account" | "status" | "poll" | "list" | "media", string>;

/** The path with its parameters naming real records: the kind of record is the segment before `{id}`. */
function realPath(path: string, ids: RealIds): string {
  const kinds: Record<string, keyof RealIds> = { accounts: "account", statuses: "status", polls: "poll", lists: "list", media: "media" };
  return path
    .replace(/\/([a-z_]+)\/\{id\}/g, (_, kind: string) => `/${kind}/${kinds[kind] ? ids[kinds[kind]] : "1"}`)
    .replace("{emoji}", encodeURIComponent("🙂"))
    .replace("{hashtag}", "birds");
}

function probesFor(path: string, method: string, operation: Operation, ids: RealIds): Probe[] {
  const probes: Probe[] = [];
  const verb = method.toUpperCase();
  const hasPathParameters = path.includes("{");
  const base = realPath(path, ids);
  if (hasPathParameters) for (const segment of ODD_SEGMENTS) probes.push({ method: verb, path: fill(path, segment) });
  const query = (operation.parameters ?? []).filter((parameter) => parameter.in === "query").map((parameter) => parameter.name);
  if (query.length > 0) {
    for (const value of ODD_VALUES) {
      const single = new URLSearchParams(query.map((name) => [name, value]));
      const repeated = new URLSearchParams(
        query.flatMap((name) => [
          [name, value],
          [name, value],
        ]),
      );
      probes.push({ method: verb, path: `${base}?${single}` }, { method: verb, path: `${base}?${repeated}` });
    }
  }
  if (verb !== "GET" && verb !== "HEAD") {
    for (const { type, body } of BAD_BODIES) probes.push({ method: verb, path: base, headers: { "Content-Type": type }, body });
    const fields = fieldsOf(operation);
    for (const value of fields.length > 0 ? ODD_FIELD_VALUES : []) {
      const body = JSON.stringify(Object.fromEntries(fields.map((field) => [field, value])));
      probes.push({ method: verb, path: base, headers: { "Content-Type": "application/json" }, body });
      const form = new URLSearchParams(fields.map((field) => [field, typeof value === "string" ? value : JSON.stringify(value)]));
      probes.push({ method: verb, path: base, headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: String(form) });
    }
  }
  return probes;
}

/** Runs the probes a few at a time: enough to finish quickly, few enough for a loaded two-core machine. */
async function sweep(probes: Probe[], token: string, concurrency = 4): Promise<string[]> {
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < probes.length) {
      const probe = probes[next++]!;
      const headers = { ...probe.headers, Authorization: `Bearer ${token}`, "cf-connecting-ip": `198.18.${next >> 8}.${next & 255}` };
      const response = await fetchWorker(probe.path, { method: probe.method, headers, body: probe.body });
      const text = await response.text();
      if (response.status >= 500) {
        const shown = probe.path.length > 120 ? `${probe.path.slice(0, 120)}…` : probe.path;
        failures.push(
          `${probe.method} ${shown} [${probe.headers?.["Content-Type"] ?? "no body"}] ${(probe.body ?? "").slice(0, 60)} -> ${response.status} ${text.slice(0, 200)}`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return failures;
}

/** A post with a poll, a list and an upload of the sweeping user's, made through the API as a client would. */
async function realRecords(token: string, accountId: string): Promise<RealIds> {
  const call = async (path: string, body: unknown) => {
    const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    const response = await fetchWorker(path, { method: "POST", headers, body: JSON.stringify(body) });
    expect(response.status, path).toBe(200);
    return (await response.json()) as { id: string; poll: { id: string } };
  };
  const status = await call("/api/v1/statuses", { status: "Sweep me #birds", poll: { options: ["yes", "no"], expires_in: 3600 } });
  const list = await call("/api/v1/lists", { title: "Swept" });
  const upload = new FormData();
  upload.set("file", new File([(await identiconPng("sweep", 32)) as Uint8Array<ArrayBuffer>], "sweep.png"));
  const media = await fetchWorker("/api/v2/media", { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: upload });
  expect(media.status).toBe(200);
  const mediaId = ((await media.json()) as { id: string }).id;
  return { account: accountId, status: status.id, poll: status.poll.id, list: list.id, media: mediaId };
}

describe("malformed input", () => {
  it("never makes any operation in the OpenAPI document answer 5xx", { timeout: 120_000 }, async () => {
    const user = await makeUser(testDomain(), { username: "sweeper", password: "a long enough password" });
    const other = await makeUser(testDomain(), { username: "swept" });
    const token = await tokenFor(user.id, [...ALL_SCOPES]);
    const ids = await realRecords(token, other.id);
    const document = (await (await fetchWorker("/api/openapi.json")).json()) as { paths: Record<string, PathItem> };
    const probes = Object.entries(document.paths)
      .flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([method]) => ["get", "post", "put", "patch", "delete"].includes(method))
          .flatMap(([method, operation]) => probesFor(path, method, operation, ids)),
      )
      // Deleting the real records comes last, so that every other probe finds them.
      .sort((a, b) => Number(a.method === "DELETE") - Number(b.method === "DELETE"));
    expect(probes.length).toBeGreaterThan(1000);
    const failures = await sweep(probes, token);
    expect(failures, `${failures.length} of ${probes.length} malformed requests answered 5xx`).toEqual([]);
  });
});

describe("bodies the API cannot read", () => {
  const endpoints = [
    ["POST", "/api/v1/apps"],
    ["POST", "/oauth/token"],
    ["POST", "/oauth/revoke"],
    ["POST", "/api/v1/statuses"],
    ["POST", "/api/v1/lists"],
    ["PATCH", "/api/v1/accounts/update_credentials"],
  ] as const;
  const bodies = [
    ["invalid JSON", "application/json", "{not json", 400, "Malformed JSON"],
    ["an empty JSON body", "application/json", "", 400, "Malformed JSON"],
    ["text/plain", "text/plain", "status=hi", 415, "does not take a body of type text/plain"],
    ["multipart without a boundary", "multipart/form-data", "status=hi", 400, "could not be read"],
  ] as const;

  it.each(endpoints.flatMap(([method, path]) => bodies.map((body) => [method, path, ...body] as const)))(
    "%s %s with %s is a %s that says why",
    async (method, path, _, type, body, status, message) => {
      const user = await makeUser(testDomain());
      const token = await tokenFor(user.id, [...ALL_SCOPES]);
      const headers = { "Content-Type": type, Authorization: `Bearer ${token}`, "cf-connecting-ip": "198.18.250.1" };
      const response = await fetchWorker(path, { method, headers, body });
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: string }).error).toContain(message);
    },
  );

  it("still takes JSON, URL-encoded and multipart bodies", async () => {
    const user = await makeUser(testDomain());
    const token = await tokenFor(user.id, [...ALL_SCOPES]);
    const multipart = new FormData();
    multipart.set("title", "Multipart");
    // FormData sets its own multipart type, with the boundary.
    const sent: { type?: string; body: string | FormData }[] = [
      { type: "application/json", body: JSON.stringify({ title: "JSON" }) },
      { type: "application/x-www-form-urlencoded", body: "title=Form" },
      { body: multipart },
    ];
    for (const { type, body } of sent) {
      const headers = new Headers({ Authorization: `Bearer ${token}` });
      if (type) headers.set("Content-Type", type);
      const response = await fetchWorker("/api/v1/lists", { method: "POST", headers, body });
      expect(response.status).toBe(200);
    }
  });
});

/** Every page path with an action, its dynamic segments filled in (a username where one goes, an id elsewhere). */
function actionPaths(username: string, postId: string): string[] {
  const routes = (build as unknown as ServerBuild).routes;
  const pathOf = (id: string): string => {
    const route = routes[id]!;
    const own = route.path ?? "";
    return route.parentId ? `${pathOf(route.parentId)}/${own}` : own;
  };
  return Object.entries(routes)
    .filter(([, route]) => route.module.action)
    .map(([id]) =>
      `/${pathOf(id)}`
        .replace(/\/+/g, "/")
        .replace(/:username/g, username)
        .replace(/:id|:tag|:provider/g, (segment) => (segment === ":id" ? postId : "x"))
        .replace(/\*$/, "anything"),
    );
}

/** Bodies a page's form never sends: types that are not forms, and a multipart form with no boundary. */
const NOT_FORMS = [
  { type: "text/plain", body: "identifier=a&password=b" },
  { type: "application/json", body: '{"identifier":"a"}' },
  { type: "multipart/form-data", body: "identifier=a" },
];

describe("malformed page input", () => {
  it("answers every page action's non-form body with a 4xx, signed in or not", { timeout: 120_000 }, async () => {
    const user = await makeUser(testDomain(), { username: "formsweeper", password: "a long enough password" });
    const cookie = sessionOf(await postForm("/login", { identifier: user.username, password: "a long enough password" }));
    const token = await tokenFor(user.id, ["write"]);
    const posted = await fetchWorker("/api/v1/statuses", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ status: "something to act on" }),
    });
    const postId = ((await posted.json()) as { id: string }).id;
    const paths = actionPaths(user.username, postId);
    expect(paths).toEqual(expect.arrayContaining(["/login", "/signup", "/forgot-password", "/resources/engage", "/settings/profile"]));
    const failures: string[] = [];
    let sent = 0;
    for (const path of paths) {
      for (const { type, body } of NOT_FORMS) {
        for (const signedIn of [false, true]) {
          sent += 1;
          const headers: Record<string, string> = { "Content-Type": type, Origin: ORIGIN, "cf-connecting-ip": `198.18.200.${sent % 250}` };
          if (signedIn) headers.Cookie = cookie;
          const response = await fetchWorker(path, { method: "POST", headers, body });
          if (response.status >= 500) failures.push(`POST ${path} [${type}]${signedIn ? " signed in" : ""} -> ${response.status}`);
          await response.body?.cancel();
        }
      }
    }
    expect(failures, `${failures.length} of ${sent} page posts answered 5xx`).toEqual([]);
  });

  it("refuses a page post whose X-Forwarded-Host is not the Origin's host with 403", async () => {
    const response = await fetchWorker("/login", {
      method: "POST",
      headers: { Origin: ORIGIN, "X-Forwarded-Host": "evil.example", "Content-Type": "application/x-www-form-urlencoded" },
      body: "identifier=a&password=b",
    });
    expect(response.status).toBe(403);
    const opaque = await fetchWorker("/login", {
      method: "POST",
      headers: { Origin: "null", "Sec-Fetch-Site": "same-origin", "Content-Type": "application/x-www-form-urlencoded" },
      body: "identifier=a&password=b",
    });
    expect(opaque.status).toBe(403);
  });

  it.each([
    ["text/plain", 415],
    ["application/json", 415],
    ["multipart/form-data", 415],
  ])("answers a %s login post with %i and a message", async (type, status) => {
    const response = await fetchWorker("/login", { method: "POST", headers: { "Content-Type": type, Origin: ORIGIN }, body: "x" });
    expect(response.status).toBe(status);
    expect(await response.text()).toContain("application/x-www-form-urlencoded or multipart/form-data");
  });

  // Any console.error fails a test (setup.ts), so this fails if the request logs at error level.
  it("refuses a data request of Remix before single fetch (?_data=root) with 400, without logging an error", async () => {
    const response = await fetchWorker("/?_data=root");
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("?_data requests are not served");
  });

  it("answers a script's non-form post to a resource route with JSON saying why", async () => {
    const user = await makeUser(testDomain(), { username: "scripted", password: "a long enough password" });
    const cookie = sessionOf(await postForm("/login", { identifier: user.username, password: "a long enough password" }));
    const response = await fetchWorker("/resources/engage", {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: ORIGIN, Cookie: cookie },
      body: "{}",
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({ error: expect.stringContaining("application/x-www-form-urlencoded") });
  });
});
