import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { newId } from "../ids.ts";
import { users } from "./accounts.ts";
import { drafts } from "./drafts.ts";
import { posts } from "./posts.ts";

/** Mastodon's attachment types that Perch makes: still images, animated GIFs (served as GIFs) and videos. */
export const mediaTypes = ["image", "gifv", "video"] as const;

/**
 * An uploaded file. It belongs to its uploader until a post takes it (postId set, once: a trigger refuses moving it
 * to another post); unattached uploads are removed after a day. A draft or scheduled post reserves its uploads
 * (draftId): no other post or draft may take them, and they are kept while it waits (triggers in migration 0013). The
 * R2 keys live under the attachment's id.
 */
export const mediaAttachments = sqliteTable(
  "media_attachments",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    postId: text("post_id").references(() => posts.id, { onDelete: "cascade" }),
    draftId: text("draft_id").references(() => drafts.id, { onDelete: "set null" }),
    position: integer("position").notNull().default(0),
    type: text("type", { enum: mediaTypes }).notNull(),
    contentType: text("content_type").notNull(),
    key: text("key").notNull(),
    previewKey: text("preview_key"),
    width: integer("width"),
    height: integer("height"),
    sizeBytes: integer("size_bytes").notNull(),
    /** Alt text, read aloud by screen readers. */
    description: text("description").notNull().default(""),
    /** Where to keep in view when cropping, from -1 to 1 on each axis (Mastodon's focal point). */
    focusX: real("focus_x").notNull().default(0),
    focusY: real("focus_y").notNull().default(0),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("media_attachments_post_idx").on(t.postId, t.position),
    index("media_attachments_owner_idx").on(t.ownerId, t.createdAt),
    index("media_attachments_draft_idx")
      .on(t.draftId, t.position)
      .where(sql`${t.draftId} IS NOT NULL`),
  ],
);

/** A post's poll; results are counted by triggers on votes (0007_polls_and_media.sql). */
export const polls = sqliteTable(
  "polls",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    postId: text("post_id")
      .notNull()
      .unique()
      .references(() => posts.id, { onDelete: "cascade" }),
    multiple: integer("multiple", { mode: "boolean" }).notNull().default(false),
    /** Counts stay hidden from voters until the poll ends (Mastodon's hide_totals); the author always sees them. */
    hideTotals: integer("hide_totals", { mode: "boolean" }).notNull().default(false),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    votesCount: integer("votes_count").notNull().default(0),
    votersCount: integer("voters_count").notNull().default(0),
    /** When voters were told the poll ended; null until the cron job does it. */
    endNotifiedAt: integer("end_notified_at", { mode: "timestamp_ms" }),
  },
  // The cron job that tells voters a poll ended walks this index.
  (t) => [
    index("polls_ending_idx")
      .on(t.expiresAt)
      .where(sql`${t.endNotifiedAt} IS NULL`),
  ],
);

export const pollOptions = sqliteTable(
  "poll_options",
  {
    pollId: text("poll_id")
      .notNull()
      .references(() => polls.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    title: text("title").notNull(),
    votesCount: integer("votes_count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.pollId, t.position] })],
);

/** One row per person who voted: its primary key is what makes voting twice impossible, even under races. */
export const pollVoters = sqliteTable(
  "poll_voters",
  {
    pollId: text("poll_id")
      .notNull()
      .references(() => polls.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.pollId, t.userId] })],
);

export const pollVotes = sqliteTable(
  "poll_votes",
  {
    pollId: text("poll_id")
      .notNull()
      .references(() => polls.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.pollId, t.userId, t.position] })],
);

export const previewCardStates = ["pending", "ready", "failed"] as const;

/** A link's preview, fetched once in the background (the preview-cards queue consumer) and shared by every post. */
export const previewCards = sqliteTable("preview_cards", {
  url: text("url").primaryKey(),
  state: text("state", { enum: previewCardStates }).notNull().default("pending"),
  title: text("title").notNull().default(""),
  description: text("description").notNull().default(""),
  providerName: text("provider_name").notNull().default(""),
  /** The page's image, re-encoded into R2 so readers' browsers never contact the linked site. */
  imageKey: text("image_key"),
  imageWidth: integer("image_width"),
  imageHeight: integer("image_height"),
  fetchedAt: integer("fetched_at", { mode: "timestamp_ms" }),
});
