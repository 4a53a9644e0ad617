import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { newId } from "../ids.ts";
import { users } from "./accounts.ts";
import { reports } from "./moderation.ts";

/** Moderators' notes to each other on a report, oldest first beside it in /admin/reports/:id; never shown to either party. */
export const reportNotes = sqliteTable(
  "report_notes",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    reportId: text("report_id")
      .notNull()
      .references(() => reports.id, { onDelete: "cascade" }),
    authorId: text("author_id").references(() => users.id, { onDelete: "set null" }),
    text: text("text").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("report_notes_report_idx").on(t.reportId, t.id)],
);

/**
 * The server's own emoji, written :shortcode: in posts and listed by GET /api/v1/custom_emojis. The image is stored in
 * R2 under its content address (`key`); a disabled emoji stays listed for admins but is neither offered nor rendered.
 */
export const customEmojis = sqliteTable(
  "custom_emojis",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    shortcode: text("shortcode").notNull(),
    key: text("key").notNull(),
    contentType: text("content_type").notNull(),
    category: text("category"),
    disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
    createdById: text("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("custom_emojis_shortcode_idx").on(t.shortcode)],
);

/**
 * Who used Perch signed in on which UTC day (days since the epoch), one row per person per day, written by the visit
 * that already records users.last_active_day. The dashboard counts daily and weekly active people from it; rows older
 * than ACTIVITY_RETENTION_DAYS are removed by the hourly job.
 */
export const activeDays = sqliteTable(
  "active_days",
  {
    day: integer("day").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.day, t.userId] })],
);

/**
 * The dashboard's queue figures for each UTC day (epoch day), as the highest the hourly job saw: posts, profiles and
 * messages held for review, events not yet handed to a queue, and dead letters. They cannot be rebuilt from other rows
 * (a decided item or a relayed event leaves no trace of having waited), so they are sampled; kept as long as activity.
 */
export const queueSamples = sqliteTable("queue_samples", {
  day: integer("day").primaryKey(),
  held: integer("held").notNull(),
  unrelayedEvents: integer("unrelayed_events").notNull(),
  deadLetters: integer("dead_letters").notNull(),
});
