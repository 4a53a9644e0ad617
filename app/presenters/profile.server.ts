import { asSeenByViewer } from "#domain/graph/relationships.ts";
import { visibleProfile, type AccountView } from "#domain/profiles/access.ts";
import { variantPath } from "#domain/media/profile-images.ts";
import { avatarPath, backgroundPath, headerPath, type PublicUser } from "#domain/profiles/profile.ts";
import { parseRichText } from "#domain/rich-text.ts";

/** A picture's path at a given size when it has variants (uploaded), or as stored (seeded or default). */
export function sizedAvatar(user: Pick<PublicUser, "avatarKey">, size: "48" | "96" | "400"): string {
  return user.avatarKey?.endsWith(".webp") ? variantPath(user.avatarKey, size) : avatarPath(user);
}

/** What the profile page shows of an account, as the viewer may see it (visibleProfile decides what that is). */
export function presentProfile(view: AccountView) {
  const account = visibleProfile(view);
  const { access, relationship } = view;
  return {
    id: account.id,
    username: account.username,
    displayName: account.displayName || account.username,
    avatar: sizedAvatar(account, "400"),
    header: headerPath(account),
    /** False while the account has not chosen a header: the page draws one from the accent colour instead. */
    hasHeader: account.headerKey !== null,
    background: backgroundPath(account),
    accentColor: account.accentColor,
    bio: parseRichText(account.bio),
    location: account.location,
    website: account.website,
    fields: account.fields.map((field) => ({ name: field.name, value: parseRichText(field.value) })),
    joined: account.createdAt.toISOString(),
    counts: { posts: account.postsCount, followers: account.followersCount, following: account.followingCount },
    verified: account.verifiedAt !== null,
    bot: account.bot,
    locked: account.locked,
    hideCollections: account.hideCollections,
    access,
    relationship: relationship && asSeenByViewer(relationship),
  };
}

export type ProfileData = ReturnType<typeof presentProfile>;
