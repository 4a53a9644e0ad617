import { createDatabase, type Database } from "#db/client.ts";
import type { Client } from "#domain/accounts/sessions.ts";
import type { User } from "#domain/accounts/users.ts";
import type { TokenHolder } from "#domain/clients/tokens.ts";
import type { DomainContext } from "#domain/context.ts";
import { noteVisit } from "#domain/home-feed/readers.ts";
import { timedD1 } from "./d1-timing.ts";
import { configOf, type Config } from "./env.ts";
import { createLogger, type Logger } from "./logger.ts";
import { createNonce, type CspProfile } from "./security-headers.ts";
import { ServerTiming } from "./server-timing.ts";
import { relayEvents } from "#workers/background/relay.ts";

/**
 * Everything one request carries through the doors: its id (in logs and the X-Request-Id header), its CSP nonce,
 * timings, a logger tagged with the id, and the domain context. Made once per request by the worker entry.
 */
export interface RequestScope {
  requestId: string;
  nonce: string;
  startedAt: number;
  timing: ServerTiming;
  logger: Logger;
  config: Config;
  domain: DomainContext;
  /** The public origin links are built from: PUBLIC_ORIGIN when set, else the request's own. */
  origin: string;
  /** Which Content-Security-Policy the response gets; a door may choose another. */
  cspProfile: CspProfile;
  /** Where the request came from, for sessions, history and rate limits. */
  client: Client;
  /** Who is acting, once a door has authenticated the request (session cookie or bearer token). */
  viewer: Viewer | null;
  /** The API's bearer token, when one was presented (app-only tokens have no viewer). */
  token: TokenHolder | null;
}

export interface Viewer {
  user: User;
  /** The session's id, when signed in through a cookie. */
  sessionId: string | null;
}

/** The Hono environment every door's router shares. */
export type AppEnv = { Bindings: Env; Variables: { scope: RequestScope } };

/** Cloudflare's ray id when present (it ties our logs to Cloudflare's), else a fresh UUID. */
function requestIdOf(request: Request): string {
  const ray = request.headers.get("cf-ray");
  return ray && /^[\w-]{1,64}$/.test(ray) ? ray : crypto.randomUUID();
}

export function createRequestScope(request: Request, env: Env, executionCtx?: ExecutionContext): RequestScope {
  const requestId = requestIdOf(request);
  const timing = new ServerTiming();
  const config = configOf(env);
  const logger = createLogger(config.LOG_LEVEL, { requestId });
  return {
    requestId,
    nonce: createNonce(),
    startedAt: performance.now(),
    timing,
    logger,
    config,
    domain: domainContext(env, createDatabase(timedD1(env.DB, timing)), config, logger, executionCtx),
    origin: config.PUBLIC_ORIGIN ?? new URL(request.url).origin,
    cspProfile: "page",
    client: { ip: request.headers.get("cf-connecting-ip"), userAgent: request.headers.get("user-agent") },
    viewer: null,
    token: null,
  };
}

/**
 * A domain context for work that has no request: queue consumers and cron jobs (which relay the events they commit
 * after their own work, through waitUntil), and scripts (which have no queues: their events wait for the cron).
 */
export function backgroundDomain(env: Env, executionCtx?: ExecutionContext): DomainContext {
  const config = configOf(env);
  return domainContext(env, createDatabase(env.DB), config, createLogger(config.LOG_LEVEL, { component: "background" }), executionCtx);
}

function domainContext(env: Env, db: Database, config: Config, logger: Logger, executionCtx?: ExecutionContext): DomainContext {
  const domain: DomainContext = {
    db,
    env,
    config,
    actor: null,
    // The relay runs after the response, and cannot fail what was committed (relay.ts catches and logs).
    afterCommit: executionCtx ? (events) => executionCtx.waitUntil(relayEvents(domain, events, logger)) : () => undefined,
  };
  return domain;
}

/**
 * Records who is acting, for the doors (scope.viewer) and for the domain's permission checks (ctx.actor), and that
 * they are active (a write at most once a day, which starts the rebuild of the feeds of someone long away). That note
 * is bookkeeping: if it fails, the request goes on and the next one tries again.
 */
export async function signIn(scope: RequestScope, viewer: Viewer): Promise<void> {
  scope.viewer = viewer;
  scope.domain.actor = { id: viewer.user.id, role: viewer.user.role, suspended: viewer.user.moderationStatus === "suspended" };
  try {
    await noteVisit(scope.domain, viewer.user);
  } catch (error) {
    scope.logger.warn("Could not record the visit", { userId: viewer.user.id, error: String(error) });
  }
}
