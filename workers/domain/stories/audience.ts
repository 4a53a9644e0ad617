import { and, eq } from "drizzle-orm";
import { closeFriends, storyHiddenFrom, type storyItems } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { relationshipWith } from "../graph/relationships.ts";
import { profileAccess } from "../profiles/access.ts";
import type { PublicUser } from "../profiles/profile.ts";

export type StoryItem = typeof storyItems.$inferSelect;

/** How a viewer stands with one author, for every story rule: enough to decide any of the author's items. */
export interface StoryStanding {
  viewerId: string | null;
  isAuthor: boolean;
  /** Either blocks the other: the author's stories do not exist for the viewer. */
  blocked: boolean;
  hidden: boolean;
  closeFriend: boolean;
  follower: boolean;
  /** The viewer may see the author's whole profile (the "everyone" audience). */
  profileVisible: boolean;
}

/**
 * The one rule for who sees a story item (ADR 0042): its author always; nobody who blocks or is blocked by the
 * author, nor anyone the author hides their story from; otherwise as its audience says: close friends only the
 * author's close friends, followers only followers, everyone whoever may see the author's profile.
 */
export function canSeeStoryItem(standing: StoryStanding, item: Pick<StoryItem, "audience">): boolean {
  if (standing.isAuthor) return true;
  if (standing.blocked || standing.hidden) return false;
  if (item.audience === "close_friends") return standing.closeFriend;
  if (item.audience === "followers") return standing.follower;
  return standing.profileVisible;
}

/** How the viewer (null: a visitor) stands with the author, in one round trip besides the relationship's. */
export async function storyStanding(ctx: DomainContext, viewerId: string | null, author: PublicUser): Promise<StoryStanding> {
  if (viewerId === author.id) {
    return { viewerId, isAuthor: true, blocked: false, hidden: false, closeFriend: true, follower: true, profileVisible: true };
  }
  if (!viewerId) {
    return {
      viewerId,
      isAuthor: false,
      blocked: false,
      hidden: false,
      closeFriend: false,
      follower: false,
      profileVisible: profileAccess(null, author, null).level === "full",
    };
  }
  const [relationship, [closeFriend], [hidden]] = await Promise.all([
    relationshipWith(ctx, viewerId, author.id),
    ctx.db
      .select({ id: closeFriends.friendId })
      .from(closeFriends)
      .where(and(eq(closeFriends.ownerId, author.id), eq(closeFriends.friendId, viewerId))),
    ctx.db
      .select({ id: storyHiddenFrom.hiddenId })
      .from(storyHiddenFrom)
      .where(and(eq(storyHiddenFrom.ownerId, author.id), eq(storyHiddenFrom.hiddenId, viewerId))),
  ]);
  return {
    viewerId,
    isAuthor: false,
    blocked: relationship.blocking || relationship.blockedBy,
    hidden: Boolean(hidden),
    closeFriend: Boolean(closeFriend),
    follower: relationship.following,
    profileVisible: profileAccess(viewerId, author, relationship).level === "full",
  };
}

/** Whether an item is live: not past its 24 hours, whatever the expiry job has done yet. */
export const isLive = (item: Pick<StoryItem, "expiresAt" | "expiredAt">, now = Date.now()) =>
  item.expiredAt === null && item.expiresAt.getTime() > now;
