import { and, desc, eq, inArray, isNotNull, isNull, ne, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditLog, moderationActions, posts, reportNotes, reports, users } from "#db/schema/index.ts";
import { assertCan } from "../accounts/permissions.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { siteInfo, type Rule } from "../instance-settings.ts";
import { newestFirst, pageBounds, pageOf, type Page, type PageRequest } from "../pagination.ts";
import type { ShownPost } from "../posts/hydrate.ts";
import { showPoll } from "../posts/polls.ts";
import { viewPosts, type PostView } from "../posts/posts.ts";
import { viewReports, type ReportView } from "./reports.ts";
import { reviewedMessages, reviewedPosts, type ReviewedMessage, type ReviewedPost } from "./review.ts";

export type ReportNote = typeof reportNotes.$inferSelect;

async function openReport(ctx: DomainContext, reportId: string) {
  const report = await ctx.db.query.reports.findFirst({ where: eq(reports.id, reportId) });
  if (!report) throw new DomainError("not_found", "Record not found");
  return report;
}

/**
 * Takes a report (or, with null, gives it back): the queue shows who is on it, so two moderators do not work the same
 * case. Recorded in the audit log.
 */
export async function assignReport(ctx: DomainContext, reportId: string, assigneeId: string | null, at = new Date()): Promise<void> {
  const moderator = assertCan(ctx, "update:report:any");
  await openReport(ctx, reportId);
  await ctx.db.batch([
    ctx.db.update(reports).set({ assignedToId: assigneeId }).where(eq(reports.id, reportId)),
    ctx.db.insert(auditLog).values({
      moderatorId: moderator.id,
      action: assigneeId ? "assign_report" : "unassign_report",
      targetKind: "report",
      targetId: reportId,
      reason: assigneeId === moderator.id ? "Took the report" : assigneeId ? `Assigned to ${assigneeId}` : "Gave the report back",
      createdAt: at,
    }),
  ]);
}

export const reportNoteSchema = z.string().trim().min(1, "Write the note").max(2000, "A note is at most 2000 characters");

/** A note from one moderator to the others on a report; neither the reporter nor the reported account sees it. */
export async function addReportNote(ctx: DomainContext, reportId: string, text: string, at = new Date()): Promise<void> {
  const moderator = assertCan(ctx, "update:report:any");
  const parsed = reportNoteSchema.safeParse(text);
  if (!parsed.success)
    throw new DomainError("unprocessable", parsed.error.issues[0]!.message, { fields: { note: parsed.error.issues[0]!.message } });
  await openReport(ctx, reportId);
  await ctx.db.batch([
    ctx.db.insert(reportNotes).values({ reportId, authorId: moderator.id, text: parsed.data, createdAt: at }),
    ctx.db.insert(auditLog).values({
      moderatorId: moderator.id,
      action: "note_report",
      targetKind: "report",
      targetId: reportId,
      reason: parsed.data,
      createdAt: at,
    }),
  ]);
}

/** How many of the reported account's posts and reports a case shows beside the report. */
const HISTORY = 10;

/**
 * A report as a moderator works it: the reported posts or chat message (decrypted for them, without the rest of its
 * conversation), the account's history, the rules cited, the notes.
 */
export interface ReportCase extends ReportView {
  posts: ReviewedPost[];
  message: ReviewedMessage | null;
  assignee: { id: string; username: string } | null;
  rules: Rule[];
  notes: (ReportNote & { author: string | null })[];
  history: {
    account: { moderationStatus: (typeof users.$inferSelect)["moderationStatus"]; createdAt: Date; postsCount: number };
    otherReports: { id: string; category: string; createdAt: Date; resolution: string | null }[];
    actions: { id: string; kind: string; reason: string; createdAt: Date }[];
    recentPosts: ReviewedPost[];
  };
}

export async function reportCase(ctx: DomainContext, reportId: string): Promise<ReportCase> {
  assertCan(ctx, "read:report:any");
  const report = await openReport(ctx, reportId);
  const accountId = report.targetAccountId;
  const [[view], notes, otherReports, actions, recent, account, assignee, site] = await Promise.all([
    viewReports(ctx, [report]),
    ctx.db
      .select({ note: reportNotes, author: users.username })
      .from(reportNotes)
      .leftJoin(users, eq(users.id, reportNotes.authorId))
      .where(eq(reportNotes.reportId, reportId))
      .orderBy(reportNotes.id),
    ctx.db
      .select({ id: reports.id, category: reports.category, createdAt: reports.createdAt, resolution: reports.resolution })
      .from(reports)
      .where(and(eq(reports.targetAccountId, accountId), ne(reports.id, reportId)))
      .orderBy(desc(reports.id))
      .limit(HISTORY),
    ctx.db
      .select({
        id: moderationActions.id,
        kind: moderationActions.kind,
        reason: moderationActions.reason,
        createdAt: moderationActions.createdAt,
      })
      .from(moderationActions)
      .where(eq(moderationActions.accountId, accountId))
      .orderBy(desc(moderationActions.id))
      .limit(HISTORY),
    ctx.db.select({ id: posts.id }).from(posts).where(eq(posts.authorId, accountId)).orderBy(desc(posts.id)).limit(5),
    ctx.db.query.users.findFirst({
      where: eq(users.id, accountId),
      columns: { moderationStatus: true, createdAt: true, postsCount: true },
    }),
    report.assignedToId
      ? ctx.db.query.users.findFirst({ where: eq(users.id, report.assignedToId), columns: { id: true, username: true } })
      : Promise.resolve(undefined),
    siteInfo(ctx),
  ]);
  const attached = view!.postIds;
  const [reviewed, [message]] = await Promise.all([
    reviewedPosts(ctx, [...new Set([...attached, ...recent.map((row) => row.id)])]),
    reviewedMessages(ctx, report.messageId ? [report.messageId] : []),
  ]);
  return {
    ...view!,
    posts: attached.flatMap((id) => reviewed.get(id) ?? []),
    message: message ?? null,
    assignee: assignee ?? null,
    rules: site.rules.filter((rule) => report.ruleIds.includes(rule.id)),
    notes: notes.map((row) => ({ ...row.note, author: row.author })),
    history: {
      account: account!,
      otherReports,
      actions,
      recentPosts: recent.flatMap((row) => (attached.includes(row.id) ? [] : (reviewed.get(row.id) ?? []))),
    },
  };
}

/**
 * A report as moderators handle it: with the attached posts whatever their state (held and removed ones too), shown
 * as to no one in particular (no viewer's marks), without what they quote or repost, and the reported chat message,
 * decrypted for them (only that message of its conversation, ADR 0054).
 */
export interface HandledReport extends ReportView {
  posts: ShownPost[];
  message: ReviewedMessage | null;
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

async function withContent(ctx: DomainContext, views: ReportView[]): Promise<HandledReport[]> {
  const postIds = [...new Set(views.flatMap((view) => view.postIds))];
  const rows =
    postIds.length > 0
      ? await ctx.db
          .select()
          .from(posts)
          .where(inArray(posts.id, inIds(postIds)))
      : [];
  const messageIds = [...new Set(views.flatMap((view) => view.report.messageId ?? []))];
  const [shown, messages] = await Promise.all([viewPosts(ctx, rows), reviewedMessages(ctx, messageIds)]);
  const byId = new Map(shown.map((view) => [view.post.id, shownToModerators(view)]));
  return views.map((view) => ({
    ...view,
    posts: view.postIds.flatMap((id) => byId.get(id) ?? []),
    message: messages.find((message) => message.id === view.report.messageId) ?? null,
  }));
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
    await withContent(ctx, await viewReports(ctx, rows)),
    rows.map((row) => row.id),
    page,
  );
}

export async function reportForModerators(ctx: DomainContext, reportId: string): Promise<HandledReport> {
  assertCan(ctx, "read:report:any");
  const report = await ctx.db.query.reports.findFirst({ where: eq(reports.id, reportId) });
  if (!report) throw new DomainError("not_found", "Record not found");
  return (await withContent(ctx, await viewReports(ctx, [report])))[0]!;
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
