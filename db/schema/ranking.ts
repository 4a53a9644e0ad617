import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./accounts.ts";
import { posts } from "./posts.ts";

/** Why the For-you feed shows a post, strongest first among those that apply (docs/ranking.md). */
export const forYouReasons = [
  "liked_by_following",
  "reposted_by_following",
  "followed_tag",
  "frequent_interaction",
  "following",
  "similar_interests",
  "popular",
] as const;

/**
 * Each person's ranked For-you feed (docs/decisions/0029): a post is ranked once, when a batch is built, and keeps
 * its place. `id` is time-sortable and given in rank order (the best post of a batch gets the highest id), so the feed
 * reads newest batch first, best first, and pages with plain id cursors. A post enters a person's feed at most once.
 */
export const forYouEntries = sqliteTable(
  "for_you_entries",
  {
    id: text("id").primaryKey(),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    postId: text("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    authorId: text("author_id").notNull(),
    score: real("score").notNull(),
    reason: text("reason", { enum: forYouReasons }).notNull(),
    /** Who or what the reason names: a username (liked by, often liked) or a hashtag. */
    reasonSubject: text("reason_subject"),
  },
  (t) => [uniqueIndex("for_you_entries_owner_post_unique").on(t.ownerId, t.postId), index("for_you_entries_owner_idx").on(t.ownerId, t.id)],
);

/** "Show less like this" on a post: the post leaves the viewer's For-you feed, its author and hashtags rank lower. */
export const showLessPosts = sqliteTable(
  "show_less_posts",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    postId: text("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    authorId: text("author_id").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.postId] })],
);

/** "Not interested in this author": none of their posts in the viewer's For-you feed (the Following feed is unchanged). */
export const uninterestingAuthors = sqliteTable(
  "uninteresting_authors",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.authorId] })],
);
