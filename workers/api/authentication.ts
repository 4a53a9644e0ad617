import type { Context, MiddlewareHandler } from "hono";
import { assertMaySignIn } from "#domain/accounts/login.ts";
import { authenticateBearer } from "#domain/clients/tokens.ts";
import { grantsAny } from "#domain/clients/scopes.ts";
import { signIn, type AppEnv } from "#workers/platform/request-scope.ts";
import { apiError } from "./errors.ts";

/** The bearer token from the Authorization header, or (for WebSocket clients, which cannot set headers) the query. */
export function bearerTokenOf(c: Context<AppEnv>): string | undefined {
  const header = c.req.header("Authorization");
  if (header?.toLowerCase().startsWith("bearer ")) return header.slice(7).trim();
  return c.req.query("access_token") ?? undefined;
}

/**
 * Resolves a bearer token, when one is presented, into the request scope: the token always, the viewer when the token
 * acts for a user. An invalid token is a 401 even on endpoints that do not need one, as on Mastodon.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const presented = bearerTokenOf(c);
  if (presented) {
    const holder = await authenticateBearer(c.var.scope.domain, presented);
    if (!holder) return apiError(c, 401, "The access token is invalid");
    if (holder.user) assertMaySignIn(holder.user);
    c.var.scope.token = holder;
    if (holder.user) await signIn(c.var.scope, { user: holder.user, sessionId: null });
  }
  await next();
};

/** A token with one of these scopes is required (401 without a token, 403 with too narrow a one). */
function requireScope(...alternatives: string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { token } = c.var.scope;
    if (!token) return apiError(c, 401, "The access token is invalid");
    if (!grantsAny(token.scopes, alternatives)) return apiError(c, 403, "This action is outside the authorized scopes");
    await next();
  };
}

/**
 * For routes open to visitors whose token, when one is presented, must still carry a scope (Mastodon's "Public, or
 * user token + read:search"): no token passes, too narrow a one is a 403.
 */
export function tokenMayUse(...alternatives: string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { token } = c.var.scope;
    if (token && !grantsAny(token.scopes, alternatives)) return apiError(c, 403, "This action is outside the authorized scopes");
    await next();
  };
}

/** The token must act for a user (an app-only token gets Mastodon's 422). */
const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.var.scope.viewer) return apiError(c, 422, "This method requires an authenticated user");
  await next();
};

/**
 * What a route needs, declared once for both the OpenAPI document and the check: a token with any one of the scopes
 * (each an alternative security requirement), acting for a user unless `appOnly` allows an app's own token. Spread it
 * into createRoute, and add further middleware after `...needs(...).middleware` when a route has more.
 */
export function needs(scopes: string[], options: { appOnly?: boolean } = {}) {
  return {
    security: scopes.map((scope) => ({ oauth2: [scope] })),
    middleware: [requireScope(...scopes), ...(options.appOnly ? [] : [requireUser])],
  };
}

/** The user a route declared with needs() acts for. */
export function userOf(c: Context<AppEnv>) {
  return c.var.scope.viewer!.user;
}
