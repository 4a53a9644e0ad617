import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
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

/** Notification rows; live delivery over sockets comes with the real-time work. */
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
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    readAt: integer("read_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.id)],
);
