import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./accounts.ts";
import { posts } from "./posts.ts";

/**
 * Each person's Following feed, materialised by fan-out on write (docs/decisions/0022): one row per post or repost
 * delivered to them, newest first by post id, capped per owner. Deleting a post deletes its rows (cascade).
 * authorId is who wrote the row (the reposter, for a repost) and originalAuthorId who wrote what it shows, so an
 * unfollow, block or mute removes both kinds; originalId keeps one repost of a post from repeating it.
 */
export const homeFeedEntries = sqliteTable(
  "home_feed_entries",
  {
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    postId: text("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    authorId: text("author_id").notNull(),
    originalId: text("original_id").notNull(),
    originalAuthorId: text("original_author_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.ownerId, t.postId] }),
    index("home_feed_entries_original_idx").on(t.ownerId, t.originalId),
    index("home_feed_entries_author_idx").on(t.ownerId, t.authorId),
    index("home_feed_entries_post_idx").on(t.postId),
  ],
);

export const markerTimelines = ["home", "notifications"] as const;

/** Where a person stopped reading a timeline (Mastodon's markers), so every client resumes there. */
export const markers = sqliteTable(
  "markers",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    timeline: text("timeline", { enum: markerTimelines }).notNull(),
    lastReadId: text("last_read_id").notNull(),
    /** Goes up by one with every save, so clients can tell a newer position from an older one. */
    version: integer("version").notNull().default(0),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.timeline] })],
);
