import type { Database } from "#db/client.ts";
import type { roles } from "#db/schema/index.ts";
import type { Config } from "#workers/platform/env.ts";
import type { DomainEvent } from "./events/catalogue.ts";

/** Who is acting: enough to check permissions (accounts/permissions.ts) without another read. */
export interface Actor {
  id: string;
  role: (typeof roles)[number];
  /** A suspended account acts in a restricted view: reads, export, appeals, leaving (docs/decisions/0049). */
  suspended?: boolean;
}

/**
 * What every domain function receives from its door: the database, the bindings, the validated configuration, who is
 * acting, and where committed events go. Domain functions return plain data and never see a Request.
 */
export interface DomainContext {
  db: Database;
  env: Env;
  config: Config;
  /** Set by the door that authenticated the request (session or token); null for visitors, cron jobs and handlers. */
  actor: Actor | null;
  /**
   * Hands events that were just committed to the relay, which sends them to their queues in the background. It never
   * throws and is never awaited: an event the relay could not send is re-sent by the cron (events/outbox.ts).
   */
  afterCommit: (events: DomainEvent[]) => void;
}

/** The same context acting as someone else (a background handler acting for the author, a script, a test). */
export function actingAs(ctx: DomainContext, actor: Actor | null): DomainContext {
  return { ...ctx, actor };
}
