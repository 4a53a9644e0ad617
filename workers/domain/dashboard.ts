import { count, eq, gte, isNull, lt, sql, type AnyColumn } from "drizzle-orm";
import { idAt } from "#db/ids.ts";
import { activeDays, deadLetters, domainEvents, messages, posts, queueSamples, reports, users } from "#db/schema/index.ts";
import { assertCan } from "./accounts/permissions.ts";
import type { DomainContext } from "./context.ts";

const DAY_MS = 86_400_000;
/** How long the dashboard's activity rows are kept: its 30 days, and the week before the first for weekly counts. */
export const ACTIVITY_RETENTION_DAYS = 37;

/** One UTC day of the dashboard's charts. */
export interface DashboardDay {
  /** YYYY-MM-DD */
  day: string;
  signUps: number;
  posts: number;
  reportsOpened: number;
  reportsClosed: number;
  activeDaily: number;
  /** Distinct people active in the seven days ending on this one. */
  activeWeekly: number;
  /** The day's highest counts of items held for review, events waiting for a queue and dead letters (sampled hourly). */
  held: number;
  unrelayedEvents: number;
  deadLetters: number;
}

export interface Dashboard {
  days: DashboardDay[];
  openReports: number;
  /** Posts, profiles and chat messages held for review. */
  held: number;
  /** Events written but not yet handed to a queue (the outbox's backlog): the queue depth a Worker can see. */
  unrelayedEvents: number;
  deadLetters: number;
  deadLettersByQueue: { queue: string; count: number }[];
}

const isoDay = (epochDay: number) => new Date(epochDay * DAY_MS).toISOString().slice(0, 10);

/**
 * The admin dashboard's figures over the last `days` UTC days, today included: a D1 batch of aggregate queries, each
 * reading an index range (ids are time-sortable, so "since" is an id range on posts and reports) rather than rows one
 * by one. Active people come from active_days, one row per person per day written by the visit that already records
 * it; weekly figures count distinct people over each seven-day window of that table.
 */
export async function dashboard(ctx: DomainContext, days = 30, now = Date.now()): Promise<Dashboard> {
  assertCan(ctx, "read:report:any");
  const today = Math.floor(now / DAY_MS);
  const first = today - days + 1;
  const since = first * DAY_MS;
  const perDay = (millis: AnyColumn) => sql<number>`cast(${millis} / ${DAY_MS} as integer)`;
  // Two reads at once: the aggregates in one batch, and the weekly windows (raw SQL, which a batch cannot hold).
  const [[signUps, postCounts, opened, closed, daily, [openCount], [heldCount], [unrelayed], letters, samples], weekly] = await Promise.all(
    [
      ctx.db.batch([
        ctx.db
          .select({ day: perDay(users.createdAt), n: count() })
          .from(users)
          .where(gte(users.createdAt, new Date(since)))
          .groupBy(sql`1`),
        ctx.db
          .select({ day: perDay(posts.createdAt), n: count() })
          .from(posts)
          .where(gte(posts.id, idAt(since)))
          .groupBy(sql`1`),
        ctx.db
          .select({ day: perDay(reports.createdAt), n: count() })
          .from(reports)
          .where(gte(reports.id, idAt(since)))
          .groupBy(sql`1`),
        ctx.db
          .select({ day: perDay(reports.resolvedAt), n: count() })
          .from(reports)
          .where(gte(reports.resolvedAt, new Date(since)))
          .groupBy(sql`1`),
        ctx.db.select({ day: activeDays.day, n: count() }).from(activeDays).where(gte(activeDays.day, first)).groupBy(activeDays.day),
        ctx.db.select({ n: count() }).from(reports).where(isNull(reports.resolvedAt)),
        ...queueQueries(ctx),
        ctx.db.select().from(queueSamples).where(gte(queueSamples.day, first)),
      ]),
      ctx.db.all<{ day: number; n: number }>(sql`
      with recursive span(day) as (select ${first} union all select day + 1 from span where day < ${today})
      select span.day as day, count(distinct ${activeDays.userId}) as n
      from span join ${activeDays} on ${activeDays.day} between span.day - 6 and span.day
      group by span.day`),
    ],
  );
  const byDay = (rows: { day: number; n: number }[]) => new Map(rows.map((row) => [Number(row.day), Number(row.n)]));
  const series = {
    signUps: byDay(signUps),
    posts: byDay(postCounts),
    reportsOpened: byDay(opened),
    reportsClosed: byDay(closed),
    activeDaily: byDay(daily),
    activeWeekly: byDay(weekly),
  };
  const waiting = { held: heldCount?.n ?? 0, unrelayedEvents: unrelayed?.n ?? 0, deadLetters: sum(letters) };
  const sampled = new Map<number, QueueFigures>(samples.map((sample) => [sample.day, sample]));
  // Today's bar is at least what is waiting now, even before the next hourly sample.
  sampled.set(today, peakOf(sampled.get(today), waiting));
  return {
    days: Array.from({ length: days }, (_, i) => first + i).map((day) => ({
      day: isoDay(day),
      signUps: series.signUps.get(day) ?? 0,
      posts: series.posts.get(day) ?? 0,
      reportsOpened: series.reportsOpened.get(day) ?? 0,
      reportsClosed: series.reportsClosed.get(day) ?? 0,
      activeDaily: series.activeDaily.get(day) ?? 0,
      activeWeekly: series.activeWeekly.get(day) ?? 0,
      held: sampled.get(day)?.held ?? 0,
      unrelayedEvents: sampled.get(day)?.unrelayedEvents ?? 0,
      deadLetters: sampled.get(day)?.deadLetters ?? 0,
    })),
    openReports: openCount?.n ?? 0,
    ...waiting,
    deadLettersByQueue: letters,
  };
}

type QueueFigures = Pick<DashboardDay, "held" | "unrelayedEvents" | "deadLetters">;

const sum = (rows: { count: number }[]) => rows.reduce((total, row) => total + row.count, 0);
const peakOf = (a: QueueFigures | undefined, b: QueueFigures): QueueFigures => ({
  held: Math.max(a?.held ?? 0, b.held),
  unrelayedEvents: Math.max(a?.unrelayedEvents ?? 0, b.unrelayedEvents),
  deadLetters: Math.max(a?.deadLetters ?? 0, b.deadLetters),
});

/** What waits now: items held for review, events not yet handed to a queue, dead letters per queue. */
function queueQueries(ctx: DomainContext) {
  return [
    // Everything the pipeline holds for a moderator: posts, and profiles and chat messages (ADR 0054).
    ctx.db
      .select({
        n: sql<number>`count(*)
          + (select count(*) from ${users} where ${users.profileModerationState} = 'held')
          + (select count(*) from ${messages} where ${messages.moderationState} = 'held')`,
      })
      .from(posts)
      .where(eq(posts.moderationState, "held")),
    ctx.db.select({ n: count() }).from(domainEvents).where(isNull(domainEvents.relayedAt)),
    ctx.db.select({ queue: deadLetters.queue, count: count() }).from(deadLetters).groupBy(deadLetters.queue).orderBy(deadLetters.queue),
  ] as const;
}

/**
 * The hourly job's sample of the queues: today's row keeps the highest of each figure it has seen, so a backlog that
 * cleared between two visits to /admin still shows on the chart.
 */
export async function sampleQueues(ctx: DomainContext, now = Date.now()): Promise<QueueFigures> {
  const [[held], [unrelayed], letters] = await ctx.db.batch(queueQueries(ctx));
  const figures = { held: held?.n ?? 0, unrelayedEvents: unrelayed?.n ?? 0, deadLetters: sum(letters) };
  await ctx.db
    .insert(queueSamples)
    .values({ day: Math.floor(now / DAY_MS), ...figures })
    .onConflictDoUpdate({
      target: queueSamples.day,
      set: {
        held: sql`max(${queueSamples.held}, excluded.held)`,
        unrelayedEvents: sql`max(${queueSamples.unrelayedEvents}, excluded.unrelayed_events)`,
        deadLetters: sql`max(${queueSamples.deadLetters}, excluded.dead_letters)`,
      },
    });
  return figures;
}

/** Forgets activity and queue samples older than the dashboard reads (the hourly job). */
export async function expireActivity(ctx: DomainContext, now = Date.now()): Promise<number> {
  const oldest = Math.floor(now / DAY_MS) - ACTIVITY_RETENTION_DAYS;
  const [activity, samples] = await ctx.db.batch([
    ctx.db.delete(activeDays).where(lt(activeDays.day, oldest)),
    ctx.db.delete(queueSamples).where(lt(queueSamples.day, oldest)),
  ]);
  return activity.meta.changes + samples.meta.changes;
}
