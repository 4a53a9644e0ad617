import { and, eq, gt, inArray, isNull, lt, or } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { blocks, followRequests, follows, friendRequests, friendships, listMembers, lists, mutes, users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { commit } from "../events/outbox.ts";
import type { Page, PageRequest } from "../pagination.ts";
import { accountPage } from "../profiles/account-page.ts";
import type { PublicUser } from "../profiles/profile.ts";
import { relationshipWith, type Relationship } from "./relationships.ts";

/** Both directions of an edge between a and b. */
const between = (a: string, b: string, left: SQLiteColumn, right: SQLiteColumn) =>
  or(and(eq(left, a), eq(right, b)), and(eq(left, b), eq(right, a)));

/**
 * Blocks an account: from now on each is invisible to the other. In the same transaction every tie between them
 * goes: follows and follow requests both ways, friendship and friend requests, and each from the other's lists.
 */
export async function block(ctx: DomainContext, blockerId: string, blockedId: string): Promise<Relationship> {
  if (blockerId === blockedId) throw new DomainError("unprocessable", "You cannot block yourself");
  const target = await ctx.db.query.users.findFirst({ where: eq(users.id, blockedId), columns: { id: true } });
  if (!target) throw new DomainError("not_found", "Record not found");
  const ownedBy = (owner: string) => ctx.db.select({ id: lists.id }).from(lists).where(eq(lists.ownerId, owner));
  if ((await relationshipWith(ctx, blockerId, blockedId)).blocking) return relationshipWith(ctx, blockerId, blockedId);
  await commit(
    ctx,
    [
      ctx.db.insert(blocks).values({ blockerId, blockedId, createdAt: new Date() }).onConflictDoNothing(),
      ctx.db.delete(follows).where(between(blockerId, blockedId, follows.followerId, follows.followeeId)),
      ctx.db.delete(followRequests).where(between(blockerId, blockedId, followRequests.requesterId, followRequests.targetId)),
      ctx.db.delete(friendships).where(between(blockerId, blockedId, friendships.userId, friendships.friendId)),
      ctx.db.delete(friendRequests).where(between(blockerId, blockedId, friendRequests.senderId, friendRequests.recipientId)),
      ctx.db.delete(listMembers).where(and(eq(listMembers.userId, blockedId), inArray(listMembers.listId, ownedBy(blockerId)))),
      ctx.db.delete(listMembers).where(and(eq(listMembers.userId, blockerId), inArray(listMembers.listId, ownedBy(blockedId)))),
    ],
    [{ type: "block.created", payload: { blockerId, blockedId } }],
  );
  return relationshipWith(ctx, blockerId, blockedId);
}

export async function unblock(ctx: DomainContext, blockerId: string, blockedId: string): Promise<Relationship> {
  if ((await relationshipWith(ctx, blockerId, blockedId)).blocking) {
    await commit(
      ctx,
      [ctx.db.delete(blocks).where(and(eq(blocks.blockerId, blockerId), eq(blocks.blockedId, blockedId)))],
      [{ type: "block.removed", payload: { blockerId, blockedId } }],
    );
  }
  return relationshipWith(ctx, blockerId, blockedId);
}

/** The longest a timed mute may last: a year. */
export const MAX_MUTE_SECONDS = 365 * 24 * 60 * 60;

/**
 * Mutes an account: its posts and (unless asked otherwise) its notifications are hidden from the muter, without it
 * being told. A duration in seconds makes the mute lift itself.
 */
export async function mute(
  ctx: DomainContext,
  muterId: string,
  mutedId: string,
  options: { notifications?: boolean; durationSeconds?: number } = {},
): Promise<Relationship> {
  if (muterId === mutedId) throw new DomainError("unprocessable", "You cannot mute yourself");
  const seconds = options.durationSeconds;
  if (seconds !== undefined && (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_MUTE_SECONDS)) {
    throw new DomainError("unprocessable", "A mute lasts a whole number of seconds, at most a year (31536000)", {
      fields: { duration: "At most a year" },
    });
  }
  const target = await ctx.db.query.users.findFirst({ where: eq(users.id, mutedId), columns: { id: true } });
  if (!target) throw new DomainError("not_found", "Record not found");
  const values = {
    hideNotifications: options.notifications ?? true,
    expiresAt: options.durationSeconds ? new Date(Date.now() + options.durationSeconds * 1000) : null,
  };
  await commit(
    ctx,
    [
      ctx.db
        .insert(mutes)
        .values({ muterId, mutedId, createdAt: new Date(), ...values })
        .onConflictDoUpdate({ target: [mutes.muterId, mutes.mutedId], set: values }),
    ],
    [{ type: "mute.created", payload: { muterId, mutedId } }],
  );
  return relationshipWith(ctx, muterId, mutedId);
}

export async function unmute(ctx: DomainContext, muterId: string, mutedId: string): Promise<Relationship> {
  const edge = and(eq(mutes.muterId, muterId), eq(mutes.mutedId, mutedId));
  if (await ctx.db.query.mutes.findFirst({ where: edge, columns: { mutedId: true } })) {
    await commit(ctx, [ctx.db.delete(mutes).where(edge)], [{ type: "mute.removed", payload: { muterId, mutedId } }]);
  }
  return relationshipWith(ctx, muterId, mutedId);
}

/** The accounts the user blocks, most recently blocked first. */
export function blockedAccounts(ctx: DomainContext, userId: string, page: PageRequest): Promise<Page<PublicUser>> {
  return accountPage(ctx, blocks, eq(blocks.blockerId, userId), blocks.blockedId, page);
}

export type MutedAccount = PublicUser & { muteExpiresAt: Date | null };

/** The accounts the user mutes while the mute is in force, most recently muted first, with when each mute ends. */
export async function mutedAccounts(ctx: DomainContext, userId: string, page: PageRequest, now = new Date()): Promise<Page<MutedAccount>> {
  const inForce = and(eq(mutes.muterId, userId), or(isNull(mutes.expiresAt), gt(mutes.expiresAt, now)));
  const accounts = await accountPage(ctx, mutes, inForce, mutes.mutedId, page);
  if (accounts.items.length === 0) return { ...accounts, items: [] };
  const ends = await ctx.db
    .select({ mutedId: mutes.mutedId, expiresAt: mutes.expiresAt })
    .from(mutes)
    .where(
      and(
        eq(mutes.muterId, userId),
        inArray(
          mutes.mutedId,
          accounts.items.map((account) => account.id),
        ),
      ),
    );
  const endOf = new Map(ends.map((row) => [row.mutedId, row.expiresAt]));
  return { ...accounts, items: accounts.items.map((account) => ({ ...account, muteExpiresAt: endOf.get(account.id) ?? null })) };
}

/** Removes mutes whose time is up (the hourly job); reads already ignore them. */
export async function expireMutes(ctx: DomainContext, now = new Date()): Promise<number> {
  const result = await ctx.db.delete(mutes).where(lt(mutes.expiresAt, now));
  return result.meta.changes;
}
