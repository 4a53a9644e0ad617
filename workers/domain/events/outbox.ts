import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import { and, inArray, isNull, lt, lte, sql } from "drizzle-orm";
import { newId } from "#db/ids.ts";
import { domainEvents } from "#db/schema/index.ts";
import { assertNotSuspended } from "../accounts/permissions.ts";
import type { DomainContext } from "../context.ts";
import type { DomainEvent, NewEvent } from "./catalogue.ts";

/**
 * An event row binds five parameters (drizzle binds relay_attempts' default too, and leaves relayed_at a literal null),
 * and a D1 statement at most 100.
 */
const EVENTS_PER_STATEMENT = 20;
/** The in-request relay gets this long before the cron treats an unsent event as lost and sends it itself. */
export const RELAY_GRACE_MS = 30_000;
/** Relayed events are kept this long, for tracing a side effect back to its change. */
export const EVENT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** Gives each new event its id (the handlers' idempotency key) and time. */
export function stamp(events: NewEvent[], at = new Date()): DomainEvent[] {
  return events.map((event) => ({ ...event, id: newId(at.getTime()), occurredAt: at }) as DomainEvent);
}

/** The statements that store events, for the batch that makes the change they describe. */
export function eventStatements(ctx: DomainContext, events: DomainEvent[]) {
  const statements = [];
  for (let start = 0; start < events.length; start += EVENTS_PER_STATEMENT) {
    const rows = events
      .slice(start, start + EVENTS_PER_STATEMENT)
      .map(({ id, type, payload, occurredAt }) => ({ id, type, payload, occurredAt }));
    statements.push(ctx.db.insert(domainEvents).values(rows));
  }
  return statements;
}

type Statements = readonly BatchItem<"sqlite">[];

/**
 * An event as the table holds it. Its type is checked against the catalogue only where it is handled, so an event
 * written by another version of the code is still relayed (and dead-lettered there if no one knows it).
 */
export interface StoredEvent {
  id: string;
  type: string;
  payload: unknown;
  occurredAt: Date;
}

/**
 * Commits a change and the events that describe it in one D1 batch (one transaction: both or neither), then hands the
 * events to the relay. Nothing after the commit is awaited, so a queue that cannot be reached never fails a change
 * that was made. Returns the results of the change's own statements. A suspended actor's change is refused here, the
 * one door every change with side effects passes (ADR 0049), unless it is their way out (`suspendedMay`).
 */
export async function commit<const T extends Statements>(
  ctx: DomainContext,
  statements: T,
  events: NewEvent[],
  options: { suspendedMay?: boolean } = {},
): Promise<BatchResponse<T>> {
  if (!options.suspendedMay) assertNotSuspended(ctx);
  const stamped = stamp(events);
  const all = [...statements, ...eventStatements(ctx, stamped)];
  if (all.length === 0) return [] as unknown as BatchResponse<T>;
  const results = await ctx.db.batch(all as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  if (stamped.length > 0) ctx.afterCommit(stamped);
  return results.slice(0, statements.length) as unknown as BatchResponse<T>;
}

/** Marks events as handed to their queues. */
export async function markRelayed(ctx: DomainContext, ids: string[], at = new Date()): Promise<void> {
  for (let start = 0; start < ids.length; start += 90) {
    await ctx.db
      .update(domainEvents)
      .set({ relayedAt: at })
      .where(inArray(domainEvents.id, ids.slice(start, start + 90)));
  }
}

/**
 * Events the in-request relay did not get to its queues (the send failed, or the isolate went away): the oldest first,
 * past the grace period, counting this attempt so an event that keeps failing does not block the rest forever.
 */
export async function unrelayedEvents(ctx: DomainContext, limit: number, now = Date.now()): Promise<StoredEvent[]> {
  const rows = await ctx.db
    .update(domainEvents)
    .set({ relayAttempts: sql`${domainEvents.relayAttempts} + 1` })
    .where(
      inArray(
        domainEvents.id,
        ctx.db
          .select({ id: domainEvents.id })
          .from(domainEvents)
          .where(and(isNull(domainEvents.relayedAt), lte(domainEvents.occurredAt, new Date(now - RELAY_GRACE_MS))))
          .orderBy(domainEvents.relayAttempts, domainEvents.id)
          .limit(limit),
      ),
    )
    .returning({ id: domainEvents.id, type: domainEvents.type, payload: domainEvents.payload, occurredAt: domainEvents.occurredAt });
  return rows.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Removes relayed events past their retention (the hourly job). */
export async function expireRelayedEvents(ctx: DomainContext, now = Date.now()): Promise<number> {
  const result = await ctx.db.delete(domainEvents).where(lt(domainEvents.relayedAt, new Date(now - EVENT_RETENTION_MS)));
  return result.meta.changes;
}
