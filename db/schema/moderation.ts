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

/** What a moderation decision does to what it judged, mildest first. */
export const moderationOutcomes = ["allow", "sensitive", "hold", "remove"] as const;
export const moderationSubjects = ["post", "profile", "message"] as const;

/**
 * Every automatic moderation decision: which classifier (local rules or Claude) with which model, hashes of what it
 * read, the category scores it gave, the outcome and its reason. Moderators see these in /admin.
 */
export const moderationDecisions = sqliteTable(
  "moderation_decisions",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    subjectKind: text("subject_kind", { enum: moderationSubjects }).notNull(),
    subjectId: text("subject_id").notNull(),
    accountId: text("account_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The event that asked for it: a redelivered event finds its decision already made. */
    eventId: text("event_id").notNull(),
    classifier: text("classifier").notNull(),
    model: text("model"),
    inputHash: text("input_hash").notNull(),
    scores: text("scores", { mode: "json" }).$type<Record<string, number>>().notNull(),
    outcome: text("outcome", { enum: moderationOutcomes }).notNull(),
    reason: text("reason").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("moderation_decisions_subject_idx").on(t.subjectKind, t.subjectId), index("moderation_decisions_event_idx").on(t.eventId)],
);

/** What moderators (or the pipeline, with no moderator) did to an account or its post, as its owner is told. */
export const moderationActionKinds = [
  "warn",
  "remove_post",
  "mark_sensitive",
  "hold_post",
  "limit",
  "suspend",
  "unsuspend",
  "remove_profile",
  "remove_message",
  "sensitize",
  "disable",
] as const;

export const moderationActions = sqliteTable(
  "moderation_actions",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    accountId: text("account_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Null when the moderation pipeline acted on its own. */
    moderatorId: text("moderator_id").references(() => users.id, { onDelete: "set null" }),
    kind: text("kind", { enum: moderationActionKinds }).notNull(),
    postId: text("post_id"),
    /** The chat message a remove_message acted on (no foreign key: the message may be deleted later). */
    messageId: text("message_id"),
    reportId: text("report_id"),
    reason: text("reason").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    appealText: text("appeal_text"),
    appealedAt: integer("appealed_at", { mode: "timestamp_ms" }),
    /** A moderator's answer to the appeal: the action stands, or it was undone. */
    appealDecision: text("appeal_decision", { enum: ["upheld", "overturned"] }),
  },
  (t) => [index("moderation_actions_account_idx").on(t.accountId, t.id)],
);

/**
 * Server-wide settings admins change at run time, one JSON value per key; workers/domain/instance-settings.ts alone reads
 * and writes it and lists the keys.
 */
export const instanceSettings = sqliteTable("instance_settings", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).notNull(),
});

/**
 * Every moderator action, append-only: who did what to which target, when and why (shown in /admin). Triggers refuse
 * any UPDATE or DELETE (migration 0039), so the moderator's id is no foreign key: deleting their account keeps it.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    moderatorId: text("moderator_id"),
    action: text("action").notNull(),
    /** A trend decision's target is its hashtag (tag), post or link (its URL). */
    targetKind: text("target_kind", {
      enum: ["account", "post", "message", "report", "settings", "action", "email_block", "tag", "link"],
    }).notNull(),
    targetId: text("target_id").notNull(),
    reason: text("reason").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("audit_log_created_idx").on(t.createdAt)],
);

/**
 * Email addresses nobody may sign up or switch to, kept only as the SHA-256 of their canonical form (Mastodon's
 * canonical email blocks): the address itself is not stored, and its dots and +tags do not get around it.
 */
export const canonicalEmailBlocks = sqliteTable("canonical_email_blocks", {
  id: text("id")
    .primaryKey()
    .$defaultFn(() => newId()),
  canonicalEmailHash: text("canonical_email_hash").notNull().unique(),
  createdById: text("created_by_id").references(() => users.id, { onDelete: "set null" }),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});
