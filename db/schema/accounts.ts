import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { newId } from "../ids.ts";

export const roles = ["user", "moderator", "admin"] as const;
/** What moderators did to an account as a whole: limited (Mastodon's silence: only followers see it) or suspended. */
export const accountModerationStatuses = ["limited", "suspended"] as const;
export const profileVisibilities = ["public", "signed-in", "followers"] as const;
export const messagePolicies = ["everyone", "following", "nobody"] as const;
/** Mirrors posts.visibility (kept here so accounts do not depend on posts). */
export const defaultVisibilities = ["public", "unlisted", "private", "friends", "direct"] as const;
/** How media marked sensitive are shown to this person (Mastodon's reading:expand:media). */
export const mediaDisplays = ["default", "show_all", "hide_all"] as const;

export interface ProfileField {
  name: string;
  value: string;
}

export const users = sqliteTable(
  "users",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
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
    location: text("location").notNull().default(""),
    website: text("website").notNull().default(""),
    fields: text("fields", { mode: "json" })
      .$type<ProfileField[]>()
      .notNull()
      .default(sql`'[]'`),
    /** Profile customisation: an accent colour (#rrggbb) and a background image. */
    accentColor: text("accent_color"),
    backgroundKey: text("background_key"),
    /** The verified badge, granted by admins. */
    verifiedAt: integer("verified_at", { mode: "timestamp_ms" }),
    profileVisibility: text("profile_visibility", { enum: profileVisibilities }).notNull().default("public"),
    messagePolicy: text("message_policy", { enum: messagePolicies }).notNull().default("everyone"),
    defaultVisibility: text("default_visibility", { enum: defaultVisibilities }).notNull().default("public"),
    hideCollections: integer("hide_collections", { mode: "boolean" }).notNull().default(false),
    mediaDisplay: text("media_display", { enum: mediaDisplays }).notNull().default("default"),
    /**
     * The last day (days since the Unix epoch, UTC) the person used Perch signed in, written at most once a day. Null
     * until their first visit after it was introduced: counted as active. Fan-out skips readers inactive longer than
     * HOME_INACTIVE_DAYS (docs/decisions/0030).
     */
    lastActiveDay: integer("last_active_day"),
    /** Their feeds are being rebuilt after a long absence: until then their Following feed is read by a pull query. */
    homeFeedStale: integer("home_feed_stale", { mode: "boolean" }).notNull().default(false),
    /** Null for an account in good standing (workers/domain/moderation/actions.ts). */
    moderationStatus: text("moderation_status", { enum: accountModerationStatuses }),
    /**
     * "held" while moderation reviews the profile's text and pictures: everyone but the owner sees the username, an
     * empty bio and the default pictures until a moderator approves (docs/decisions/0054). Null when shown as written.
     */
    profileModerationState: text("profile_moderation_state", { enum: ["held"] }),
    /**
     * Moderation judged the avatar, header or background sensitive: everyone but the owner sees the default pictures
     * instead (docs/decisions/0054). A new picture clears it, to be judged afresh.
     */
    picturesSensitive: integer("pictures_sensitive", { mode: "boolean" }).notNull().default(false),
    /**
     * A moderator marked the account sensitive (Mastodon's sensitized): every post and chat message of theirs with media
     * is marked sensitive as it is written, whatever they choose (docs/decisions/0056).
     */
    sensitized: integer("sensitized", { mode: "boolean" }).notNull().default(false),
    /** A moderator disabled the log-in (Mastodon's disabled): no door signs them in; the profile stays (ADR 0056). */
    disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
    /** False while a sign-up waits for a moderator (registrations by approval): such an account cannot sign in. */
    approved: integer("approved", { mode: "boolean" }).notNull().default(true),
    /** Why they want to join, as written at sign-up when registrations need approval (Mastodon's invite_request). */
    signUpReason: text("sign_up_reason").notNull().default(""),
    /** The invite link they signed up with, if any (workers/domain/accounts/invites.ts). */
    inviteId: text("invite_id"),
  },
  (t) => [
    // Usernames and emails are unique without regard to case; lookups go through lower() to use these indexes.
    uniqueIndex("users_username_unique").on(sql`lower(${t.username})`),
    uniqueIndex("users_email_unique").on(sql`lower(${t.email})`),
    index("users_created_at_idx").on(t.createdAt),
    // The home feed's read-time merge starts from the few accounts above HOME_FANOUT_MAX_FOLLOWERS (homeFeedReads).
    index("users_followers_idx").on(t.followersCount),
    // The pending sign-ups moderators review are few among many accounts.
    index("users_pending_idx")
      .on(t.id)
      .where(sql`${t.approved} = 0`),
    // The few profiles moderation holds: the held queue reads them without a scan.
    index("users_profile_held_idx")
      .on(t.id)
      .where(sql`${t.profileModerationState} IS NOT NULL`),
  ],
);

/**
 * An invite link an admin or moderator made: whoever has its code may sign up even when registrations are closed or
 * need approval, until it expires, is used up or is revoked.
 */
export const invites = sqliteTable("invites", {
  id: text("id")
    .primaryKey()
    .$defaultFn(() => newId()),
  /** The random code in the link (/signup?invite=code); moderators list the links they made, so it is kept as is. */
  code: text("code").notNull().unique(),
  createdById: text("created_by_id").references(() => users.id, { onDelete: "set null" }),
  maxUses: integer("max_uses"),
  uses: integer("uses").notNull().default(0),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
  revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

/** Password hashes live apart from users so that selecting a user never carries one by accident. */
export const passwords = sqliteTable("passwords", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  hash: text("hash").notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});
