import { env, exports } from "cloudflare:workers";
import { createDatabase } from "#db/client.ts";
import type { DomainContext } from "#domain/context.ts";
import { parseConfig } from "#workers/platform/env.ts";

/** A domain context over this test file's real local bindings. */
export function testDomain(): DomainContext {
  return { db: createDatabase(env.DB), env, config: parseConfig(env) };
}

/** A request through the whole Worker (router, doors, middleware), as a browser or API client would send it. */
export function fetchWorker(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(new URL(path, "http://perch.test"), init));
}
