import { and, desc, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { auditLog, moderationActions, posts, reportNotes, reports, users } from "#db/schema/index.ts";
import { assertCan } from "../accounts/permissions.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { siteInfo, type Rule } from "../instance-settings.ts";
import { viewReports, type ReportView } from "./reports.ts";
import { reviewedPosts, type ReviewedPost } from "./review.ts";

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

/** A report as a moderator works it: the reported posts, the account's history, the rules cited, the notes. */
export interface ReportCase extends ReportView {
  posts: ReviewedPost[];
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
  const reviewed = await reviewedPosts(ctx, [...new Set([...attached, ...recent.map((row) => row.id)])]);
  return {
    ...view!,
    posts: attached.flatMap((id) => reviewed.get(id) ?? []),
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
