import { and, eq, inArray } from "drizzle-orm";
import { liveListeners } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";

/** A hub has a socket listening to these channels (idempotent: a second socket on the same channel changes nothing). */
export async function startListening(ctx: DomainContext, userId: string, channels: string[], origin: string): Promise<void> {
  if (channels.length === 0) return;
  await ctx.db
    .insert(liveListeners)
    .values(channels.map((channel) => ({ channel, userId, origin })))
    .onConflictDoUpdate({ target: [liveListeners.channel, liveListeners.userId], set: { origin } });
}

/** No socket of the hub listens to these channels any more. */
export async function stopListening(ctx: DomainContext, userId: string, channels: string[]): Promise<void> {
  if (channels.length === 0) return;
  await ctx.db.delete(liveListeners).where(and(eq(liveListeners.userId, userId), inArray(liveListeners.channel, channels)));
}
