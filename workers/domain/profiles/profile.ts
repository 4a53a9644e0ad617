import { sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { users } from "#db/schema/index.ts";

/**
 * A profile column as everyone else reads it: what the owner wrote, or, while moderation holds the profile, what a
 * blank profile shows (docs/decisions/0054). Done in the query, so every surface that reads a public user obeys.
 */
const unlessHeld = <T extends SQLiteColumn>(column: T, blank: SQL) =>
  sql<T["_"]["data"]>`CASE WHEN ${users.profileModerationState} IS NULL THEN ${column} ELSE ${blank} END`.mapWith(column);

/** The display name everyone else sees: empty (so the username stands in) while the profile is held. */
export const shownDisplayName = unlessHeld(users.displayName, sql`''`);

/**
 * The columns anyone may see. Email, role and verification state never leave the accounts context this way; what a
 * held profile says is replaced by a blank profile's (the owner reads their own row through the accounts context).
 */
export const publicUserColumns = {
  id: users.id,
  username: users.username,
  displayName: shownDisplayName,
  bio: unlessHeld(users.bio, sql`''`),
  avatarKey: unlessHeld(users.avatarKey, sql`NULL`),
  headerKey: unlessHeld(users.headerKey, sql`NULL`),
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
  backgroundKey: unlessHeld(users.backgroundKey, sql`NULL`),
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
};
