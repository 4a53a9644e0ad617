import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { newId } from "../ids.ts";
import { users } from "./accounts.ts";

/*
 * The full-text indexes (posts_fts over posts, users_fts over users) are FTS5 virtual tables kept in sync by triggers;
 * Drizzle cannot describe virtual tables, so they live only in the hand-written part of migration 0025
 * (docs/decisions/0037-search-on-fts5-kept-by-triggers.md).
 */

/** What someone searched for lately, newest first on /search while the box is empty; a repeat moves it up. */
export const recentSearches = sqliteTable(
  "recent_searches",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    query: text("query").notNull(),
    searchedAt: integer("searched_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.query] }), index("recent_searches_user_idx").on(t.userId, t.searchedAt)],
);

/** Searches someone keeps, to run again from /search. */
export const savedSearches = sqliteTable(
  "saved_searches",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    query: text("query").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("saved_searches_user_query_unique").on(t.userId, t.query)],
);
