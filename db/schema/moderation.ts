import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { newId } from "../ids.ts";
import { users } from "./accounts.ts";
import { posts } from "./posts.ts";

/**
 * What a report says is wrong. Mastodon's API has four coarser categories (spam, legal, violation, other); the report
 * entity carries Mastodon's beside Perch's own (workers/domain/moderation/reports.ts maps between them).
 */
export const reportCategories = [
  "spam",
  "harassment",
  "hate",
  "violence",
  "sexual",
  "self_harm",
  "misinformation",
  "illegal",
  "other",
] as const;

/** What a moderator did with a report when closing it. */
export const reportResolutions = ["dismissed", "actioned"] as const;

/**
 * A report to the server's moderators about an account, optionally with up to five of its posts (report_posts) or,
 * once direct messages exist, one of its messages (messageId). Reports go to this server's moderators only.
 */
export const reports = sqliteTable(
  "reports",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    reporterId: text("reporter_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    targetAccountId: text("target_account_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** A reported chat message; null for reports about an account or posts. No foreign key: messages live elsewhere. */
    messageId: text("message_id"),
    category: text("category", { enum: reportCategories }).notNull(),
    /** The instance rules the reporter says were broken (Mastodon's rule_ids). */
    ruleIds: text("rule_ids", { mode: "json" })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    comment: text("comment").notNull().default(""),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    assignedToId: text("assigned_to_id").references(() => users.id, { onDelete: "set null" }),
    resolution: text("resolution", { enum: reportResolutions }),
    resolvedAt: integer("resolved_at", { mode: "timestamp_ms" }),
    resolvedById: text("resolved_by_id").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    index("reports_open_idx").on(t.resolvedAt, t.id),
    index("reports_reporter_idx").on(t.reporterId, t.createdAt),
    index("reports_target_idx").on(t.targetAccountId, t.id),
  ],
);

/** The posts attached to a report (at most five, all by the reported account). */
export const reportPosts = sqliteTable(
  "report_posts",
  {
    reportId: text("report_id")
      .notNull()
      .references(() => reports.id, { onDelete: "cascade" }),
    postId: text("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.reportId, t.postId] }), index("report_posts_post_idx").on(t.postId)],
);
