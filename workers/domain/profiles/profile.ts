import { users } from "#db/schema/index.ts";

/** The columns anyone may see. Email, role and verification state never leave the accounts context this way. */
export const publicUserColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  bio: users.bio,
  avatarKey: users.avatarKey,
  headerKey: users.headerKey,
  locked: users.locked,
  bot: users.bot,
  discoverable: users.discoverable,
  createdAt: users.createdAt,
  followersCount: users.followersCount,
  followingCount: users.followingCount,
  postsCount: users.postsCount,
  lastPostAt: users.lastPostAt,
  location: users.location,
  website: users.website,
  fields: users.fields,
  accentColor: users.accentColor,
  backgroundKey: users.backgroundKey,
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
