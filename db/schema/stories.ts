import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { newId } from "../ids.ts";
import { users } from "./accounts.ts";
import { conversations } from "./messages.ts";

/** Who a story item is for: whoever may see the profile, the author's followers, or the author's close friends. */
export const storyAudiences = ["everyone", "followers", "close_friends"] as const;
/** Where a text overlay sits on the picture. */
export const overlayPositions = ["top", "middle", "bottom"] as const;
/** The overlay's colours: a fixed palette, each readable on its own shaded band (workers/domain/stories/limits.ts). */
export const overlayColours = ["white", "black", "yellow", "pink", "green", "blue"] as const;
export const storyMediaTypes = ["image", "gifv", "video"] as const;

/**
 * One item of a person's story: a picture or short video shown for 24 hours. The files live in R2 under the keys the
 * upload minted (ADR 0024); the item owns them once it takes its upload. After expiry the row stays while the author
 * may still read its viewers (48 h), in their archive, or in a highlight; its files stay only while archive or
 * highlight keeps it (ADR 0042).
 */
export const storyItems = sqliteTable(
  "story_items",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    audience: text("audience", { enum: storyAudiences }).notNull(),
    mediaType: text("media_type", { enum: storyMediaTypes }).notNull(),
    contentType: text("content_type").notNull(),
    key: text("key").notNull(),
    previewKey: text("preview_key"),
    width: integer("width"),
    height: integer("height"),
    /** Milliseconds, for videos whose length could be read. */
    durationMs: integer("duration_ms"),
    altText: text("alt_text").notNull().default(""),
    overlayText: text("overlay_text"),
    overlayPosition: text("overlay_position", { enum: overlayPositions }),
    overlayColour: text("overlay_colour", { enum: overlayColours }),
    linkUrl: text("link_url"),
    mentionedUserId: text("mentioned_user_id").references(() => users.id, { onDelete: "set null" }),
    pollQuestion: text("poll_question"),
    pollOptionA: text("poll_option_a"),
    pollOptionB: text("poll_option_b"),
    /** A mention re-shared to the mentioned person's own story: the item it shows (its files are shared). */
    sharedFromId: text("shared_from_id"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    /** When the expiry job took it down; null while live (or not yet reached by the job). */
    expiredAt: integer("expired_at", { mode: "timestamp_ms" }),
    /** Whether its files are still in R2 (false once expiry removed them). */
    filesKept: integer("files_kept", { mode: "boolean" }).notNull().default(true),
    /** Kept in the author's private archive after expiry. */
    archived: integer("archived", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    index("story_items_author_idx").on(t.authorId, t.expiresAt),
    index("story_items_expiring_idx")
      .on(t.expiresAt)
      .where(sql`${t.expiredAt} IS NULL`),
    index("story_items_expired_idx")
      .on(t.expiredAt)
      .where(sql`${t.expiredAt} IS NOT NULL`),
  ],
);

/** One row per person who watched an item: its primary key makes a view count once however often it is sent. */
export const storyViews = sqliteTable(
  "story_views",
  {
    itemId: text("item_id")
      .notNull()
      .references(() => storyItems.id, { onDelete: "cascade" }),
    viewerId: text("viewer_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    viewedAt: integer("viewed_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.viewerId] }), index("story_views_viewer_idx").on(t.viewerId, t.itemId)],
);

/** A poll sticker's votes: one per viewer (the primary key), option 0 or 1. */
export const storyPollVotes = sqliteTable(
  "story_poll_votes",
  {
    itemId: text("item_id")
      .notNull()
      .references(() => storyItems.id, { onDelete: "cascade" }),
    voterId: text("voter_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    option: integer("option").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.voterId] })],
);

export const storyReplyKinds = ["reply", "reaction"] as const;

/**
 * A reply or emoji reaction to an item on its way to the author as a direct message (ADR 0043): the row waits for the
 * `story.replied` handler, which posts the message quoting the item, then deletes it. Its text is sealed like a
 * message body (AES-GCM under the message key, bound to the conversation and this row's id), never stored in clear.
 */
export const storyReplies = sqliteTable(
  "story_replies",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    itemId: text("item_id")
      .notNull()
      .references(() => storyItems.id, { onDelete: "cascade" }),
    fromUserId: text("from_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: storyReplyKinds }).notNull(),
    /** "<iv>.<ciphertext>" as messages store bodies (workers/domain/messages/encryption.ts). */
    text: text("text").notNull(),
    keyVersion: integer("key_version").notNull().default(1),
    /** The one-to-one conversation with the author the reply goes to (opened, or reused, when it was sent). */
    conversationId: text("conversation_id").references(() => conversations.id, { onDelete: "cascade" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("story_replies_item_idx").on(t.itemId, t.id)],
);

/** A private list: the owner's close friends, who alone see close-friends items. Only the owner reads it. */
export const closeFriends = sqliteTable(
  "close_friends",
  {
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    friendId: text("friend_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.friendId] })],
);

/** People the owner hides their story from, whatever its audience. */
export const storyHiddenFrom = sqliteTable(
  "story_hidden_from",
  {
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    hiddenId: text("hidden_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.hiddenId] })],
);

/** Accounts whose stories the muter no longer sees in the tray, still following them. */
export const storyMutes = sqliteTable(
  "story_mutes",
  {
    muterId: text("muter_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    mutedId: text("muted_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.muterId, t.mutedId] })],
);

/** Story settings; no row means the defaults (archive on). */
export const storySettings = sqliteTable("story_settings", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  archive: integer("archive", { mode: "boolean" }).notNull().default(true),
});

/** A named collection of the author's items, shown on their profile after the items expire. */
export const highlights = sqliteTable(
  "highlights",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    coverItemId: text("cover_item_id").references(() => storyItems.id, { onDelete: "set null" }),
    position: integer("position").notNull().default(0),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("highlights_owner_idx").on(t.ownerId, t.position)],
);

export const highlightItems = sqliteTable(
  "highlight_items",
  {
    highlightId: text("highlight_id")
      .notNull()
      .references(() => highlights.id, { onDelete: "cascade" }),
    itemId: text("item_id")
      .notNull()
      .references(() => storyItems.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.highlightId, t.itemId] }), index("highlight_items_item_idx").on(t.itemId)],
);
