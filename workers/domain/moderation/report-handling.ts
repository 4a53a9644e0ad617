import { and, eq, inArray, isNotNull, isNull, type SQL } from "drizzle-orm";
import { auditLog, posts, reports } from "#db/schema/index.ts";
import { assertCan } from "../accounts/permissions.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { newestFirst, pageBounds, pageOf, type Page, type PageRequest } from "../pagination.ts";
import type { ShownPost } from "../posts/hydrate.ts";
import { showPoll } from "../posts/polls.ts";
import { viewPosts, type PostView } from "../posts/posts.ts";
import { viewReports, type ReportView } from "./reports.ts";

/**
 * A report as moderators handle it: with the attached posts whatever their state (held and removed ones too), shown
 * as to no one in particular (no viewer's marks), without what they quote or repost.
 */
export interface HandledReport extends ReportView {
  posts: ShownPost[];
}

const shownToModerators = (view: PostView): ShownPost => ({
  ...view,
  poll: view.poll ? showPoll(view.poll, view.post.authorId, null, []) : null,
  reblog: null,
  quote: null,
  viewer: null,
  reactions: [],
  authorMuted: false,
});

export interface ReportFilter {
  resolved?: boolean;
  /** Filed by this account. */
  accountId?: string;
  /** About this account. */
  targetAccountId?: string;
}

async function withPosts(ctx: DomainContext, views: ReportView[]): Promise<HandledReport[]> {
  const postIds = [...new Set(views.flatMap((view) => view.postIds))];
  const rows =
    postIds.length > 0
      ? await ctx.db
          .select()
          .from(posts)
          .where(inArray(posts.id, inIds(postIds)))
      : [];
  const byId = new Map((await viewPosts(ctx, rows)).map((view) => [view.post.id, shownToModerators(view)]));
  return views.map((view) => ({ ...view, posts: view.postIds.flatMap((id) => byId.get(id) ?? []) }));
}

/** Reports, newest first, a page at a time (moderators): open ones unless asked for resolved ones. */
export async function listReports(ctx: DomainContext, filter: ReportFilter, page: PageRequest): Promise<Page<HandledReport>> {
  assertCan(ctx, "read:report:any");
  const bounds = pageBounds(reports.id, page);
  const conditions: (SQL | undefined)[] = [
    bounds.where,
    filter.resolved ? isNotNull(reports.resolvedAt) : isNull(reports.resolvedAt),
    filter.accountId ? eq(reports.reporterId, filter.accountId) : undefined,
    filter.targetAccountId ? eq(reports.targetAccountId, filter.targetAccountId) : undefined,
  ];
  const rows = newestFirst(
    await ctx.db
      .select()
      .from(reports)
      .where(and(...conditions))
      .orderBy(bounds.orderBy)
      .limit(page.limit),
    bounds.ascending,
  );
  return pageOf(
    await withPosts(ctx, await viewReports(ctx, rows)),
    rows.map((row) => row.id),
    page,
  );
}

export async function reportForModerators(ctx: DomainContext, reportId: string): Promise<HandledReport> {
  assertCan(ctx, "read:report:any");
  const report = await ctx.db.query.reports.findFirst({ where: eq(reports.id, reportId) });
  if (!report) throw new DomainError("not_found", "Record not found");
  return (await withPosts(ctx, await viewReports(ctx, [report])))[0]!;
}

/** What a moderator does to a report itself: take it, give it back, close it without an action, or open it again. */
export type ReportChange = "assign_to_self" | "unassign" | "resolve" | "reopen";

/** Changes a report's handling, in one batch with its audit entry; returns the report as it now is. */
export async function changeReport(ctx: DomainContext, reportId: string, change: ReportChange, at = new Date()): Promise<HandledReport> {
  const moderator = assertCan(ctx, "update:report:any");
  const report = await ctx.db.query.reports.findFirst({ where: eq(reports.id, reportId) });
  if (!report) throw new DomainError("not_found", "Record not found");
  const set = {
    assign_to_self: { assignedToId: moderator.id },
    unassign: { assignedToId: null },
    resolve: { resolution: "dismissed" as const, resolvedAt: at, resolvedById: moderator.id },
    reopen: { resolution: null, resolvedAt: null, resolvedById: null },
  }[change];
  await ctx.db.batch([
    ctx.db.update(reports).set(set).where(eq(reports.id, reportId)),
    ctx.db.insert(auditLog).values({
      moderatorId: moderator.id,
      action: `report_${change}`,
      targetKind: "report",
      targetId: reportId,
      reason: "",
      createdAt: at,
    }),
  ]);
  return reportForModerators(ctx, reportId);
}
