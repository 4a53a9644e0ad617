import type { Context, MiddlewareHandler } from "hono";
import { ConfigurationError } from "./env.ts";
import { createLogger } from "./logger.ts";
import { createRequestScope, type AppEnv } from "./request-scope.ts";
import { applySecurityHeaders } from "./security-headers.ts";

// Writes only when the configuration (LOG_LEVEL included) failed to parse, so it has no level to read: it keeps all.
const bootLogger = createLogger("debug", { component: "worker" });

/**
 * The first thing every request meets: it gets a scope (id, nonce, timings, domain context), and its response gets
 * the request id, Server-Timing and security headers, and one structured log line.
 */
export const requestPipeline: MiddlewareHandler<AppEnv> = async (c, next) => {
  try {
    c.set("scope", createRequestScope(c.req.raw, c.env, executionContextOf(c)));
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    bootLogger.error("Refusing requests until the configuration is fixed", error);
    const detail = c.env.ENVIRONMENT === "development" ? `\n\n${error.message}` : "";
    return c.text(`Perch is not configured correctly; the server log says what is missing.${detail}`, 503);
  }
  await next();
  finishResponse(c);
};

/** The request's ExecutionContext; Hono's getter throws where there is none (a bare app.request()). */
function executionContextOf(c: Context<AppEnv>): ExecutionContext | undefined {
  try {
    return c.executionCtx as ExecutionContext;
  } catch {
    return undefined;
  }
}

function finishResponse(c: Context<AppEnv>): void {
  const scope = c.var.scope;
  // A WebSocket handshake response must reach the client untouched.
  if (c.res.status !== 101) {
    c.res = new Response(c.res.body, c.res);
    const headers = c.res.headers;
    headers.set("X-Request-Id", scope.requestId);
    headers.set("Server-Timing", scope.timing.header(scope.startedAt));
    applySecurityHeaders(headers, {
      profile: scope.cspProfile,
      nonce: scope.nonce,
      secureTransport: new URL(c.req.url).protocol === "https:",
    });
  }
  scope.logger.info("request", {
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    durationMs: Math.round((performance.now() - scope.startedAt) * 10) / 10,
    userAgent: c.req.header("user-agent"),
  });
}
