import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { newId } from "../ids.ts";
import { users } from "./accounts.ts";
import { mediaAttachments } from "./attachments.ts";
import { posts } from "./posts.ts";

/** What can trend: hashtags (keyed by tag id), posts (by post id) and links (by URL). */
export const trendKinds = ["tag", "post", "link"] as const;

/** One day of a trend's use, as Mastodon's `history` reports it (the day's start in Unix seconds). */
export interface TrendDay {
  day: number;
  uses: number;
  accounts: number;
}

/**
 * What the trends job found (docs/trends.md, ADR 0038): every item with a score above zero, its peak (the score
 * decays from there by half-life when use slows) and its last seven days. Hidden and unreviewed items are kept here
 * and left out when read, so an admin's decision applies at once.
 */
export const trends = sqliteTable(
  "trends",
  {
    kind: text("kind", { enum: trendKinds }).notNull(),
    key: text("key").notNull(),
    score: real("score").notNull(),
    peakScore: real("peak_score").notNull(),
    peakAt: integer("peak_at", { mode: "timestamp_ms" }).notNull(),
    /** Distinct accounts in the scoring window: what an admin reviewing the item sees. */
    accounts: integer("accounts").notNull(),
    history: text("history", { mode: "json" }).$type<TrendDay[]>().notNull(),
    computedAt: integer("computed_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.key] }), index("trends_kind_score_idx").on(t.kind, t.score)],
);

export const trendDecisionValues = ["allowed", "hidden"] as const;

/** An admin's word on an item: allowed (reviewed, may trend) or hidden (never trends). No row: not reviewed. */
export const trendDecisions = sqliteTable(
  "trend_decisions",
  {
    kind: text("kind", { enum: trendKinds }).notNull(),
    key: text("key").notNull(),
    decision: text("decision", { enum: trendDecisionValues }).notNull(),
    decidedBy: text("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.key] })],
);

export const momentVisibilities = ["public", "unlisted"] as const;

/** A titled collection of posts someone gathered (their own or others'), shown at /:username/moments/:id. */
export const moments = sqliteTable(
  "moments",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    /** An image from one of the moment's posts; it goes when that attachment does. */
    coverMediaId: text("cover_media_id").references(() => mediaAttachments.id, { onDelete: "set null" }),
    visibility: text("visibility", { enum: momentVisibilities }).notNull().default("public"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("moments_owner_idx").on(t.ownerId, t.id)],
);

export const momentItems = sqliteTable(
  "moment_items",
  {
    momentId: text("moment_id")
      .notNull()
      .references(() => moments.id, { onDelete: "cascade" }),
    postId: text("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    addedAt: integer("added_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.momentId, t.postId] }), index("moment_items_order_idx").on(t.momentId, t.position)],
);

/** An account someone dismissed from their suggestions: it is never suggested to them again. */
export const suggestionDismissals = sqliteTable(
  "suggestion_dismissals",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accountId: text("account_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.accountId] })],
);
