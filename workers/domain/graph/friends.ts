import { isUniqueConstraintError } from "#db/client.ts";
import { and, desc, eq, or } from "drizzle-orm";
import { friendRequests, friendships, users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { commit } from "../events/outbox.ts";
import { requireReachable } from "../profiles/access.ts";
import { publicUserColumns, type PublicUser } from "../profiles/profile.ts";
import { relationshipWith, type Relationship } from "./relationships.ts";

/**
 * Friendship, a Perch extension beside following: mutual, made by a request the other accepts. Friends-only posts
 * are seen by friends alone. Asking someone who has already asked you makes you friends at once.
 */
export async function requestFriendship(ctx: DomainContext, senderId: string, recipientId: string): Promise<Relationship> {
  if (senderId === recipientId) throw new DomainError("unprocessable", "You cannot befriend yourself");
  await requireReachable(ctx, senderId, recipientId);
  const relationship = await relationshipWith(ctx, senderId, recipientId);
  if (relationship.blocking) throw new DomainError("unprocessable", "Unblock this account first");
  if (relationship.friends || relationship.friendRequested) return relationship;
  if (relationship.friendRequestedBy) return acceptFriendship(ctx, senderId, recipientId);
  try {
    await commit(
      ctx,
      [ctx.db.insert(friendRequests).values({ senderId, recipientId, createdAt: new Date() })],
      [{ type: "friendship.requested", payload: { senderId, recipientId } }],
    );
  } catch (error) {
    if (!isUniqueConstraintError(error)) throw error;
  }
  return relationshipWith(ctx, senderId, recipientId);
}

/** Accepts a request: the request becomes a friendship (both directions) in one transaction. */
export async function acceptFriendship(ctx: DomainContext, recipientId: string, senderId: string): Promise<Relationship> {
  const pending = await ctx.db.query.friendRequests.findFirst({
    where: and(eq(friendRequests.senderId, senderId), eq(friendRequests.recipientId, recipientId)),
  });
  if (!pending) throw new DomainError("not_found", "There is no friend request from this account");
  const now = new Date();
  await commit(
    ctx,
    [
      ctx.db
        .delete(friendRequests)
        .where(
          or(
            and(eq(friendRequests.senderId, senderId), eq(friendRequests.recipientId, recipientId)),
            and(eq(friendRequests.senderId, recipientId), eq(friendRequests.recipientId, senderId)),
          ),
        ),
      ctx.db
        .insert(friendships)
        .values([
          { userId: senderId, friendId: recipientId, createdAt: now },
          { userId: recipientId, friendId: senderId, createdAt: now },
        ])
        .onConflictDoNothing(),
    ],
    [{ type: "friendship.created", payload: { userId: recipientId, friendId: senderId } }],
  );
  return relationshipWith(ctx, recipientId, senderId);
}

export async function rejectFriendship(ctx: DomainContext, recipientId: string, senderId: string): Promise<Relationship> {
  const result = await ctx.db
    .delete(friendRequests)
    .where(and(eq(friendRequests.senderId, senderId), eq(friendRequests.recipientId, recipientId)));
  if (result.meta.changes === 0) throw new DomainError("not_found", "There is no friend request from this account");
  return relationshipWith(ctx, recipientId, senderId);
}

/** Withdraws a request you sent. */
export async function cancelFriendRequest(ctx: DomainContext, senderId: string, recipientId: string): Promise<Relationship> {
  await ctx.db.delete(friendRequests).where(and(eq(friendRequests.senderId, senderId), eq(friendRequests.recipientId, recipientId)));
  return relationshipWith(ctx, senderId, recipientId);
}

export async function unfriend(ctx: DomainContext, userId: string, friendId: string): Promise<Relationship> {
  if ((await relationshipWith(ctx, userId, friendId)).friends) {
    const bothWays = or(
      and(eq(friendships.userId, userId), eq(friendships.friendId, friendId)),
      and(eq(friendships.userId, friendId), eq(friendships.friendId, userId)),
    );
    await commit(ctx, [ctx.db.delete(friendships).where(bothWays)], [{ type: "friendship.removed", payload: { userId, friendId } }]);
  }
  return relationshipWith(ctx, userId, friendId);
}

export function friendsOf(ctx: DomainContext, userId: string): Promise<PublicUser[]> {
  return ctx.db
    .select(publicUserColumns)
    .from(friendships)
    .innerJoin(users, eq(users.id, friendships.friendId))
    .where(eq(friendships.userId, userId))
    .orderBy(desc(friendships.createdAt));
}

/** Requests waiting for the user's answer, and the ones they sent that wait for others'. */
export async function friendRequestsOf(ctx: DomainContext, userId: string): Promise<{ incoming: PublicUser[]; outgoing: PublicUser[] }> {
  const [incoming, outgoing] = await ctx.db.batch([
    ctx.db
      .select(publicUserColumns)
      .from(friendRequests)
      .innerJoin(users, eq(users.id, friendRequests.senderId))
      .where(eq(friendRequests.recipientId, userId)),
    ctx.db
      .select(publicUserColumns)
      .from(friendRequests)
      .innerJoin(users, eq(users.id, friendRequests.recipientId))
      .where(eq(friendRequests.senderId, userId)),
  ]);
  return { incoming, outgoing };
}
