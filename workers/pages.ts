import { createRequestHandler, type ServerBuild } from "@remix-run/cloudflare";
import type { Context } from "hono";
import * as build from "#build/server/index.js";
import type { AppEnv } from "#workers/platform/request-scope.ts";

const handleRemixRequest = createRequestHandler(build as unknown as ServerBuild);

/**
 * The pages door: Remix renders everything the other doors did not claim. Loaders and actions receive the request's
 * scope (domain context, logger, CSP nonce) in their load context.
 */
export function servePage(c: Context<AppEnv>): Promise<Response> {
  return handleRemixRequest(c.req.raw, {
    cloudflare: { env: c.env, ctx: c.executionCtx as ExecutionContext, cf: c.req.raw.cf },
    scope: c.var.scope,
  });
}
