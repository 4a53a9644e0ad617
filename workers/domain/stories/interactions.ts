import { and, desc, eq } from "drizzle-orm";
import { storyPollVotes, storyViews, users } from "#db/schema/index.ts";
import { isUniqueConstraintError } from "#db/client.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { publicUserColumns, type PublicUser } from "../profiles/profile.ts";
import { liveItemFor, ownItem } from "./items.ts";
import { storyLimits } from "./limits.ts";

/**
 * Records that the viewer watched a live item they may see. Sending it again changes nothing (the primary key keeps
 * one row, with the first time); the author's own views are not counted.
 */
export async function markStoryViewed(ctx: DomainContext, viewerId: string, itemId: string): Promise<void> {
  const { standing } = await liveItemFor(ctx, viewerId, itemId);
  if (standing.isAuthor) return;
  await ctx.db.insert(storyViews).values({ itemId, viewerId, viewedAt: new Date() }).onConflictDoNothing();
}

export interface StoryViewer {
  account: PublicUser;
  viewedAt: Date;
  /** Their poll vote on this item, if it has a poll and they voted. */
  vote: number | null;
}

/**
 * Who viewed one of your items, newest first: while it is live and for 48 hours after it expired. Anyone else's item
 * is not found (viewers are never told who else watched); after the 48 hours the list is gone.
 */
export async function storyViewers(ctx: DomainContext, authorId: string, itemId: string): Promise<StoryViewer[]> {
  const item = await ownItem(ctx, authorId, itemId);
  if (Date.now() > item.expiresAt.getTime() + storyLimits.viewersAfterExpiryMs) {
    throw new DomainError("gone", "Viewers are kept for 48 hours after a story expires", { code: "viewers_expired" });
  }
  const rows = await ctx.db
    .select({ account: publicUserColumns, viewedAt: storyViews.viewedAt, vote: storyPollVotes.option })
    .from(storyViews)
    .innerJoin(users, eq(users.id, storyViews.viewerId))
    .leftJoin(storyPollVotes, and(eq(storyPollVotes.itemId, storyViews.itemId), eq(storyPollVotes.voterId, storyViews.viewerId)))
    .where(eq(storyViews.itemId, item.id))
    .orderBy(desc(storyViews.viewedAt))
    .limit(1000);
  return rows;
}

/**
 * Votes in an item's poll sticker: option 0 or 1, once (the primary key refuses a second vote, even sent at once).
 * Voting also counts as viewing. The author sees the results; voters see their own choice.
 */
export async function voteInStoryPoll(ctx: DomainContext, voterId: string, itemId: string, option: number): Promise<void> {
  const { item, standing } = await liveItemFor(ctx, voterId, itemId);
  if (!item.pollOptionA) throw new DomainError("not_found", "This story has no poll", { code: "no_poll" });
  if (standing.isAuthor) throw new DomainError("unprocessable", "You cannot vote in your own poll");
  if (option !== 0 && option !== 1) throw new DomainError("unprocessable", "Choose one of the two options");
  const now = new Date();
  try {
    await ctx.db.batch([
      ctx.db.insert(storyPollVotes).values({ itemId, voterId, option, createdAt: now }),
      ctx.db.insert(storyViews).values({ itemId, viewerId: voterId, viewedAt: now }).onConflictDoNothing(),
    ]);
  } catch (error) {
    if (isUniqueConstraintError(error)) throw new DomainError("conflict", "You already voted in this poll", { code: "already_voted" });
    throw error;
  }
}
