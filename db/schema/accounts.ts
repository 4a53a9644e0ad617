import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { newId } from "../ids.ts";

export const roles = ["user", "moderator", "admin"] as const;

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey().$defaultFn(() => newId()),
    username: text("username").notNull(),
    email: text("email").notNull(),
    displayName: text("display_name").notNull().default(""),
    bio: text("bio").notNull().default(""),
    avatarKey: text("avatar_key"),
    headerKey: text("header_key"),
    locked: integer("locked", { mode: "boolean" }).notNull().default(false),
    bot: integer("bot", { mode: "boolean" }).notNull().default(false),
    discoverable: integer("discoverable", { mode: "boolean" }).notNull().default(true),
    role: text("role", { enum: roles }).notNull().default("user"),
    emailVerifiedAt: integer("email_verified_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    followersCount: integer("followers_count").notNull().default(0),
    followingCount: integer("following_count").notNull().default(0),
    postsCount: integer("posts_count").notNull().default(0),
    lastPostAt: integer("last_post_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    // Usernames and emails are unique without regard to case; lookups go through lower() to use these indexes.
    uniqueIndex("users_username_unique").on(sql`lower(${t.username})`),
    uniqueIndex("users_email_unique").on(sql`lower(${t.email})`),
    index("users_created_at_idx").on(t.createdAt),
  ],
);

/** Password hashes live apart from users so that selecting a user never carries one by accident. */
export const passwords = sqliteTable("passwords", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  hash: text("hash").notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});
