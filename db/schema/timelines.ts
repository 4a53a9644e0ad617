import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { newId } from "../ids.ts";
import { users } from "./accounts.ts";
import { lists } from "./graph.ts";
import { posts, tags } from "./posts.ts";

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

/**
 * Each list's timeline, materialised by the same fan-out as the Following feed (docs/decisions/0030): one row per post
 * or repost by a member, as home_feed_entries keeps them. Deleting the list or the post deletes its rows.
 */
export const listFeedEntries = sqliteTable(
  "list_feed_entries",
  {
    listId: text("list_id")
      .notNull()
      .references(() => lists.id, { onDelete: "cascade" }),
    postId: text("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    authorId: text("author_id").notNull(),
    originalId: text("original_id").notNull(),
    originalAuthorId: text("original_author_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.listId, t.postId] }),
    index("list_feed_entries_original_idx").on(t.listId, t.originalId),
    index("list_feed_entries_author_idx").on(t.listId, t.authorId),
    index("list_feed_entries_post_idx").on(t.postId),
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

/** Hashtags a person follows: public posts with them come into their Following feed (docs/decisions/0022). */
export const followedTags = sqliteTable(
  "followed_tags",
  {
    /** The follow's own id: the cursor of GET /api/v1/followed_tags. */
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tagId: text("tag_id")
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("followed_tags_user_tag_unique").on(t.userId, t.tagId), index("followed_tags_tag_idx").on(t.tagId, t.userId)],
);
