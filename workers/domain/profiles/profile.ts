import { sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { users } from "#db/schema/index.ts";

/**
 * A profile column as everyone else reads it: what the owner wrote, or, while moderation holds the profile, what a
 * blank profile shows (docs/decisions/0054). Done in the query, so every surface that reads a public user obeys.
 */
const unlessHeld = <T extends SQLiteColumn>(column: T, blank: SQL) =>
  sql<T["_"]["data"]>`CASE WHEN ${users.profileModerationState} IS NULL THEN ${column} ELSE ${blank} END`.mapWith(column);

/**
 * A picture as everyone else sees it: the owner's, or none (the default) while the profile is held or moderation
 * judged its pictures sensitive. A sensitive picture is replaced rather than covered: it shows in every list and
 * in Mastodon's Account entity, which has no way to say "cover this" (docs/decisions/0054).
 */
const shownPicture = <T extends SQLiteColumn>(column: T) =>
  sql<
    T["_"]["data"]
  >`CASE WHEN ${users.profileModerationState} IS NULL AND NOT ${users.picturesSensitive} THEN ${column} ELSE NULL END`.mapWith(column);

/** The display name everyone else sees: empty (so the username stands in) while the profile is held. */
export const shownDisplayName = unlessHeld(users.displayName, sql`''`);

/**
 * The columns anyone may see. Email, role and verification state never leave the accounts context this way; what a
 * held profile says is replaced by a blank profile's, and sensitive pictures by the defaults (the owner reads their own
 * row through the accounts context).
 */
export const publicUserColumns = {
  id: users.id,
  username: users.username,
  displayName: shownDisplayName,
  bio: unlessHeld(users.bio, sql`''`),
  avatarKey: shownPicture(users.avatarKey),
  headerKey: shownPicture(users.headerKey),
  locked: users.locked,
  bot: users.bot,
  discoverable: users.discoverable,
  createdAt: users.createdAt,
  followersCount: users.followersCount,
  followingCount: users.followingCount,
  postsCount: users.postsCount,
  lastPostAt: users.lastPostAt,
  location: unlessHeld(users.location, sql`''`),
  website: unlessHeld(users.website, sql`''`),
  fields: unlessHeld(users.fields, sql`'[]'`),
  accentColor: users.accentColor,
  backgroundKey: shownPicture(users.backgroundKey),
  verifiedAt: users.verifiedAt,
  profileVisibility: users.profileVisibility,
  hideCollections: users.hideCollections,
  /** Read by the visibility rules; never presented (a limited account is not told, nor are others). */
  moderationStatus: users.moderationStatus,
};

export type PublicUser = Pick<typeof users.$inferSelect, keyof typeof publicUserColumns>;

/** Where a user's avatar is served from: their uploaded image, or the default every Mastodon client knows. */
export function avatarPath(user: Pick<PublicUser, "avatarKey">): string {
  return user.avatarKey ? `/media/${user.avatarKey}` : "/avatars/original/missing.png";
}

export function headerPath(user: Pick<PublicUser, "headerKey">): string {
  return user.headerKey ? `/media/${user.headerKey}` : "/headers/original/missing.png";
}

export function backgroundPath(user: Pick<PublicUser, "backgroundKey">): string | null {
  return user.backgroundKey ? `/media/${user.backgroundKey}` : null;
}

/** What a removal by moderation leaves of a profile: nothing its owner wrote or chose to show (ADR 0054). */
export const blankProfile = {
  displayName: "",
  bio: "",
  location: "",
  website: "",
  fields: [],
  avatarKey: null,
  headerKey: null,
  backgroundKey: null,
  picturesSensitive: false,
};
