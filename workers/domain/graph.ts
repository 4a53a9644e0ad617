import { follows } from "#db/schema/index.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";

/**
 * Follows an account. Following twice is a no-op; the follower and following counts are kept exact by triggers in
 * the same transaction as the edge (db/migrations/0001_counters.sql).
 */
export async function follow(ctx: DomainContext, followerId: string, followeeId: string, at = new Date()): Promise<void> {
  if (followerId === followeeId) throw new DomainError("unprocessable", "You cannot follow yourself");
  await ctx.db.insert(follows).values({ followerId, followeeId, createdAt: at }).onConflictDoNothing();
}
