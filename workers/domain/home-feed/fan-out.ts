import { eq, sql, type SQL } from "drizzle-orm";
import { posts, users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { runStatements } from "../batch.ts";
import { commit } from "../events/outbox.ts";
import type { Visibility } from "../posts/posts.ts";
import {
  activeReader,
  followedTagPost,
  followerMayRead,
  followerSeesReply,
  inExclusiveList,
  listColumns,
  listShows,
  unwelcome,
} from "./audience.ts";

/**
 * The write side of the Following feed and of list timelines (docs/decisions/0022, 0030): fan-out on write into
 * home_feed_entries and list_feed_entries, back-fill on follow and on joining a list, removal on unfollow, leaving a
 * list, block, mute and the end of a friendship, and the rebuild of a returning reader's feeds. Every function here is
 * an event handler's body and idempotent: rows are inserted with OR IGNORE and removed only while the relationship that
 * removes them holds.
 */

/** Followers (or lists) written per statement: a range of an index, so no statement binds a user-controlled list. */
const FAN_OUT_CHUNK = 500;
/**
 * Statements of FAN_OUT_CHUNK one handler run writes (two queries each) before the rest of the fan-out goes on in a
 * further message: 5,000 followers a run keeps a run to seconds and well within a Worker invocation's limits.
 */
const CHUNKS_PER_RUN = 10;
/** How many of an account's latest posts a new follower (or a list it joins) gets at once. */
const BACKFILL_POSTS = 40;

/** Where a fan-out stopped: the stage, and the last follower (or list) id it reached there. */
export interface FanOutCursor {
  stage: "followers" | "lists";
  after: string;
}

/** How much one run writes: followers (or lists) per statement, and statements per run. */
export interface FanOutLimits {
  chunkSize: number;
  chunksPerRun: number;
}

const defaultLimits: FanOutLimits = { chunkSize: FAN_OUT_CHUNK, chunksPerRun: CHUNKS_PER_RUN };

/** The row a post or repost becomes in a feed: what it is and whose it is, for removal and for repeats. */
interface Delivery {
  postId: string;
  authorId: string;
  originalId: string;
  originalAuthorId: string;
  inReplyToAuthorId: string | null;
  visibility: Visibility;
}

async function deliveryOf(ctx: DomainContext, postId: string): Promise<Delivery | undefined> {
  const [row] = await ctx.db
    .select({
      postId: posts.id,
      authorId: posts.authorId,
      visibility: posts.visibility,
      inReplyToAuthorId: posts.inReplyToAuthorId,
      originalId: sql<string>`coalesce(${posts.reblogOfId}, ${posts.id})`,
      originalAuthorId: sql<string>`coalesce((SELECT o.author_id FROM posts o WHERE o.id = ${posts.reblogOfId}), ${posts.authorId})`,
    })
    .from(posts)
    .where(eq(posts.id, postId));
  return row;
}

/**
 * Inserts the delivery into the Following feeds of `owners` who may have it. Readers who follow (followers, hashtag
 * followers) are skipped while inactive or when they read the author in an exclusive list; people mentioned in a direct
 * post are not (a rebuild from the graph could not bring that post back).
 */
function insertFor(ctx: DomainContext, owners: SQL, delivery: Delivery, readers: "followers" | "mentioned"): SQL {
  const owner = sql`recipient.owner_id`;
  return sql`INSERT OR IGNORE INTO home_feed_entries (owner_id, post_id, author_id, original_id, original_author_id)
    SELECT recipient.owner_id, ${delivery.postId}, ${delivery.authorId}, ${delivery.originalId}, ${delivery.originalAuthorId}
    FROM (${owners}) AS recipient
    WHERE NOT ${unwelcome(owner, sql`${delivery.authorId}`, sql`${delivery.originalAuthorId}`)}
      ${readers === "followers" ? sql`AND ${activeReader(ctx, owner)} AND NOT ${inExclusiveList(owner, sql`${delivery.authorId}`)} AND ${followerSeesReply(owner, sql`${delivery.authorId}`, sql`${delivery.inReplyToAuthorId}`)}` : sql``}
      AND NOT EXISTS (SELECT 1 FROM home_feed_entries e
                      WHERE e.owner_id = recipient.owner_id AND e.original_id = ${delivery.originalId})`;
}

/** One stage of a fan-out: a walk over an index in ranges of keys, one INSERT ... SELECT per range. */
interface Stage {
  name: FanOutCursor["stage"];
  /** The key `size` keys after `after`, when there are that many. */
  boundary(after: string, size: number): SQL;
  /** Delivers to the keys after `after`, up to `upTo` (to the end when undefined). */
  insert(after: string, upTo: string | undefined): SQL;
}

function followerStage(ctx: DomainContext, delivery: Delivery): Stage {
  const onlyFriends = delivery.visibility === "friends";
  return {
    name: "followers",
    boundary: (after, size) => sql`SELECT follower_id AS id FROM follows
      WHERE followee_id = ${delivery.authorId} AND follower_id > ${after}
      ORDER BY follower_id LIMIT 1 OFFSET ${size - 1}`,
    insert: (after, upTo) =>
      insertFor(
        ctx,
        sql`SELECT follower_id AS owner_id FROM follows f
          WHERE f.followee_id = ${delivery.authorId} AND f.follower_id > ${after}
            ${upTo ? sql`AND f.follower_id <= ${upTo}` : sql``}
            ${onlyFriends ? sql`AND EXISTS (SELECT 1 FROM friendships fr WHERE fr.user_id = ${delivery.authorId} AND fr.friend_id = f.follower_id)` : sql``}`,
        delivery,
        "followers",
      ),
  };
}

/** The lists that contain the author, walked in ranges of list_members_user_idx (user, list). */
function listStage(ctx: DomainContext, delivery: Delivery): Stage {
  return {
    name: "lists",
    boundary: (after, size) => sql`SELECT list_id AS id FROM list_members
      WHERE user_id = ${delivery.authorId} AND list_id > ${after}
      ORDER BY list_id LIMIT 1 OFFSET ${size - 1}`,
    insert: (after, upTo) => sql`INSERT OR IGNORE INTO list_feed_entries (list_id, post_id, author_id, original_id, original_author_id)
      SELECT l.id, p.id, ${delivery.authorId}, ${delivery.originalId}, ${delivery.originalAuthorId}
      FROM list_members lm JOIN lists l ON l.id = lm.list_id JOIN posts p ON p.id = ${delivery.postId}
      WHERE lm.user_id = ${delivery.authorId} AND lm.list_id > ${after} ${upTo ? sql`AND lm.list_id <= ${upTo}` : sql``}
        AND ${listShows(listColumns("l"), "p")}
        AND NOT ${unwelcome(sql`l.owner_id`, sql`${delivery.authorId}`, sql`${delivery.originalAuthorId}`)}
        AND ${activeReader(ctx, sql`l.owner_id`)}
        AND NOT EXISTS (SELECT 1 FROM list_feed_entries e WHERE e.list_id = l.id AND e.original_id = ${delivery.originalId})`,
  };
}

/**
 * Delivers a new post or repost to every follower who may see it and to every list that contains its author: all
 * followers for public, unlisted and followers-only posts, friends for friends-only posts, and for direct posts only the
 * people it mentions (never lists); a public post also goes to everyone following one of its hashtags. Lists apply their
 * replies_policy (audience.ts). Inactive readers are skipped (their feeds are rebuilt when they return), and so are
 * followers who read the author in an exclusive list. Its author gets no row: homeTimeline reads their own posts
 * directly. An account with more followers than HOME_FANOUT_MAX_FOLLOWERS is not fanned out: readers merge its posts in
 * when they read. A repost of a post a feed already has is not delivered again.
 *
 * A run writes at most `chunksPerRun` ranges; the rest goes on in a `fanout.continued` event carrying where it
 * stopped, handled by calling this again with that cursor. Every range is idempotent, so a redelivered message (or a
 * continuation sent twice) adds nothing twice.
 */
export async function fanOutPost(
  ctx: DomainContext,
  postId: string,
  from?: FanOutCursor,
  limits: FanOutLimits = defaultLimits,
): Promise<{ delivered: number; continuesAfter?: FanOutCursor }> {
  const delivery = await deliveryOf(ctx, postId);
  if (!delivery) return { delivered: 0 };
  if (delivery.visibility === "direct") {
    const mentioned = sql`SELECT user_id AS owner_id FROM mentions WHERE post_id = ${delivery.postId}`;
    return { delivered: (await ctx.db.run(insertFor(ctx, mentioned, delivery, "mentioned"))).meta.changes };
  }
  let delivered = 0;
  if (!from && delivery.visibility === "public" && delivery.postId === delivery.originalId) {
    const tagFollowers = sql`SELECT DISTINCT ft.user_id AS owner_id FROM post_tags pt
      JOIN followed_tags ft ON ft.tag_id = pt.tag_id WHERE pt.post_id = ${delivery.postId}`;
    delivered += (await ctx.db.run(insertFor(ctx, tagFollowers, delivery, "followers"))).meta.changes;
  }
  const [author] = await ctx.db.select({ followers: users.followersCount }).from(users).where(eq(users.id, delivery.authorId));
  if (!author || author.followers > ctx.config.HOME_FANOUT_MAX_FOLLOWERS) return { delivered };

  const stages = [followerStage(ctx, delivery), listStage(ctx, delivery)];
  let budget = limits.chunksPerRun;
  for (const stage of stages.slice(from?.stage === "lists" ? 1 : 0)) {
    let after = from?.stage === stage.name ? from.after : "";
    for (;;) {
      if (budget === 0) {
        const continuesAfter = { stage: stage.name, after };
        await commit(ctx, [], [{ type: "fanout.continued", payload: { postId: delivery.postId, ...continuesAfter } }]);
        return { delivered, continuesAfter };
      }
      budget -= 1;
      const [boundary] = await ctx.db.all<{ id: string }>(stage.boundary(after, limits.chunkSize));
      delivered += (await ctx.db.run(stage.insert(after, boundary?.id))).meta.changes;
      if (!boundary) break;
      after = boundary.id;
    }
  }
  return { delivered };
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
      AND ${followerSeesReply(sql`${followerId}`, sql`p.author_id`, sql`p.in_reply_to_author_id`)}
      AND (p.visibility IN ('public', 'unlisted', 'private')
        OR (p.visibility = 'friends'
          AND EXISTS (SELECT 1 FROM friendships WHERE user_id = ${followeeId} AND friend_id = ${followerId})))
    ORDER BY p.id DESC LIMIT ${BACKFILL_POSTS}`);
  return { delivered: result.meta.changes };
}

/**
 * A list gets a new member's latest posts and reposts that it shows (listShows), unless the member has left the list
 * by the time this runs.
 */
export async function backfillListMember(ctx: DomainContext, listId: string, memberId: string): Promise<{ delivered: number }> {
  const result = await ctx.db.run(sql`INSERT OR IGNORE INTO list_feed_entries
      (list_id, post_id, author_id, original_id, original_author_id)
    SELECT l.id, p.id, p.author_id, coalesce(p.reblog_of_id, p.id), coalesce(o.author_id, p.author_id)
    FROM lists l JOIN list_members lm ON lm.list_id = l.id AND lm.user_id = ${memberId}
      JOIN posts p ON p.author_id = lm.user_id LEFT JOIN posts o ON o.id = p.reblog_of_id
    WHERE l.id = ${listId} AND ${listShows(listColumns("l"), "p")}
      AND NOT ${unwelcome(sql`l.owner_id`, sql`p.author_id`, sql`coalesce(o.author_id, p.author_id)`)}
    ORDER BY p.id DESC LIMIT ${BACKFILL_POSTS}`);
  return { delivered: result.meta.changes };
}

/** After an account leaves a list, its posts and reposts leave the list's timeline (unless it was added again). */
export async function removeListMember(ctx: DomainContext, listId: string, memberId: string): Promise<void> {
  await ctx.db.run(sql`DELETE FROM list_feed_entries WHERE list_id = ${listId} AND author_id = ${memberId}
    AND NOT EXISTS (SELECT 1 FROM list_members WHERE list_id = ${listId} AND user_id = ${memberId})`);
}

/** The lists a person owns, as a subquery. */
const listsOwnedBy = (ownerId: string) => sql`(SELECT id FROM lists WHERE owner_id = ${ownerId})`;

/**
 * After an unfollow: the account's posts and reposts leave the former follower's feed and lists (unless they follow
 * again; unfollowing also took the account out of their lists, as on Mastodon).
 */
export async function removeUnfollowed(ctx: DomainContext, followerId: string, followeeId: string): Promise<void> {
  const followsAgain = sql`EXISTS (SELECT 1 FROM follows WHERE follower_id = ${followerId} AND followee_id = ${followeeId})`;
  await runStatements(ctx, [
    sql`DELETE FROM home_feed_entries WHERE owner_id = ${followerId} AND author_id = ${followeeId} AND NOT ${followsAgain}`,
    sql`DELETE FROM list_feed_entries WHERE list_id IN ${listsOwnedBy(followerId)} AND author_id = ${followeeId}
      AND NOT ${followsAgain}`,
  ]);
}

/** What `other` wrote or reposted leaves `owner`'s feed and lists, while `holds` is true. */
function removeWrittenBy(owner: string, other: string, holds: SQL): SQL[] {
  const byOther = sql`(author_id = ${other} OR original_author_id = ${other})`;
  return [
    sql`DELETE FROM home_feed_entries WHERE owner_id = ${owner} AND ${byOther} AND ${holds}`,
    sql`DELETE FROM list_feed_entries WHERE list_id IN ${listsOwnedBy(owner)} AND ${byOther} AND ${holds}`,
  ];
}

/** After a block, both people's feeds and lists lose what the other wrote or reposted, while the block lasts. */
export async function removeBlocked(ctx: DomainContext, blockerId: string, blockedId: string): Promise<void> {
  const blockHolds = sql`EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ${blockerId} AND blocked_id = ${blockedId})`;
  await runStatements(ctx, [...removeWrittenBy(blockerId, blockedId, blockHolds), ...removeWrittenBy(blockedId, blockerId, blockHolds)]);
}

/** After a mute, the muter's feed and lists lose what the muted account wrote or reposted, while the mute lasts. */
export async function removeMuted(ctx: DomainContext, muterId: string, mutedId: string): Promise<void> {
  const muteHolds = sql`EXISTS (SELECT 1 FROM mutes WHERE muter_id = ${muterId} AND muted_id = ${mutedId})`;
  await runStatements(ctx, removeWrittenBy(muterId, mutedId, muteHolds));
}

/** When a friendship ends, each loses the other's friends-only posts from feed and lists (unless friends again). */
export async function removeFormerFriends(ctx: DomainContext, userId: string, friendId: string): Promise<void> {
  const friendsAgain = sql`EXISTS (SELECT 1 FROM friendships WHERE user_id = ${userId} AND friend_id = ${friendId})`;
  const friendsOnly = (author: string) =>
    sql`post_id IN (SELECT id FROM posts WHERE author_id = ${author} AND visibility = 'friends') AND NOT ${friendsAgain}`;
  const remove = (owner: string, author: string) => [
    sql`DELETE FROM home_feed_entries WHERE owner_id = ${owner} AND author_id = ${author} AND ${friendsOnly(author)}`,
    sql`DELETE FROM list_feed_entries WHERE list_id IN ${listsOwnedBy(owner)} AND author_id = ${author}
      AND ${friendsOnly(author)}`,
  ];
  await runStatements(ctx, [...remove(userId, friendId), ...remove(friendId, userId)]);
}

/**
 * Rebuilds the feeds of someone who came back after fan-out skipped them (reader.returned): their Following feed and
 * every list they own are emptied and filled again from the graph, the newest HOME_FEED_SIZE posts each that fan-out
 * would have delivered (one row per original post), and the feeds are marked fresh, all in one transaction. Until it
 * commits, homeTimeline and listTimeline serve them by a pull query. Posts of accounts over HOME_FANOUT_MAX_FOLLOWERS
 * are left to the read-time merge; public posts with a followed hashtag come back too. Does nothing once the feeds are
 * fresh.
 */
export async function rebuildFeeds(ctx: DomainContext, userId: string): Promise<{ rebuilt: boolean }> {
  const [reader] = await ctx.db.select({ stale: users.homeFeedStale }).from(users).where(eq(users.id, userId));
  if (!reader?.stale) return { rebuilt: false };
  const { HOME_FEED_SIZE: size, HOME_FANOUT_MAX_FOLLOWERS: largest } = ctx.config;
  const originalAuthor = sql`coalesce(o.author_id, p.author_id)`;
  // Within one INSERT ... SELECT the "not repeated" check cannot see the rows it inserts, so ranks pick one row per
  // original post (the first to arrive, as fan-out would have kept it), then the newest `size`.
  await runStatements(ctx, [
    sql`DELETE FROM home_feed_entries WHERE owner_id = ${userId}`,
    sql`INSERT OR IGNORE INTO home_feed_entries (owner_id, post_id, author_id, original_id, original_author_id)
      SELECT ${userId}, post_id, author_id, original_id, original_author_id FROM (
        SELECT p.id AS post_id, p.author_id, coalesce(p.reblog_of_id, p.id) AS original_id, ${originalAuthor} AS original_author_id,
          row_number() OVER (PARTITION BY coalesce(p.reblog_of_id, p.id) ORDER BY p.id) AS arrival
        FROM posts p LEFT JOIN posts o ON o.id = p.reblog_of_id
        WHERE (p.author_id IN (SELECT f.followee_id FROM follows f JOIN users a ON a.id = f.followee_id
                 WHERE f.follower_id = ${userId} AND a.followers_count <= ${largest})
            OR ${followedTagPost(sql`${userId}`, "p")})
          AND ${followerMayRead(sql`${userId}`, "p")}
          AND ${followerSeesReply(sql`${userId}`, sql`p.author_id`, sql`p.in_reply_to_author_id`)}
          AND NOT ${unwelcome(sql`${userId}`, sql`p.author_id`, originalAuthor)}
          AND NOT ${inExclusiveList(sql`${userId}`, sql`p.author_id`)}
      ) WHERE arrival = 1 ORDER BY post_id DESC LIMIT ${size}`,
    sql`DELETE FROM list_feed_entries WHERE list_id IN ${listsOwnedBy(userId)}`,
    sql`INSERT OR IGNORE INTO list_feed_entries (list_id, post_id, author_id, original_id, original_author_id)
      SELECT list_id, post_id, author_id, original_id, original_author_id FROM (
        SELECT *, row_number() OVER (PARTITION BY list_id ORDER BY post_id DESC) AS rank FROM (
          SELECT l.id AS list_id, p.id AS post_id, p.author_id, coalesce(p.reblog_of_id, p.id) AS original_id,
            ${originalAuthor} AS original_author_id,
            row_number() OVER (PARTITION BY l.id, coalesce(p.reblog_of_id, p.id) ORDER BY p.id) AS arrival
          FROM lists l JOIN list_members lm ON lm.list_id = l.id
            JOIN users a ON a.id = lm.user_id AND a.followers_count <= ${largest}
            JOIN posts p ON p.author_id = lm.user_id LEFT JOIN posts o ON o.id = p.reblog_of_id
          WHERE l.owner_id = ${userId} AND ${listShows(listColumns("l"), "p")}
            AND NOT ${unwelcome(sql`${userId}`, sql`p.author_id`, originalAuthor)}
        ) WHERE arrival = 1
      ) WHERE rank <= ${size}`,
    sql`UPDATE users SET home_feed_stale = 0 WHERE id = ${userId}`,
  ]);
  return { rebuilt: true };
}

/**
 * Keeps each Following feed and each list's timeline to its newest HOME_FEED_SIZE entries, as Mastodon keeps its
 * feeds: the feed ends there.
 */
export async function trimHomeFeeds(ctx: DomainContext): Promise<number> {
  const trim = (table: string, owner: string) => sql`DELETE FROM ${sql.raw(table)} WHERE rowid IN (
      SELECT rowid FROM (
        SELECT rowid, row_number() OVER (PARTITION BY ${sql.raw(owner)} ORDER BY post_id DESC) AS rank FROM ${sql.raw(table)}
      ) WHERE rank > ${ctx.config.HOME_FEED_SIZE})`;
  const [home, lists] = await runStatements(ctx, [trim("home_feed_entries", "owner_id"), trim("list_feed_entries", "list_id")]);
  return home!.meta.changes + lists!.meta.changes;
}
