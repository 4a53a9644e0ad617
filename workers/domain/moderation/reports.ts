import { and, count, desc, eq, gte, inArray, isNull, lt } from "drizzle-orm";
import { z } from "zod";
import { newId } from "#db/ids.ts";
import { messages, reportCategories, reportPosts, reports, users } from "#db/schema/index.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { commit } from "../events/outbox.ts";
import { relationshipWith } from "../graph/relationships.ts";
import { siteInfo } from "../instance-settings.ts";
import { memberMessage } from "../messages/messages.ts";
import { viewPosts } from "../posts/posts.ts";
import { canSeePost } from "../posts/visibility.ts";
import { publicUserColumns, type PublicUser } from "../profiles/profile.ts";

export type Report = typeof reports.$inferSelect;
export type ReportCategory = (typeof reportCategories)[number];

/** Mastodon's four report categories. */
export const mastodonReportCategories = ["spam", "legal", "violation", "other"] as const;
export type MastodonReportCategory = (typeof mastodonReportCategories)[number];

/** How Perch's finer categories read in Mastodon's coarser ones: everything that breaks a rule is a violation. */
export function mastodonCategoryOf(category: ReportCategory): MastodonReportCategory {
  if (category === "spam" || category === "other") return category;
  if (category === "illegal") return "legal";
  return "violation";
}

/**
 * A Mastodon category as Perch stores it. "violation" names no particular harm (its rule_ids would, and this server
 * has no rules yet), so it is stored as "other"; a client that wants the finer kind sends Perch's own value.
 */
export function perchCategoryOf(category: MastodonReportCategory | ReportCategory): ReportCategory {
  if (category === "legal") return "illegal";
  if (category === "violation") return "other";
  return category;
}

export const MAX_REPORTED_POSTS = 5;
/** Reports one person may file in an hour: enough for a bad day, too few to flood the moderators. */
export const REPORTS_PER_HOUR = 10;

export const reportInputSchema = z.object({
  targetAccountId: z.string().min(1).max(64),
  category: z.enum(reportCategories).default("other"),
  comment: z.string().trim().max(1000, "A comment is at most 1000 characters").default(""),
  postIds: z.array(z.string().min(1).max(64)).max(MAX_REPORTED_POSTS, `Attach at most ${MAX_REPORTED_POSTS} posts`).default([]),
  ruleIds: z.array(z.string().max(64)).max(50).default([]),
  messageId: z.string().min(1).max(64).nullable().default(null),
});
export type ReportInput = z.input<typeof reportInputSchema>;

/**
 * Files a report to this server's moderators about an account and, optionally, up to five of its posts the reporter
 * can see, or one of its chat messages the reporter can read. You cannot report yourself or your own message; an
 * account, post or message you cannot see is not found. The report and its `report.created` event (whose handler tells
 * the moderators) are written in one batch.
 */
export async function fileReport(ctx: DomainContext, reporterId: string, input: ReportInput, at = new Date()): Promise<Report> {
  const data = reportInputSchema.parse(input);
  if (data.messageId) await assertReportableMessage(ctx, reporterId, data.targetAccountId, data.messageId);
  if (data.targetAccountId === reporterId) {
    throw new DomainError("unprocessable", "You cannot report yourself", { code: "own_account" });
  }
  const target = await ctx.db.query.users.findFirst({ where: eq(users.id, data.targetAccountId), columns: { id: true } });
  if (!target) throw new DomainError("not_found", "Record not found");
  if (data.ruleIds.length > 0) {
    const { rules } = await siteInfo(ctx);
    if (data.ruleIds.some((ruleId) => !rules.some((rule) => rule.id === ruleId))) {
      throw new DomainError("unprocessable", "No such rule on this server", { code: "unknown_rule", fields: { rule_ids: "No such rule" } });
    }
  }
  const postIds = [...new Set(data.postIds)];
  await assertReportablePosts(ctx, reporterId, data.targetAccountId, postIds);
  await assertUnderReportLimit(ctx, reporterId, at);
  const id = newId(at.getTime());
  const [[report]] = await commit(
    ctx,
    [
      ctx.db
        .insert(reports)
        .values({
          id,
          reporterId,
          targetAccountId: data.targetAccountId,
          messageId: data.messageId,
          category: data.category,
          ruleIds: data.ruleIds,
          comment: data.comment,
          createdAt: at,
        })
        .returning(),
      ...(postIds.length > 0 ? [ctx.db.insert(reportPosts).values(postIds.map((postId) => ({ reportId: id, postId })))] : []),
    ],
    [{ type: "report.created", payload: { reportId: id, reporterId, targetAccountId: data.targetAccountId } }],
  );
  return report!;
}

/** Every attached post must be the reported account's and one the reporter may see. */
async function assertReportablePosts(ctx: DomainContext, reporterId: string, targetId: string, postIds: string[]): Promise<void> {
  if (postIds.length === 0) return;
  const rows = await ctx.db.query.posts.findMany({ where: (posts, { inArray }) => inArray(posts.id, inIds(postIds)) });
  const relationship = await relationshipWith(ctx, reporterId, targetId);
  const seen = (await viewPosts(ctx, rows)).filter((view) => canSeePost(reporterId, view, relationship));
  if (seen.length !== postIds.length) throw new DomainError("not_found", "Record not found");
  if (seen.some((view) => view.post.authorId !== targetId)) {
    throw new DomainError("unprocessable", "Attached posts must be by the reported account", { code: "foreign_post" });
  }
}

/**
 * A reported message must be one the reporter can read now (a member of its conversation, not held from them; ADR
 * 0054), not their own, and by the reported account.
 */
async function assertReportableMessage(ctx: DomainContext, reporterId: string, targetId: string, messageId: string): Promise<void> {
  const row = await ctx.db.query.messages.findFirst({
    where: eq(messages.id, messageId),
    columns: { conversationId: true, senderId: true },
  });
  if (!row) throw new DomainError("not_found", "Record not found");
  await memberMessage(ctx, reporterId, row.conversationId, messageId);
  if (row.senderId === reporterId) throw new DomainError("unprocessable", "You cannot report your own message", { code: "own_message" });
  if (row.senderId !== targetId) {
    throw new DomainError("unprocessable", "The reported message must be by the reported account", { code: "foreign_message" });
  }
}

export const messageReportSchema = reportInputSchema.pick({ category: true, comment: true });

/** Reports a chat message of a conversation (the path it was read at): its sender is the reported account. */
export async function reportMessage(
  ctx: DomainContext,
  reporterId: string,
  conversationId: string,
  messageId: string,
  input: z.input<typeof messageReportSchema>,
  at = new Date(),
): Promise<Report> {
  const row = await ctx.db.query.messages.findFirst({
    where: and(eq(messages.id, messageId), eq(messages.conversationId, conversationId)),
    columns: { senderId: true },
  });
  if (!row) throw new DomainError("not_found", "Record not found");
  return fileReport(ctx, reporterId, { ...messageReportSchema.parse(input), targetAccountId: row.senderId, messageId }, at);
}

async function assertUnderReportLimit(ctx: DomainContext, reporterId: string, at: Date): Promise<void> {
  const since = new Date(at.getTime() - 60 * 60 * 1000);
  const [row] = await ctx.db
    .select({ filed: count() })
    .from(reports)
    .where(and(eq(reports.reporterId, reporterId), gte(reports.createdAt, since)));
  if ((row?.filed ?? 0) >= REPORTS_PER_HOUR) {
    throw new DomainError("throttled", "You have sent many reports recently; try again later", { retryAfterSeconds: 3600 });
  }
}

/** A report with what it names: the reporter, the reported account and the attached posts' ids. */
export interface ReportView {
  report: Report;
  reporter: PublicUser;
  target: PublicUser;
  postIds: string[];
}

/** Reports as their views, in the given order. */
export async function viewReports(ctx: DomainContext, rows: Report[]): Promise<ReportView[]> {
  if (rows.length === 0) return [];
  const accountIds = [...new Set(rows.flatMap((row) => [row.reporterId, row.targetAccountId]))];
  const [accounts, attached] = await Promise.all([
    ctx.db
      .select(publicUserColumns)
      .from(users)
      .where(inArray(users.id, inIds(accountIds))),
    ctx.db
      .select()
      .from(reportPosts)
      .where(inArray(reportPosts.reportId, inIds(rows.map((row) => row.id)))),
  ]);
  const accountById = new Map(accounts.map((account) => [account.id, account]));
  return rows.map((report) => ({
    report,
    reporter: accountById.get(report.reporterId)!,
    target: accountById.get(report.targetAccountId)!,
    postIds: attached.filter((row) => row.reportId === report.id).map((row) => row.postId),
  }));
}

/** A report its reporter filed (Mastodon answers POST /reports with it); anyone else's is not found. */
export async function ownReport(ctx: DomainContext, reporterId: string, reportId: string): Promise<ReportView> {
  const report = await ctx.db.query.reports.findFirst({ where: and(eq(reports.id, reportId), eq(reports.reporterId, reporterId)) });
  if (!report) throw new DomainError("not_found", "Record not found");
  return (await viewReports(ctx, [report]))[0]!;
}

/** Which open reports a moderator lists: all, those nobody took, or one moderator's (by id). */
export type ReportAssignee = "anyone" | "nobody" | { id: string };

/** Open reports (unresolved), newest first, for moderators. */
export async function openReports(
  ctx: DomainContext,
  options: { before?: string; limit?: number; assignee?: ReportAssignee } = {},
): Promise<ReportView[]> {
  const assignee = options.assignee ?? "anyone";
  const rows = await ctx.db
    .select()
    .from(reports)
    .where(
      and(
        isNull(reports.resolvedAt),
        options.before ? lt(reports.id, options.before) : undefined,
        assignee === "nobody" ? isNull(reports.assignedToId) : assignee === "anyone" ? undefined : eq(reports.assignedToId, assignee.id),
      ),
    )
    .orderBy(desc(reports.id))
    .limit(options.limit ?? 20);
  return viewReports(ctx, rows);
}
