import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { DomainContext } from "../context.ts";

/**
 * Who may have a post in their Following feed or in one of their lists, as SQL conditions shared by fan-out, back-fill,
 * rebuild and the read-time merge (docs/decisions/0022, 0030), so each rule is written once. `p` names the posts row
 * (an alias or the table), `owner` the reader.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** Days since the Unix epoch (UTC): the unit of users.last_active_day. */
export function dayOf(now: number): number {
  return Math.floor(now / DAY_MS);
}

/** Readers last active before this day are inactive: fan-out skips them (HOME_INACTIVE_DAYS). */
export function inactiveBefore(ctx: DomainContext, now = Date.now()): number {
  return dayOf(now) - ctx.config.HOME_INACTIVE_DAYS;
}

/** The reader has used Perch recently (or not since activity was first recorded), so fan-out writes to them. */
export function activeReader(ctx: DomainContext, owner: SQL): SQL {
  return sql`NOT EXISTS (SELECT 1 FROM users r WHERE r.id = ${owner} AND r.last_active_day < ${inactiveBefore(ctx)})`;
}

/** Nobody sees what someone they block, who blocks them, or whom they mute wrote or reposted. */
export function unwelcome(owner: SQL, authorId: SQL, originalAuthorId: SQL, now = Date.now()): SQL {
  const people = sql`(${authorId}, ${originalAuthorId})`;
  return sql`(
    EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = ${owner} AND b.blocked_id IN ${people})
                                      OR (b.blocked_id = ${owner} AND b.blocker_id IN ${people}))
    OR EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = ${owner} AND m.muted_id IN ${people}
                                      AND (m.expires_at IS NULL OR m.expires_at > ${now}))
  )`;
}

/**
 * Mastodon's exclusive lists: an account the reader put in an exclusive list is read there, not in their Following
 * feed. `authorId` is whoever wrote the row (the reposter, for a repost), as on Mastodon.
 */
export function inExclusiveList(owner: SQLWrapper, authorId: SQLWrapper): SQL {
  // The reader's few exclusive lists first, then one probe of list_members_user_idx each: joined the other way, SQLite
  // walked every list containing the author for every follower (2,000 x 2,000 rows for an author in 2,000 lists).
  return sql`EXISTS (SELECT 1 FROM list_members xm WHERE xm.user_id = ${authorId}
    AND xm.list_id IN (SELECT xl.id FROM lists xl WHERE xl.owner_id = ${owner} AND xl.exclusive = 1))`;
}

/** A follower may read the post: followers-only and wider to every follower, friends-only to friends. */
export function followerMayRead(owner: SQL, p: string): SQL {
  const post = (column: string) => sql.raw(`${p}.${column}`);
  return sql`(${post("visibility")} IN ('public', 'unlisted', 'private')
    OR (${post("visibility")} = 'friends'
      AND EXISTS (SELECT 1 FROM friendships fr WHERE fr.user_id = ${post("author_id")} AND fr.friend_id = ${owner})))`;
}

/**
 * Following shows a reply only when it answers its own author, the reader, or someone the reader follows, as on X and
 * Mastodon: a conversation with strangers stays in its thread. `replyTo` is the replied-to author (null for a post).
 */
export function followerSeesReply(owner: SQL, authorId: SQLWrapper, replyTo: SQLWrapper): SQL {
  return sql`(${replyTo} IS NULL OR ${replyTo} = ${authorId} OR ${replyTo} = ${owner}
    OR EXISTS (SELECT 1 FROM follows rf WHERE rf.follower_id = ${owner} AND rf.followee_id = ${replyTo}))`;
}

/**
 * The public posts (not reposts) carrying a hashtag the reader follows: fan-out delivers them, so a rebuild or the pull
 * query that stands in for it brings them back too. `p` names the posts row.
 */
export function followedTagPost(owner: SQL, p: string): SQL {
  const post = (column: string) => sql.raw(`${p}.${column}`);
  return sql`(${post("visibility")} = 'public' AND ${post("reblog_of_id")} IS NULL AND ${post("id")} IN (
    SELECT pt.post_id FROM followed_tags ft JOIN post_tags pt ON pt.tag_id = ft.tag_id WHERE ft.user_id = ${owner}))`;
}

/** The list as the conditions need it: columns of a joined `lists` row, or a known list's values. */
export interface ListSide {
  id: SQL;
  ownerId: SQL;
  repliesPolicy: SQL;
}

/** The columns of a `lists` row under an alias. */
export function listColumns(alias: string): ListSide {
  return {
    id: sql.raw(`${alias}.id`),
    ownerId: sql.raw(`${alias}.owner_id`),
    repliesPolicy: sql.raw(`${alias}.replies_policy`),
  };
}

/**
 * Whether a list shows a post by one of its members: its owner must follow the member and may read the post (never a
 * direct one), and a reply to someone else shows only as the list's replies_policy allows (Mastodon): replies to the
 * owner always; `followed`, replies to anyone the owner follows; `list`, replies to the list's members; `none`, no
 * others. Replies in the author's own thread always show.
 */
export function listShows(list: ListSide, p: string): SQL {
  const post = (column: string) => sql.raw(`${p}.${column}`);
  return sql`(
    EXISTS (SELECT 1 FROM follows lf WHERE lf.follower_id = ${list.ownerId} AND lf.followee_id = ${post("author_id")})
    AND ${followerMayRead(list.ownerId, p)}
    AND (${post("in_reply_to_id")} IS NULL
      OR ${post("in_reply_to_author_id")} = ${post("author_id")}
      OR ${post("in_reply_to_author_id")} = ${list.ownerId}
      OR (${list.repliesPolicy} = 'followed' AND EXISTS (SELECT 1 FROM follows rf
            WHERE rf.follower_id = ${list.ownerId} AND rf.followee_id = ${post("in_reply_to_author_id")}))
      OR (${list.repliesPolicy} = 'list' AND EXISTS (SELECT 1 FROM list_members rm
            WHERE rm.list_id = ${list.id} AND rm.user_id = ${post("in_reply_to_author_id")})))
  )`;
}
