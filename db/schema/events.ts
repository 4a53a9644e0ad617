import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The transactional outbox (ADR 0017): every change that has side effects writes a row here in the same batch as the
 * change. The relay sends it to the queues whose handlers want it and stamps relayed_at; the cron re-sends rows still
 * unstamped. Rows are kept a week after relaying, for tracing.
 */
export const domainEvents = sqliteTable(
  "domain_events",
  {
    /** A time-sortable id (db/ids.ts); handlers use it as their idempotency key. */
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    payload: text("payload", { mode: "json" }).notNull(),
    occurredAt: integer("occurred_at", { mode: "timestamp_ms" }).notNull(),
    relayedAt: integer("relayed_at", { mode: "timestamp_ms" }),
    /** How many times a relay tried to send it; the cron uses it to back off from an event that keeps failing. */
    relayAttempts: integer("relay_attempts").notNull().default(0),
  },
  (t) => [
    index("domain_events_unrelayed_idx")
      .on(t.id)
      .where(sql`${t.relayedAt} IS NULL`),
    index("domain_events_relayed_at_idx").on(t.relayedAt),
  ],
);
