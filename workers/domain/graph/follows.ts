import { and, eq, inArray } from "drizzle-orm";
import { isUniqueConstraintError } from "#db/client.ts";
import { followRequests, follows } from "#db/schema/index.ts";
import { chunks } from "../chunks.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { commit } from "../events/outbox.ts";
import { emptyPage, type Page, type PageRequest } from "../pagination.ts";
import { accountPage } from "../profiles/account-page.ts";
import type { PublicUser } from "../profiles/profile.ts";
import { relationshipWith, type Relationship } from "./relationships.ts";
import { leaveListsOf } from "./lists.ts";
import { canSeeCollections, requireReachable, type AccountView } from "../profiles/access.ts";

/** Mastodon's follow options Perch honours: `notify`, the bell (hear of each new post of the account). */
export interface FollowOptions {
  notify?: boolean;
}

/**
 * Follows an account. A locked account gets a follow request instead, which it accepts or rejects. Following again
 * changes nothing but the options given (as Mastodon: re-following is how a client rings or silences the bell); counts
 * are kept by triggers in the same transaction as the edge. An account that blocks the follower does not exist for it
 * (404); one the follower blocks must be unblocked first.
 */
export async function follow(
  ctx: DomainContext,
  followerId: string,
  targetId: string,
  options: FollowOptions = {},
  at = new Date(),
): Promise<Relationship> {
  if (followerId === targetId) throw new DomainError("unprocessable", "You cannot follow yourself");
  const target = await requireReachable(ctx, followerId, targetId);
  const relationship = await relationshipWith(ctx, followerId, targetId);
  if (relationship.blocking) throw new DomainError("unprocessable", "Unblock this account before following it");
  if (relationship.following || relationship.requested) {
    if (options.notify === undefined || options.notify === relationship.notifying) return relationship;
    await setBell(ctx, followerId, targetId, options.notify);
    return relationshipWith(ctx, followerId, targetId);
  }
  const notify = options.notify ?? false;
  try {
    if (target.locked) {
      await commit(
        ctx,
        [ctx.db.insert(followRequests).values({ requesterId: followerId, targetId, createdAt: at, notify })],
        [{ type: "follow.requested", payload: { requesterId: followerId, targetId } }],
      );
    } else {
      await commit(
        ctx,
        [ctx.db.insert(follows).values({ followerId, followeeId: targetId, createdAt: at, notify })],
        [{ type: "follow.created", payload: { followerId, followeeId: targetId, fromRequest: false } }],
      );
    }
  } catch (error) {
    // A concurrent follow got there first: following twice changes nothing and tells no one.
    if (!isUniqueConstraintError(error)) throw error;
  }
  return relationshipWith(ctx, followerId, targetId);
}

/** Rings or silences the bell on a follow, or on the request that will become one. */
async function setBell(ctx: DomainContext, followerId: string, targetId: string, notify: boolean): Promise<void> {
  await ctx.db.batch([
    ctx.db
      .update(follows)
      .set({ notify })
      .where(and(eq(follows.followerId, followerId), eq(follows.followeeId, targetId))),
    ctx.db
      .update(followRequests)
      .set({ notify })
      .where(and(eq(followRequests.requesterId, followerId), eq(followRequests.targetId, targetId))),
  ]);
}

/** Stops following, or withdraws a pending request. */
export async function unfollow(ctx: DomainContext, followerId: string, targetId: string): Promise<Relationship> {
  await requireReachable(ctx, followerId, targetId);
  const before = await relationshipWith(ctx, followerId, targetId);
  await commit(
    ctx,
    [
      ctx.db.delete(follows).where(and(eq(follows.followerId, followerId), eq(follows.followeeId, targetId))),
      ctx.db.delete(followRequests).where(and(eq(followRequests.requesterId, followerId), eq(followRequests.targetId, targetId))),
      leaveListsOf(ctx, followerId, targetId),
    ],
    before.following ? [{ type: "follow.removed", payload: { followerId, followeeId: targetId } }] : [],
  );
  return relationshipWith(ctx, followerId, targetId);
}

/** Accepts a pending request: the request becomes a follow in one transaction; no request, no follow. */
export async function acceptFollowRequest(ctx: DomainContext, targetId: string, requesterId: string): Promise<Relationship> {
  const pending = await ctx.db.query.followRequests.findFirst({
    where: and(eq(followRequests.requesterId, requesterId), eq(followRequests.targetId, targetId)),
  });
  if (!pending) throw new DomainError("not_found", "There is no follow request from this account");
  await commit(
    ctx,
    [
      ctx.db.delete(followRequests).where(and(eq(followRequests.requesterId, requesterId), eq(followRequests.targetId, targetId))),
      ctx.db
        .insert(follows)
        .values({ followerId: requesterId, followeeId: targetId, createdAt: new Date(), notify: pending.notify })
        .onConflictDoNothing(),
    ],
    [{ type: "follow.created", payload: { followerId: requesterId, followeeId: targetId, fromRequest: true } }],
  );
  return relationshipWith(ctx, targetId, requesterId);
}

export async function rejectFollowRequest(ctx: DomainContext, targetId: string, requesterId: string): Promise<Relationship> {
  const result = await ctx.db
    .delete(followRequests)
    .where(and(eq(followRequests.requesterId, requesterId), eq(followRequests.targetId, targetId)));
  if (result.meta.changes === 0) throw new DomainError("not_found", "There is no follow request from this account");
  return relationshipWith(ctx, targetId, requesterId);
}

/** Makes someone stop following you, without blocking them. */
export async function removeFollower(ctx: DomainContext, userId: string, followerId: string): Promise<Relationship> {
  const edge = and(eq(follows.followerId, followerId), eq(follows.followeeId, userId));
  if (await ctx.db.query.follows.findFirst({ where: edge, columns: { followerId: true } })) {
    await commit(
      ctx,
      [ctx.db.delete(follows).where(edge), leaveListsOf(ctx, followerId, userId)],
      [{ type: "follow.removed", payload: { followerId, followeeId: userId } }],
    );
  }
  return relationshipWith(ctx, userId, followerId);
}

/** When an account unlocks, everyone waiting is let in, as on Mastodon. */
export async function acceptAllFollowRequests(ctx: DomainContext, targetId: string): Promise<void> {
  const waiting = await ctx.db
    .select({ followerId: followRequests.requesterId, followeeId: followRequests.targetId, createdAt: followRequests.createdAt })
    .from(followRequests)
    .where(eq(followRequests.targetId, targetId));
  const accepted = (rows: typeof waiting) =>
    inArray(
      followRequests.requesterId,
      rows.map((row) => row.followerId),
    );
  await commit(
    ctx,
    chunks(waiting, 30).flatMap((rows) => [
      ctx.db.insert(follows).values(rows).onConflictDoNothing(),
      ctx.db.delete(followRequests).where(and(eq(followRequests.targetId, targetId), accepted(rows))),
    ]),
    waiting.map(({ followerId, followeeId }) => ({
      type: "follow.created" as const,
      payload: { followerId, followeeId, fromRequest: true },
    })),
  );
}

/** Who follows an account, or whom it follows, as the viewer may see: nothing when the profile or its lists are closed to them. */
export async function accountCollection(
  ctx: DomainContext,
  viewerId: string | null,
  view: AccountView,
  which: "followers" | "following",
  page: PageRequest,
): Promise<Page<PublicUser>> {
  if (!canSeeCollections(viewerId, view.account, view.access)) return emptyPage();
  const userId = view.account.id;
  return which === "followers"
    ? accountPage(ctx, follows, eq(follows.followeeId, userId), follows.followerId, page)
    : accountPage(ctx, follows, eq(follows.followerId, userId), follows.followeeId, page);
}

/** The people waiting for the user to accept their follow request. */
export function pendingFollowRequests(ctx: DomainContext, userId: string, page: PageRequest): Promise<Page<PublicUser>> {
  return accountPage(ctx, followRequests, eq(followRequests.targetId, userId), followRequests.requesterId, page);
}
