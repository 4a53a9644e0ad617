import { createRequestHandler, type ServerBuild } from "@remix-run/cloudflare";
import type { Context } from "hono";
import * as build from "#build/server/index.js";
import { userForSession } from "#domain/accounts/sessions.ts";
import { signIn, type AppEnv } from "#workers/platform/request-scope.ts";
import { isCrossSiteMutation } from "#workers/platform/same-origin.ts";
import { readCookie, SESSION_COOKIE } from "#workers/platform/session-cookie.ts";

const handleRemixRequest = createRequestHandler(build as unknown as ServerBuild);

/**
 * The pages door: Remix renders everything the other doors did not claim. Before it runs, cross-site mutations are
 * refused and the session cookie is resolved into the viewer, so every loader and action sees who is signed in
 * through `context.scope`.
 */
export async function servePage(c: Context<AppEnv>): Promise<Response> {
  const { scope } = c.var;
  if (isCrossSiteMutation(c.req.raw, [scope.origin, new URL(c.req.url).origin])) {
    scope.logger.warn("Refused a cross-site form submission", { path: c.req.path, origin: c.req.header("Origin") ?? null });
    return c.text("This form was submitted from another site, so it was refused. Go back, reload the page and try again.", 403);
  }
  const token = readCookie(c.req.raw, SESSION_COOKIE);
  const signedIn = token ? await userForSession(scope.domain, token) : undefined;
  if (signedIn) signIn(scope, { user: signedIn.user, sessionId: signedIn.session.id });
  return handleRemixRequest(c.req.raw, {
    cloudflare: { env: c.env, ctx: c.executionCtx as ExecutionContext, cf: c.req.raw.cf },
    scope,
  });
}
