import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { newId } from "../ids.ts";
import { users } from "./accounts.ts";
import { posts } from "./posts.ts";

/** Where a filter applies (Mastodon's filter contexts). */
export const filterContexts = ["home", "notifications", "public", "thread", "account"] as const;

/** What a match does: a warning to click through, hiding the post, or blurring its media (Mastodon 4.4). */
export const filterActions = ["warn", "hide", "blur"] as const;

/** A person's content filter (Mastodon's filters v2): keywords and posts, where it applies and what it does. */
export const filters = sqliteTable(
  "filters",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    contexts: text("contexts", { mode: "json" }).$type<(typeof filterContexts)[number][]>().notNull(),
    action: text("action", { enum: filterActions }).notNull().default("warn"),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("filters_user_idx").on(t.userId, t.id)],
);

export const filterKeywords = sqliteTable(
  "filter_keywords",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    filterId: text("filter_id")
      .notNull()
      .references(() => filters.id, { onDelete: "cascade" }),
    keyword: text("keyword").notNull(),
    wholeWord: integer("whole_word", { mode: "boolean" }).notNull().default(true),
  },
  (t) => [index("filter_keywords_filter_idx").on(t.filterId)],
);

/** Particular posts a filter matches, whatever their words. */
export const filterStatuses = sqliteTable(
  "filter_statuses",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    filterId: text("filter_id")
      .notNull()
      .references(() => filters.id, { onDelete: "cascade" }),
    postId: text("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
  },
  (t) => [uniqueIndex("filter_statuses_unique").on(t.filterId, t.postId)],
);
