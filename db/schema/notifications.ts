import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { newId } from "../ids.ts";
import { users } from "./accounts.ts";

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
    /** The domain event that caused it: a redelivered event finds its notifications already written. */
    eventId: text("event_id"),
    /**
     * Notifications that read as one ("Ana and 12 others liked your post") share a key: the kind and the post, or for
     * follows the day. Null for kinds that are never grouped; Mastodon's API calls those "ungrouped-<id>".
     */
    groupKey: text("group_key"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    readAt: integer("read_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("notifications_user_idx").on(t.userId, t.id),
    index("notifications_group_idx").on(t.userId, t.groupKey, t.id),
    uniqueIndex("notifications_event_unique").on(t.userId, t.eventId),
  ],
);

/** How a person wants to hear about each kind of notification; no row means in the app. */
export const notificationDeliveries = ["in_app", "off"] as const;

export const notificationPreferences = sqliteTable(
  "notification_preferences",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text("type", { enum: notificationTypes }).notNull(),
    delivery: text("delivery", { enum: notificationDeliveries }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.type] })],
);
