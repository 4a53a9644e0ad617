import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { moderationDecisions, posts } from "#db/schema/index.ts";
import { assertCan } from "../accounts/permissions.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { viewPosts, type PostView } from "../posts/posts.ts";
import { moderate, moderatorCommandSchema } from "./actions.ts";
import { openReports, type ReportAssignee, type ReportView } from "./reports.ts";

export type ModerationDecision = typeof moderationDecisions.$inferSelect;

/** A post as a moderator reviews it: whatever its state, with every automatic decision about it. */
export interface ReviewedPost {
  view: PostView;
  decisions: ModerationDecision[];
}

/** The posts as moderators review them, by id. */
export async function reviewedPosts(ctx: DomainContext, postIds: string[]): Promise<Map<string, ReviewedPost>> {
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

export const heldDecisionSchema = z.object({
  postIds: z.array(z.string().min(1).max(64)).min(1, "Choose at least one post").max(50, "Choose at most 50 posts at once"),
  decision: z.enum(["approve", "remove"], { error: "Choose approve or remove" }),
  reason: moderatorCommandSchema.shape.reason,
});

/**
 * Approves or removes many held posts at once (the queue's checkboxes), each through `moderate` as if decided alone:
 * its own batch with its audit entry and, for a removal, the author's notice. Posts no longer held are skipped, so a
 * resubmitted form does nothing twice. Returns how many were decided.
 */
export async function decideHeldPosts(ctx: DomainContext, input: z.input<typeof heldDecisionSchema>): Promise<number> {
  assertCan(ctx, "update:report:any");
  const data = heldDecisionSchema.parse(input);
  const held = await ctx.db
    .select({ id: posts.id, authorId: posts.authorId })
    .from(posts)
    .where(and(inArray(posts.id, inIds(data.postIds)), eq(posts.moderationState, "held")));
  for (const post of held) {
    await moderate(ctx, {
      command: data.decision === "approve" ? "approve_post" : "remove_post",
      accountId: post.authorId,
      postId: post.id,
      reason: data.reason,
    });
  }
  return held.length;
}

/** Posts the pipeline held for review, oldest first: what moderators approve or remove. */
export async function heldPosts(ctx: DomainContext, limit = 20): Promise<ReviewedPost[]> {
  assertCan(ctx, "read:report:any");
  const rows = await ctx.db.select({ id: posts.id }).from(posts).where(eq(posts.moderationState, "held")).orderBy(posts.id).limit(limit);
  const byId = await reviewedPosts(
    ctx,
    rows.map((row) => row.id),
  );
  return rows.flatMap((row) => byId.get(row.id) ?? []);
}

/** Open reports with the reported posts as moderators see them (held or removed ones too) and their decisions. */
export async function reportQueue(
  ctx: DomainContext,
  options: { assignee?: ReportAssignee } = {},
): Promise<(ReportView & { posts: ReviewedPost[] })[]> {
  assertCan(ctx, "read:report:any");
  const open = await openReports(ctx, { limit: 20, assignee: options.assignee });
  const byId = await reviewedPosts(ctx, [...new Set(open.flatMap((report) => report.postIds))]);
  return open.map((report) => ({ ...report, posts: report.postIds.flatMap((id) => byId.get(id) ?? []) }));
}
