import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { newId } from "../ids.ts";
import { users } from "./accounts.ts";
import type { z } from "zod";
import type { newPollSchema } from "#domain/posts/polls.ts";
import { quotePolicies, visibilities } from "./posts.ts";

/**
 * Posts written but not published yet: a draft, or a scheduled post (a draft with a time, Mastodon's
 * ScheduledStatus). Its uploads are reserved for it through media_attachments.draft_id, in their position's order.
 * Publishing writes the post and deletes the draft in one batch.
 */
export const drafts = sqliteTable(
  "drafts",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    text: text("text").notNull().default(""),
    /** Further posts of a thread, each to reply to the one before. */
    thread: text("thread", { mode: "json" })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    spoilerText: text("spoiler_text").notNull().default(""),
    sensitive: integer("sensitive", { mode: "boolean" }).notNull().default(false),
    visibility: text("visibility", { enum: visibilities }).notNull(),
    language: text("language"),
    inReplyToId: text("in_reply_to_id"),
    quoteOfId: text("quote_of_id"),
    quotePolicy: text("quote_policy", { enum: quotePolicies }).notNull().default("public"),
    /** The poll as asked for: its length, not its end, which starts at publication. */
    poll: text("poll", { mode: "json" }).$type<z.output<typeof newPollSchema>>(),
    /** The client's Idempotency-Key when it scheduled the post: a retry gets the same scheduled post back. */
    idempotencyKey: text("idempotency_key"),
    /** When to publish; null for a draft. */
    scheduledAt: integer("scheduled_at", { mode: "timestamp_ms" }),
    /** Set while a publication is under way, so two runs (or a run and the author's edit) cannot both act on it. */
    claimedAt: integer("claimed_at", { mode: "timestamp_ms" }),
    /** Why the scheduled publication failed; such a post goes back to being a draft, shown with this. */
    failure: text("failure"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("drafts_author_idx").on(t.authorId, t.id),
    // The minute job walks this index for posts that are due.
    index("drafts_due_idx")
      .on(t.scheduledAt)
      .where(sql`${t.scheduledAt} IS NOT NULL`),
    uniqueIndex("drafts_idempotency_unique")
      .on(t.authorId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} IS NOT NULL`),
    check("drafts_failed_unscheduled", sql`${t.failure} IS NULL OR ${t.scheduledAt} IS NULL`),
  ],
);
