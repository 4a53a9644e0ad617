import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { newId } from "../ids.ts";
import { users } from "./accounts.ts";

export const visibilities = ["public", "unlisted", "private", "friends", "direct"] as const;

/** A post moderation keeps from everyone but its author: held until a moderator decides, or removed. */
export const moderationStates = ["held", "removed"] as const;

/** Who may quote a post (Mastodon 4.5's quote_approval_policy): anyone who can see it, the author's followers, or no one. */
export const quotePolicies = ["public", "followers", "nobody"] as const;

export const posts = sqliteTable(
  "posts",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    text: text("text").notNull(),
    spoilerText: text("spoiler_text").notNull().default(""),
    sensitive: integer("sensitive", { mode: "boolean" }).notNull().default(false),
    visibility: text("visibility", { enum: visibilities }).notNull().default("public"),
    language: text("language"),
    inReplyToId: text("in_reply_to_id"),
    inReplyToAuthorId: text("in_reply_to_author_id"),
    /** A repost (boost) is a row pointing at the original, as on Mastodon; its own text is empty. */
    reblogOfId: text("reblog_of_id"),
    /** A quote post embeds another; the quoted author can detach it (quoteDetached), leaving "unavailable". */
    quoteOfId: text("quote_of_id"),
    quoteDetached: integer("quote_detached", { mode: "boolean" }).notNull().default(false),
    quotePolicy: text("quote_policy", { enum: quotePolicies }).notNull().default("public"),
    /** The first link in the text, whose preview card (preview_cards) is shown with the post. */
    cardUrl: text("card_url"),
    repliesCount: integer("replies_count").notNull().default(0),
    reblogsCount: integer("reblogs_count").notNull().default(0),
    favouritesCount: integer("favourites_count").notNull().default(0),
    /** Private: lowers ranking, never shown. */
    dislikesCount: integer("dislikes_count").notNull().default(0),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    editedAt: integer("edited_at", { mode: "timestamp_ms" }),
    /** Null for a post everyone allowed may see; otherwise only its author sees it (workers/domain/moderation). */
    moderationState: text("moderation_state", { enum: moderationStates }),
    /** 0 to 1, from the moderation pipeline's signals (docs/decisions/0040-moderation-pipeline.md); null until it ran. */
    spamScore: real("spam_score"),
    qualityScore: real("quality_score"),
  },
  (t) => [
    index("posts_author_idx").on(t.authorId, t.id),
    index("posts_reply_idx").on(t.inReplyToId),
    // Only reposts: an index holding every original's NULL would tempt the planner into scanning it for
    // "reblog_of_id IS NULL" instead of walking the public index (it did: 20 ms became 240 ms on the bench data).
    index("posts_reblog_idx")
      .on(t.reblogOfId, t.authorId)
      .where(sql`${t.reblogOfId} IS NOT NULL`),
    index("posts_quote_idx").on(t.quoteOfId),
    // The public and hashtag timelines walk this index newest-first; the partial condition keeps it small and
    // matches their filters (public originals, never reposts).
    index("posts_public_idx")
      .on(t.id)
      .where(sql`${t.visibility} = 'public' AND ${t.reblogOfId} IS NULL`),
    // The few posts moderation holds or removed: the held queue and the dashboard count them without a scan.
    index("posts_moderated_idx")
      .on(t.moderationState, t.id)
      .where(sql`${t.moderationState} IS NOT NULL`),
  ],
);

export const tags = sqliteTable(
  "tags",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    /** As first written (#SwiftUI), for display. */
    name: text("name").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("tags_name_unique").on(sql`lower(${t.name})`)],
);

export const postTags = sqliteTable(
  "post_tags",
  {
    postId: text("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    tagId: text("tag_id")
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.postId, t.tagId] }), index("post_tags_tag_idx").on(t.tagId, t.postId)],
);

export const mentions = sqliteTable(
  "mentions",
  {
    postId: text("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.postId, t.userId] }), index("mentions_user_idx").on(t.userId, t.postId)],
);

/** One row per edit: the text as it was before each change, for the history Mastodon clients show. */
export const postEdits = sqliteTable(
  "post_edits",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    postId: text("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    text: text("text").notNull(),
    spoilerText: text("spoiler_text").notNull(),
    sensitive: integer("sensitive", { mode: "boolean" }).notNull(),
    /** The version's attachments in order (ids); null on versions recorded before edits could change them. */
    mediaIds: text("media_ids", { mode: "json" }).$type<string[]>(),
    /** The version's poll choices; null when it had no poll. */
    pollOptions: text("poll_options", { mode: "json" }).$type<string[]>(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("post_edits_post_idx").on(t.postId, t.id)],
);

/** A post made with an Idempotency-Key: the same key from the same author returns the same post. */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    postId: text("post_id").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);

const engagement = (name: string) =>
  sqliteTable(
    name,
    {
      userId: text("user_id")
        .notNull()
        .references(() => users.id, { onDelete: "cascade" }),
      postId: text("post_id")
        .notNull()
        .references(() => posts.id, { onDelete: "cascade" }),
      createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    },
    (t) => [primaryKey({ columns: [t.userId, t.postId] }), index(`${name}_post_idx`).on(t.postId, t.createdAt)],
  );

export const favourites = engagement("favourites");
export const bookmarks = engagement("bookmarks");
export const dislikes = engagement("dislikes");
export const pins = engagement("pins");

/** Any single emoji as a reaction; one row per person and emoji. */
export const reactions = sqliteTable(
  "reactions",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    postId: text("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    emoji: text("emoji").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.postId, t.emoji] }), index("reactions_post_idx").on(t.postId, t.emoji)],
);
