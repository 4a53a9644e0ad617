import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./accounts.ts";
import { posts } from "./posts.ts";

/**
 * The cheap stand-in for dwell time (docs/decisions/0039): a signed-in person opened a post's own page. One row per
 * person and post, its time the latest opening; it feeds their interest vector beside likes, reposts and replies.
 */
export const postOpens = sqliteTable(
  "post_opens",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    postId: text("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    openedAt: integer("opened_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.postId] }), index("post_opens_user_idx").on(t.userId, t.openedAt)],
);
