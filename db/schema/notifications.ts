import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { newId } from "../ids.ts";
import { users } from "./accounts.ts";
import { storyItems, storyReplies } from "./stories.ts";

export const notificationTypes = [
  "mention",
  "reblog",
  "favourite",
  "follow",
  "follow_request",
  "poll",
  "update",
  "quote",
  "reaction",
  "friend_request",
  "friend_accept",
  "status",
  "admin.report",
  "admin.sign_up",
  "moderation_warning",
  "story_mention",
] as const;

/** Notification rows, written only by notify() (workers/domain/notifications/notify.ts). */
export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text("type", { enum: notificationTypes }).notNull(),
    fromUserId: text("from_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    postId: text("post_id"),
    /** What an admin.report or moderation_warning is about: the report, or the moderation action. */
    subjectId: text("subject_id"),
    /** The story item a story notification is about; it goes with the item. */
    storyItemId: text("story_item_id").references(() => storyItems.id, { onDelete: "cascade" }),
    /**
     * No longer written: replies to stories are direct messages now (ADR 0043). The column stays because SQLite drops a
     * column with a foreign key only by rebuilding the whole table.
     */
    storyReplyId: text("story_reply_id").references(() => storyReplies.id, { onDelete: "cascade" }),
    /** The domain event that caused it: a redelivered event finds its notifications already written. */
    eventId: text("event_id"),
    /**
     * Notifications that read as one ("Ana and 12 others liked your post") share a key: the kind and the post, or for
     * follows the day. Null for kinds that are never grouped; Mastodon's API calls those "ungrouped-<id>".
     */
    groupKey: text("group_key"),
    /** Held back by the recipient's notification policy: shown only in its request (policy.ts). */
    filtered: integer("filtered", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    readAt: integer("read_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("notifications_user_idx").on(t.userId, t.id),
    index("notifications_group_idx").on(t.userId, t.groupKey, t.id),
    uniqueIndex("notifications_event_unique").on(t.userId, t.eventId),
  ],
);

/**
 * How a person wants to hear about each kind of notification; no row means in the app. "email" and "digest" are in the
 * app too, plus an email at once or in the next daily digest; "off" writes nothing (ADR 0033).
 */
export const notificationDeliveries = ["in_app", "email", "digest", "off"] as const;

export const notificationPreferences = sqliteTable(
  "notification_preferences",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text("type", { enum: notificationTypes }).notNull(),
    delivery: text("delivery", { enum: notificationDeliveries }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.type] }),
    // The daily digest finds the people who asked for one.
    index("notification_preferences_digest_idx")
      .on(t.userId)
      .where(sql`${t.delivery} = 'digest'`),
  ],
);

/** Notifications already emailed one by one: a redelivered event finds its email sent (the primary key refuses it). */
export const notificationEmails = sqliteTable("notification_emails", {
  notificationId: text("notification_id")
    .primaryKey()
    .references(() => notifications.id, { onDelete: "cascade" }),
  outboxId: text("outbox_id").notNull(),
});

/**
 * One daily digest per person per UTC day (YYYY-MM-DD, the day it summarises), written with its email in one batch so
 * a day is never summarised twice; outbox_id is null when the day held nothing to tell.
 */
export const notificationDigests = sqliteTable(
  "notification_digests",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    day: text("day").notNull(),
    outboxId: text("outbox_id"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.day] })],
);

/** What a notification policy does with notifications from a kind of sender (Mastodon 4.3). */
export const policyActions = ["accept", "filter", "drop"] as const;

/**
 * A person's notification policy: what happens to notifications from people they do not follow, who do not follow
 * them, new accounts, private mentions from strangers, and accounts moderators limited. No row: Mastodon's defaults.
 */
export const notificationPolicies = sqliteTable("notification_policies", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  forNotFollowing: text("for_not_following", { enum: policyActions }).notNull(),
  forNotFollowers: text("for_not_followers", { enum: policyActions }).notNull(),
  forNewAccounts: text("for_new_accounts", { enum: policyActions }).notNull(),
  forPrivateMentions: text("for_private_mentions", { enum: policyActions }).notNull(),
  forLimitedAccounts: text("for_limited_accounts", { enum: policyActions }).notNull(),
});

/** Filtered notifications from one sender, waiting for the recipient to accept or dismiss them. */
export const notificationRequests = sqliteTable(
  "notification_requests",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    fromUserId: text("from_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("notification_requests_pair_unique").on(t.userId, t.fromUserId),
    index("notification_requests_user_idx").on(t.userId, t.id),
  ],
);

/** Senders whose request the recipient accepted: their notifications pass the policy from then on. */
export const notificationPermissions = sqliteTable(
  "notification_permissions",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    fromUserId: text("from_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.fromUserId] })],
);
