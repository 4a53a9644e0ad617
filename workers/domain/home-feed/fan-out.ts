import { eq, sql, type SQL } from "drizzle-orm";
import { posts, users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import type { Visibility } from "../posts/posts.ts";

/**
 * The write side of the Following feed (docs/decisions/0022): fan-out on write into home_feed_entries, back-fill on
 * follow, removal on unfollow, block, mute and the end of a friendship. Every function here is an event handler's body
 * and idempotent: rows are inserted with OR IGNORE and removed only while the relationship that removes them holds.
 */

/** Followers written per statement: a range of the follows index, so no statement binds a user-controlled list. */
const FAN_OUT_CHUNK = 500;
/** How many of an account's latest posts a new follower gets at once. */
const BACKFILL_POSTS = 40;

/** The row a post or repost becomes in a feed: what it is and whose it is, for removal and for repeats. */
interface Delivery {
  postId: string;
  authorId: string;
  originalId: string;
  originalAuthorId: string;
  visibility: Visibility;
}

async function deliveryOf(ctx: DomainContext, postId: string): Promise<Delivery | undefined> {
  const [row] = await ctx.db
    .select({
      postId: posts.id,
      authorId: posts.authorId,
      visibility: posts.visibility,
      originalId: sql<string>`coalesce(${posts.reblogOfId}, ${posts.id})`,
      originalAuthorId: sql<string>`coalesce((SELECT o.author_id FROM posts o WHERE o.id = ${posts.reblogOfId}), ${posts.authorId})`,
    })
    .from(posts)
    .where(eq(posts.id, postId));
  return row;
}

/** Nobody sees what someone they block, who blocks them, or whom they mute wrote or reposted. */
function unwelcomeTo(owner: SQL, delivery: Delivery, now: number): SQL {
  const people = sql`(${delivery.authorId}, ${delivery.originalAuthorId})`;
  return sql`(
    EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = ${owner} AND b.blocked_id IN ${people})
                                      OR (b.blocked_id = ${owner} AND b.blocker_id IN ${people}))
    OR EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = ${owner} AND m.muted_id IN ${people}
                                      AND (m.expires_at IS NULL OR m.expires_at > ${now}))
  )`;
}

function insertFor(owners: SQL, delivery: Delivery): SQL {
  return sql`INSERT OR IGNORE INTO home_feed_entries (owner_id, post_id, author_id, original_id, original_author_id)
    SELECT recipient.owner_id, ${delivery.postId}, ${delivery.authorId}, ${delivery.originalId}, ${delivery.originalAuthorId}
    FROM (${owners}) AS recipient
    WHERE NOT ${unwelcomeTo(sql`recipient.owner_id`, delivery, Date.now())}
      AND NOT EXISTS (SELECT 1 FROM home_feed_entries e
                      WHERE e.owner_id = recipient.owner_id AND e.original_id = ${delivery.originalId})`;
}

/**
 * Delivers a new post or repost to every follower who may see it: all followers for public, unlisted and
 * followers-only posts, friends for friends-only posts, and for direct posts only the people it mentions; a public post
 * also goes to everyone following one of its hashtags. Its author gets no row: homeTimeline reads their own posts
 * directly, so they see them at once. An account with more followers than HOME_FANOUT_MAX_FOLLOWERS is not fanned out: readers merge its posts in when
 * they read (homeTimeline). A repost of a post the follower already has is not delivered again.
 */
export async function fanOutPost(ctx: DomainContext, postId: string, chunkSize = FAN_OUT_CHUNK): Promise<{ delivered: number }> {
  const delivery = await deliveryOf(ctx, postId);
  if (!delivery) return { delivered: 0 };
  if (delivery.visibility === "direct") {
    const mentioned = sql`SELECT user_id AS owner_id FROM mentions WHERE post_id = ${delivery.postId}`;
    return { delivered: (await ctx.db.run(insertFor(mentioned, delivery))).meta.changes };
  }
  let delivered = 0;
  if (delivery.visibility === "public" && delivery.postId === delivery.originalId) {
    const tagFollowers = sql`SELECT DISTINCT ft.user_id AS owner_id FROM post_tags pt
      JOIN followed_tags ft ON ft.tag_id = pt.tag_id WHERE pt.post_id = ${delivery.postId}`;
    delivered += (await ctx.db.run(insertFor(tagFollowers, delivery))).meta.changes;
  }
  const [author] = await ctx.db.select({ followers: users.followersCount }).from(users).where(eq(users.id, delivery.authorId));
  if (!author || author.followers > ctx.config.HOME_FANOUT_MAX_FOLLOWERS) return { delivered };

  const onlyFriends = delivery.visibility === "friends";
  for (let after = ""; ;) {
    const [boundary] = await ctx.db.all<{ id: string }>(sql`SELECT follower_id AS id FROM follows
      WHERE followee_id = ${delivery.authorId} AND follower_id > ${after}
      ORDER BY follower_id LIMIT 1 OFFSET ${chunkSize - 1}`);
    const followers = sql`SELECT follower_id AS owner_id FROM follows f
      WHERE f.followee_id = ${delivery.authorId} AND f.follower_id > ${after}
        ${boundary ? sql`AND f.follower_id <= ${boundary.id}` : sql``}
        ${onlyFriends ? sql`AND EXISTS (SELECT 1 FROM friendships fr WHERE fr.user_id = ${delivery.authorId} AND fr.friend_id = f.follower_id)` : sql``}`;
    delivered += (await ctx.db.run(insertFor(followers, delivery))).meta.changes;
    if (!boundary) return { delivered };
    after = boundary.id;
  }
}

/**
 * A new follower gets the account's latest posts and reposts that they may see (friends-only ones when they are
 * friends), unless they have unfollowed again by the time this runs.
 */
export async function backfillFollow(ctx: DomainContext, followerId: string, followeeId: string): Promise<{ delivered: number }> {
  const result = await ctx.db.run(sql`INSERT OR IGNORE INTO home_feed_entries
      (owner_id, post_id, author_id, original_id, original_author_id)
    SELECT ${followerId}, p.id, p.author_id, coalesce(p.reblog_of_id, p.id), coalesce(o.author_id, p.author_id)
    FROM posts p LEFT JOIN posts o ON o.id = p.reblog_of_id
    WHERE p.author_id = ${followeeId}
      AND EXISTS (SELECT 1 FROM follows WHERE follower_id = ${followerId} AND followee_id = ${followeeId})
      AND (p.visibility IN ('public', 'unlisted', 'private')
        OR (p.visibility = 'friends'
          AND EXISTS (SELECT 1 FROM friendships WHERE user_id = ${followeeId} AND friend_id = ${followerId})))
    ORDER BY p.id DESC LIMIT ${BACKFILL_POSTS}`);
  return { delivered: result.meta.changes };
}

/** After an unfollow: the account's posts and reposts leave the former follower's feed (unless they follow again). */
export async function removeUnfollowed(ctx: DomainContext, followerId: string, followeeId: string): Promise<void> {
  await ctx.db.run(sql`DELETE FROM home_feed_entries WHERE owner_id = ${followerId} AND author_id = ${followeeId}
    AND NOT EXISTS (SELECT 1 FROM follows WHERE follower_id = ${followerId} AND followee_id = ${followeeId})`);
}

/** After a block, both people's feeds lose what the other wrote or reposted, while the block lasts. */
export async function removeBlocked(ctx: DomainContext, blockerId: string, blockedId: string): Promise<void> {
  const blockHolds = sql`EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ${blockerId} AND blocked_id = ${blockedId})`;
  const remove = (owner: string, other: string) =>
    ctx.db.run(sql`DELETE FROM home_feed_entries WHERE owner_id = ${owner}
      AND (author_id = ${other} OR original_author_id = ${other}) AND ${blockHolds}`);
  await remove(blockerId, blockedId);
  await remove(blockedId, blockerId);
}

/** After a mute, the muter's feed loses what the muted account wrote or reposted, while the mute lasts. */
export async function removeMuted(ctx: DomainContext, muterId: string, mutedId: string): Promise<void> {
  await ctx.db.run(sql`DELETE FROM home_feed_entries WHERE owner_id = ${muterId}
    AND (author_id = ${mutedId} OR original_author_id = ${mutedId})
    AND EXISTS (SELECT 1 FROM mutes WHERE muter_id = ${muterId} AND muted_id = ${mutedId})`);
}

/** When a friendship ends, each loses the other's friends-only posts (unless they are friends again). */
export async function removeFormerFriends(ctx: DomainContext, userId: string, friendId: string): Promise<void> {
  const friendsAgain = sql`EXISTS (SELECT 1 FROM friendships WHERE user_id = ${userId} AND friend_id = ${friendId})`;
  const friendsOnly = (owner: string, author: string) =>
    ctx.db.run(sql`DELETE FROM home_feed_entries WHERE owner_id = ${owner} AND author_id = ${author} AND NOT ${friendsAgain}
      AND post_id IN (SELECT id FROM posts WHERE author_id = ${author} AND visibility = 'friends')`);
  await friendsOnly(userId, friendId);
  await friendsOnly(friendId, userId);
}

/** Keeps each feed to its newest HOME_FEED_SIZE entries, as Mastodon keeps its home feeds: the feed ends there. */
export async function trimHomeFeeds(ctx: DomainContext): Promise<number> {
  const result = await ctx.db.run(sql`DELETE FROM home_feed_entries WHERE rowid IN (
    SELECT rowid FROM (
      SELECT rowid, row_number() OVER (PARTITION BY owner_id ORDER BY post_id DESC) AS rank FROM home_feed_entries
    ) WHERE rank > ${ctx.config.HOME_FEED_SIZE})`);
  return result.meta.changes;
}
