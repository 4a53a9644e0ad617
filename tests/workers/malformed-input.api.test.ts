import { describe, expect, it } from "vitest";
import { makeUser } from "#db/seed/factories.ts";
import { ALL_SCOPES } from "#domain/clients/scopes.ts";
import { fetchWorker, testDomain, tokenFor } from "./support.ts";

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
    | { schema?: { properties?: Record<string, unknown> } }
    | undefined;
  return Object.keys(schema?.schema?.properties ?? {});
}

function probesFor(path: string, method: string, operation: Operation): Probe[] {
  const probes: Probe[] = [];
  const verb = method.toUpperCase();
  const hasPathParameters = path.includes("{");
  const base = fill(path, "1");
  if (hasPathParameters) for (const segment of ODD_SEGMENTS) probes.push({ method: verb, path: fill(path, segment) });
  const query = (operation.parameters ?? []).filter((parameter) => parameter.in === "query").map((parameter) => parameter.name);
  if (query.length > 0) {
    for (const value of ODD_VALUES) {
      const single = new URLSearchParams(query.map((name) => [name, value]));
      const repeated = new URLSearchParams(query.flatMap((name) => [[name, value], [name, value]]));
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
        failures.push(`${probe.method} ${shown} [${probe.headers?.["Content-Type"] ?? "no body"}] ${(probe.body ?? "").slice(0, 60)} -> ${response.status} ${text.slice(0, 200)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return failures;
}

describe("malformed input", () => {
  it("never makes any operation in the OpenAPI document answer 5xx", { timeout: 120_000 }, async () => {
    const user = await makeUser(testDomain(), { username: "sweeper", password: "a long enough password" });
    const token = await tokenFor(user.id, [...ALL_SCOPES]);
    const document = (await (await fetchWorker("/api/openapi.json")).json()) as { paths: Record<string, PathItem> };
    const probes = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => ["get", "post", "put", "patch", "delete"].includes(method))
        .flatMap(([method, operation]) => probesFor(path, method, operation)),
    );
    expect(probes.length).toBeGreaterThan(500);
    const failures = await sweep(probes, token);
    expect(failures, `${failures.length} of ${probes.length} malformed requests answered 5xx`).toEqual([]);
  });
});
