import { and, eq, gt, inArray, isNull, or } from "drizzle-orm";
import { blocks, followRequests, follows, friendRequests, friendships, mutes } from "#db/schema/index.ts";
import { batchRead, inIds, known, runBatch, type BatchRead, type Ids } from "../batch.ts";
import type { DomainContext } from "../context.ts";

/** How the viewer stands with another account: everything a profile or Mastodon's Relationship entity shows. */
export interface Relationship {
  id: string;
  following: boolean;
  /** The viewer rang the bell: they hear of each new post (on a follow, or on a request waiting). */
  notifying: boolean;
  followedBy: boolean;
  requested: boolean;
  requestedBy: boolean;
  blocking: boolean;
  blockedBy: boolean;
  muting: boolean;
  mutingNotifications: boolean;
  friends: boolean;
  friendRequested: boolean;
  friendRequestedBy: boolean;
}

export function noRelationship(id: string): Relationship {
  return {
    id,
    following: false,
    notifying: false,
    followedBy: false,
    requested: false,
    requestedBy: false,
    blocking: false,
    blockedBy: false,
    muting: false,
    mutingNotifications: false,
    friends: false,
    friendRequested: false,
    friendRequestedBy: false,
  };
}

/** The viewer's relationships with many accounts, in one round trip of ten indexed queries. */
export async function relationshipsWith(ctx: DomainContext, viewerId: string, ids: string[]): Promise<Map<string, Relationship>> {
  const [relationshipOf] = await runBatch(ctx, relationshipsRead(ctx, viewerId, ids));
  return new Map(ids.map((id) => [id, relationshipOf(id)]));
}

/**
 * The viewer's relationships with the accounts `ids` lists or selects, as a read for a batch (a post's hydration reads
 * them with everything else); gives each account's relationship, none for accounts the statements did not cover.
 */
export function relationshipsRead(ctx: DomainContext, viewerId: string, ids: Ids): BatchRead<(id: string) => Relationship> {
  if (Array.isArray(ids) && ids.length === 0) return known(noRelationship);
  const among = inIds(ids);
  const now = new Date();
  const statements = [
    ctx.db
      .select({ id: follows.followeeId, notify: follows.notify })
      .from(follows)
      .where(and(eq(follows.followerId, viewerId), inArray(follows.followeeId, among))),
    ctx.db
      .select({ id: follows.followerId })
      .from(follows)
      .where(and(eq(follows.followeeId, viewerId), inArray(follows.followerId, among))),
    ctx.db
      .select({ id: followRequests.targetId, notify: followRequests.notify })
      .from(followRequests)
      .where(and(eq(followRequests.requesterId, viewerId), inArray(followRequests.targetId, among))),
    ctx.db
      .select({ id: followRequests.requesterId })
      .from(followRequests)
      .where(and(eq(followRequests.targetId, viewerId), inArray(followRequests.requesterId, among))),
    ctx.db
      .select({ id: blocks.blockedId })
      .from(blocks)
      .where(and(eq(blocks.blockerId, viewerId), inArray(blocks.blockedId, among))),
    ctx.db
      .select({ id: blocks.blockerId })
      .from(blocks)
      .where(and(eq(blocks.blockedId, viewerId), inArray(blocks.blockerId, among))),
    ctx.db
      .select({ id: mutes.mutedId, notifications: mutes.hideNotifications })
      .from(mutes)
      .where(and(eq(mutes.muterId, viewerId), inArray(mutes.mutedId, among), activeMute(now))),
    ctx.db
      .select({ id: friendships.friendId })
      .from(friendships)
      .where(and(eq(friendships.userId, viewerId), inArray(friendships.friendId, among))),
    ctx.db
      .select({ id: friendRequests.recipientId })
      .from(friendRequests)
      .where(and(eq(friendRequests.senderId, viewerId), inArray(friendRequests.recipientId, among))),
    ctx.db
      .select({ id: friendRequests.senderId })
      .from(friendRequests)
      .where(and(eq(friendRequests.recipientId, viewerId), inArray(friendRequests.senderId, among))),
  ] as const;
  return batchRead(statements, ([out, into, asked, askedBy, blocking, blockedBy, muting, friends, friendAsked, friendAskedBy]) => {
    const found = new Map<string, Relationship>();
    const mark = (rows: { id: string }[], apply: (relationship: Relationship) => void) => {
      for (const row of rows) {
        const relationship = found.get(row.id) ?? noRelationship(row.id);
        apply(relationship);
        found.set(row.id, relationship);
      }
    };
    for (const row of out) {
      mark([row], (r) => {
        r.following = true;
        r.notifying = row.notify;
      });
    }
    mark(into, (r) => (r.followedBy = true));
    for (const row of asked) {
      mark([row], (r) => {
        r.requested = true;
        r.notifying = row.notify;
      });
    }
    mark(askedBy, (r) => (r.requestedBy = true));
    mark(blocking, (r) => (r.blocking = true));
    mark(blockedBy, (r) => (r.blockedBy = true));
    for (const row of muting) {
      mark([row], (r) => {
        r.muting = true;
        r.mutingNotifications = row.notifications;
      });
    }
    mark(friends, (r) => (r.friends = true));
    mark(friendAsked, (r) => (r.friendRequested = true));
    mark(friendAskedBy, (r) => (r.friendRequestedBy = true));
    return (id: string) => found.get(id) ?? noRelationship(id);
  });
}

/** A mute that has not run out (timed mutes end by themselves; the hourly job only tidies them away). */
const activeMute = (now: Date) => or(isNull(mutes.expiresAt), gt(mutes.expiresAt, now));

/**
 * Many accounts' relationships with one account, each as that account's own viewer would see it: for deciding whom
 * to notify about a post (all but `notifying`). Two round trips per 90 accounts: the target's relationships read the other way round, and
 * who among them mutes the target.
 */
export async function relationshipsToward(ctx: DomainContext, ids: string[], targetId: string): Promise<Map<string, Relationship>> {
  const result = new Map<string, Relationship>();
  // Each query binds the ids and one more, and D1 binds at most 100 parameters.
  for (let start = 0; start < ids.length; start += 90) {
    for (const [id, relationship] of await relationshipsTowardFew(ctx, ids.slice(start, start + 90), targetId))
      result.set(id, relationship);
  }
  return result;
}

async function relationshipsTowardFew(ctx: DomainContext, ids: string[], targetId: string): Promise<Map<string, Relationship>> {
  const fromTarget = await relationshipsWith(ctx, targetId, ids);
  const muters = await ctx.db
    .select({ id: mutes.muterId, notifications: mutes.hideNotifications })
    .from(mutes)
    .where(and(eq(mutes.mutedId, targetId), inArray(mutes.muterId, ids), activeMute(new Date())));
  const muting = new Map(muters.map((row) => [row.id, row.notifications]));
  const result = new Map<string, Relationship>();
  for (const [id, seen] of fromTarget) {
    result.set(id, {
      id: targetId,
      following: seen.followedBy,
      // Whether they rang the bell for the target is not read here: deciding whom to notify does not need it.
      notifying: false,
      followedBy: seen.following,
      requested: seen.requestedBy,
      requestedBy: seen.requested,
      blocking: seen.blockedBy,
      blockedBy: seen.blocking,
      muting: muting.has(id),
      mutingNotifications: muting.get(id) ?? false,
      friends: seen.friends,
      friendRequested: seen.friendRequestedBy,
      friendRequestedBy: seen.friendRequested,
    });
  }
  return result;
}

/**
 * A relationship as its viewer may know it: being blocked is not revealed (the blocked learn no more than a stranger
 * would; the account simply seems not to be there).
 */
export function asSeenByViewer(relationship: Relationship): Relationship {
  return { ...relationship, blockedBy: false };
}

export async function relationshipWith(ctx: DomainContext, viewerId: string, id: string): Promise<Relationship> {
  return (await relationshipsWith(ctx, viewerId, [id])).get(id) ?? noRelationship(id);
}

/** Whether either of two accounts blocks the other: then neither exists for the other. */
export async function eitherBlocks(ctx: DomainContext, a: string, b: string): Promise<boolean> {
  const row = await ctx.db.query.blocks.findFirst({
    where: or(and(eq(blocks.blockerId, a), eq(blocks.blockedId, b)), and(eq(blocks.blockerId, b), eq(blocks.blockedId, a))),
    columns: { blockerId: true },
  });
  return Boolean(row);
}
