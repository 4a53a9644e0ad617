import { eq } from "drizzle-orm";
import { activeDays, users } from "#db/schema/index.ts";
import type { User } from "../accounts/users.ts";
import type { DomainContext } from "../context.ts";
import { commit } from "../events/outbox.ts";
import { dayOf, inactiveBefore } from "./audience.ts";

/**
 * Records that a signed-in person is using Perch, at most once a day (a write only when the day they were last seen
 * has changed). Someone back after more than HOME_INACTIVE_DAYS was skipped by fan-out meanwhile: their feeds are marked
 * stale, read by a pull query until the `reader.returned` event has rebuilt them (fan-out.ts rebuildFeeds).
 */
export async function noteVisit(ctx: DomainContext, user: Pick<User, "id" | "lastActiveDay">, now = Date.now()): Promise<void> {
  const today = dayOf(now);
  if (user.lastActiveDay === today) return;
  const returning = user.lastActiveDay !== null && user.lastActiveDay < inactiveBefore(ctx, now);
  await commit(
    ctx,
    [
      ctx.db
        .update(users)
        .set(returning ? { lastActiveDay: today, homeFeedStale: true } : { lastActiveDay: today })
        .where(eq(users.id, user.id)),
      // The admin dashboard counts daily and weekly active people from these rows (dashboard.ts).
      ctx.db.insert(activeDays).values({ day: today, userId: user.id }).onConflictDoNothing(),
    ],
    returning ? [{ type: "reader.returned", payload: { userId: user.id } }] : [],
    // Bookkeeping, not the reader's own change: a suspended account's visits are noted too (ADR 0049).
    { suspendedMay: true },
  );
}
