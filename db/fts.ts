import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/*
 * The FTS5 virtual tables of migration 0025, as queries see them. They are not in db/schema (drizzle-kit would try to
 * create them as ordinary tables); the migration's hand-written SQL creates them and their triggers (ADR 0037).
 * `rowid` is the post's or user's id as an integer: compare it as CAST(rowid AS TEXT) with an id column, and never
 * select it into JavaScript, where a 64-bit integer loses digits.
 */
export const postsFts = sqliteTable("posts_fts", {
  rowid: integer("rowid").notNull(),
  text: text("text").notNull(),
  spoilerText: text("spoiler_text").notNull(),
});

export const usersFts = sqliteTable("users_fts", {
  rowid: integer("rowid").notNull(),
  username: text("username").notNull(),
  displayName: text("display_name").notNull(),
});
