import { desc, lt } from "drizzle-orm";
import { deadLetters } from "#db/schema/index.ts";
import type { DomainContext } from "./context.ts";

export type DeadLetter = typeof deadLetters.$inferSelect;

/** How long dead letters are kept for review before the hourly job removes them. */
export const DEAD_LETTER_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export async function recordDeadLetter(
  ctx: DomainContext,
  letter: { queue: string; body: unknown; reason: string; attempts: number },
): Promise<void> {
  await ctx.db.insert(deadLetters).values({ ...letter, createdAt: new Date() });
}

export async function recentDeadLetters(ctx: DomainContext, limit = 50): Promise<DeadLetter[]> {
  return ctx.db.select().from(deadLetters).orderBy(desc(deadLetters.id)).limit(limit);
}

export async function expireDeadLetters(ctx: DomainContext, now = Date.now()): Promise<number> {
  const result = await ctx.db.delete(deadLetters).where(lt(deadLetters.createdAt, new Date(now - DEAD_LETTER_RETENTION_MS)));
  return result.meta.changes;
}
