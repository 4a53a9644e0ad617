import { desc, eq, inArray, sql } from "drizzle-orm";
import { moderationDecisions, posts, reports, users } from "#db/schema/index.ts";
import { assertCan } from "../accounts/permissions.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { viewPosts, type PostView } from "../posts/posts.ts";
import { openReports, type ReportView } from "./reports.ts";

export type ModerationDecision = typeof moderationDecisions.$inferSelect;

/** A post as a moderator reviews it: whatever its state, with every automatic decision about it. */
export interface ReviewedPost {
  view: PostView;
  decisions: ModerationDecision[];
}

async function reviewed(ctx: DomainContext, postIds: string[]): Promise<Map<string, ReviewedPost>> {
  if (postIds.length === 0) return new Map();
  const [rows, decisions] = await Promise.all([
    ctx.db
      .select()
      .from(posts)
      .where(inArray(posts.id, inIds(postIds))),
    ctx.db
      .select()
      .from(moderationDecisions)
      .where(inArray(moderationDecisions.subjectId, inIds(postIds)))
      .orderBy(moderationDecisions.id),
  ]);
  const views = await viewPosts(ctx, rows);
  return new Map(
    views.map((view) => [view.post.id, { view, decisions: decisions.filter((decision) => decision.subjectId === view.post.id) }]),
  );
}

/** Posts the pipeline held for review, oldest first: what moderators approve or remove. */
export async function heldPosts(ctx: DomainContext, limit = 20): Promise<ReviewedPost[]> {
  assertCan(ctx, "read:report:any");
  const rows = await ctx.db.select({ id: posts.id }).from(posts).where(eq(posts.moderationState, "held")).orderBy(posts.id).limit(limit);
  const byId = await reviewed(
    ctx,
    rows.map((row) => row.id),
  );
  return rows.flatMap((row) => byId.get(row.id) ?? []);
}

/** Open reports with the reported posts as moderators see them (held or removed ones too) and their decisions. */
export async function reportQueue(ctx: DomainContext): Promise<(ReportView & { posts: ReviewedPost[] })[]> {
  assertCan(ctx, "read:report:any");
  const open = await openReports(ctx, { limit: 20 });
  const byId = await reviewed(ctx, [...new Set(open.flatMap((report) => report.postIds))]);
  return open.map((report) => ({ ...report, posts: report.postIds.flatMap((id) => byId.get(id) ?? []) }));
}

/** Sign-ups, posts and reports per UTC day over the last `days` days, counted in D1. */
export async function dailyCounts(ctx: DomainContext, days = 30, now = new Date()) {
  assertCan(ctx, "read:report:any");
  const since = new Date(now.getTime() - days * 86_400_000);
  const perDay = (table: typeof users | typeof posts | typeof reports) =>
    ctx.db
      .select({ day: sql<string>`date(${table.createdAt} / 1000, 'unixepoch')`, n: sql<number>`count(*)` })
      .from(table)
      .where(sql`${table.createdAt} >= ${since.getTime()}`)
      .groupBy(sql`1`)
      .orderBy(desc(sql`1`));
  const [signUps, postCounts, reportCounts] = await Promise.all([perDay(users), perDay(posts), perDay(reports)]);
  const days_ = new Set([...signUps, ...postCounts, ...reportCounts].map((row) => row.day));
  const count = (rows: { day: string; n: number }[], day: string) => rows.find((row) => row.day === day)?.n ?? 0;
  return [...days_]
    .sort()
    .reverse()
    .map((day) => ({ day, signUps: count(signUps, day), posts: count(postCounts, day), reports: count(reportCounts, day) }));
}
