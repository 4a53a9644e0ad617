import { sql } from "drizzle-orm";
import { storyItems, users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { publicUserColumns, type PublicUser } from "../profiles/profile.ts";

/** One account in the tray: whose story, whether any of it is unseen, and whether it holds close-friends items. */
export interface TrayEntry {
  account: PublicUser;
  /** The first item to open: the oldest unseen, else the oldest. */
  firstItemId: string;
  itemCount: number;
  unseen: boolean;
  closeFriends: boolean;
  latestAt: Date;
}

/**
 * The story tray on home: your own story first, then the accounts you follow with live items you may see (the
 * audience rule of canSeeStoryItem, in SQL), unseen ones first, newest first within each; accounts whose stories you
 * muted are left out. One query over live items of the people you follow.
 */
export async function storyTray(ctx: DomainContext, viewerId: string): Promise<TrayEntry[]> {
  const now = Date.now();
  const rows = await ctx.db
    .select({
      account: publicUserColumns,
      itemId: storyItems.id,
      audience: storyItems.audience,
      createdAt: storyItems.createdAt,
      seen: sql<number>`exists (select 1 from story_views v where v.item_id = ${storyItems.id} and v.viewer_id = ${viewerId})`,
    })
    .from(storyItems)
    .innerJoin(users, sql`${users.id} = ${storyItems.authorId}`)
    .where(
      sql`${storyItems.expiresAt} > ${now} and ${storyItems.expiredAt} is null and (
        ${storyItems.authorId} = ${viewerId} or (
          ${storyItems.authorId} in (select followee_id from follows where follower_id = ${viewerId})
          and ${storyItems.authorId} not in (select muted_id from story_mutes where muter_id = ${viewerId})
          and not exists (select 1 from blocks b where (b.blocker_id = ${viewerId} and b.blocked_id = ${storyItems.authorId})
            or (b.blocker_id = ${storyItems.authorId} and b.blocked_id = ${viewerId}))
          and not exists (select 1 from story_hidden_from h where h.owner_id = ${storyItems.authorId} and h.hidden_id = ${viewerId})
          and (${storyItems.audience} != 'close_friends'
            or exists (select 1 from close_friends c where c.owner_id = ${storyItems.authorId} and c.friend_id = ${viewerId}))
        ))`,
    )
    .orderBy(storyItems.authorId, storyItems.createdAt, storyItems.id);
  const entries = new Map<string, TrayEntry>();
  for (const row of rows) {
    const own = row.account.id === viewerId;
    const unseen = !own && !row.seen;
    const entry = entries.get(row.account.id);
    if (!entry) {
      entries.set(row.account.id, {
        account: row.account,
        firstItemId: row.itemId,
        itemCount: 1,
        unseen,
        closeFriends: row.audience === "close_friends",
        latestAt: row.createdAt,
      });
      continue;
    }
    if (unseen && !entry.unseen) entry.firstItemId = row.itemId;
    entry.itemCount += 1;
    entry.unseen ||= unseen;
    entry.closeFriends ||= row.audience === "close_friends";
    entry.latestAt = row.createdAt;
  }
  return [...entries.values()].sort(
    (a, b) =>
      Number(b.account.id === viewerId) - Number(a.account.id === viewerId) ||
      Number(b.unseen) - Number(a.unseen) ||
      b.latestAt.getTime() - a.latestAt.getTime(),
  );
}
