import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { messages, moderationDecisions, moderationSubjects, posts, users } from "#db/schema/index.ts";
import { assertCan } from "../accounts/permissions.ts";
import type { User } from "../accounts/users.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { attachmentsOfMessages, type MessageAttachmentView } from "../messages/attachments.ts";
import { messageForModeration, type MessageRow } from "../messages/messages.ts";
import { viewPosts, type PostView } from "../posts/posts.ts";
import { moderate, moderatorCommandSchema, type ModeratorCommandInput } from "./actions.ts";
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

const chosen = (noun: string) => z.array(z.string().min(1).max(64)).max(50, `Choose at most 50 ${noun}s at once`).default([]);

/** What the held queue's noun and list field are for each kind of subject. */
const HELD = {
  post: { noun: "post", field: "postIds" },
  profile: { noun: "profile", field: "accountIds" },
  message: { noun: "message", field: "messageIds" },
} as const;

export const heldDecisionSchema = z
  .object({
    kind: z.enum(moderationSubjects).default("post"),
    postIds: chosen("post"),
    /** Held profiles, by their account's id. */
    accountIds: chosen("profile"),
    messageIds: chosen("message"),
    decision: z.enum(["approve", "remove"], { error: "Choose approve or remove" }),
    reason: moderatorCommandSchema.shape.reason,
  })
  .superRefine((data, issues) => {
    const { noun, field } = HELD[data.kind];
    if (data[field].length === 0) issues.addIssue({ code: "custom", path: [field], message: `Choose at least one ${noun}` });
  });

/**
 * Approves or removes many held posts, profiles or chat messages at once (the queue's checkboxes), each through
 * `moderate` as if decided alone: its own batch with its audit entry and, for a removal, the owner's notice. What is no
 * longer held is skipped, so a resubmitted form does nothing twice. Returns how many were decided.
 */
export async function decideHeld(ctx: DomainContext, input: z.input<typeof heldDecisionSchema>): Promise<number> {
  assertCan(ctx, "update:report:any");
  const commands = await heldCommands(ctx, heldDecisionSchema.parse(input));
  for (const command of commands) await moderate(ctx, command);
  return commands.length;
}

/** The moderator's command for each chosen item that is still held. */
async function heldCommands(ctx: DomainContext, data: z.output<typeof heldDecisionSchema>): Promise<ModeratorCommandInput[]> {
  const { reason } = data;
  const approve = data.decision === "approve";
  switch (data.kind) {
    case "post": {
      const held = await ctx.db
        .select({ id: posts.id, authorId: posts.authorId })
        .from(posts)
        .where(and(inArray(posts.id, inIds(data.postIds)), eq(posts.moderationState, "held")));
      return held.map((post) => ({ command: approve ? "approve_post" : "remove_post", accountId: post.authorId, postId: post.id, reason }));
    }
    case "profile": {
      const held = await ctx.db
        .select({ id: users.id })
        .from(users)
        .where(and(inArray(users.id, inIds(data.accountIds)), eq(users.profileModerationState, "held")));
      return held.map((user) => ({ command: approve ? "approve_profile" : "remove_profile", accountId: user.id, reason }));
    }
    case "message": {
      const held = await ctx.db
        .select({ id: messages.id, senderId: messages.senderId })
        .from(messages)
        .where(and(inArray(messages.id, inIds(data.messageIds)), eq(messages.moderationState, "held")));
      return held.map((message) => ({
        command: approve ? "approve_message" : "remove_message",
        accountId: message.senderId,
        messageId: message.id,
        reason,
      }));
    }
  }
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

const decisionsAbout = (ctx: DomainContext, kind: "profile" | "message", ids: string[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : ctx.db
        .select()
        .from(moderationDecisions)
        .where(and(eq(moderationDecisions.subjectKind, kind), inArray(moderationDecisions.subjectId, inIds(ids))))
        .orderBy(moderationDecisions.id);

/** A held profile as moderators review it: what its owner wrote and chose (which no one else sees), and the verdicts. */
export interface ReviewedProfile {
  account: Pick<
    User,
    "id" | "username" | "displayName" | "bio" | "location" | "website" | "fields" | "avatarKey" | "headerKey" | "backgroundKey"
  >;
  decisions: ModerationDecision[];
}

/** Profiles the pipeline held for review, oldest account first. */
export async function heldProfiles(ctx: DomainContext, limit = 20): Promise<ReviewedProfile[]> {
  assertCan(ctx, "read:report:any");
  const accounts = await ctx.db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      bio: users.bio,
      location: users.location,
      website: users.website,
      fields: users.fields,
      avatarKey: users.avatarKey,
      headerKey: users.headerKey,
      backgroundKey: users.backgroundKey,
    })
    .from(users)
    .where(eq(users.profileModerationState, "held"))
    .orderBy(users.id)
    .limit(limit);
  const decisions = await decisionsAbout(
    ctx,
    "profile",
    accounts.map((account) => account.id),
  );
  return accounts.map((account) => ({ account, decisions: decisions.filter((decision) => decision.subjectId === account.id) }));
}

/**
 * A chat message as moderators review it: its text, decrypted for them alone, what its attachments are (names and
 * descriptions decrypted), whether they are covered as sensitive, its sender and the verdicts.
 */
export interface ReviewedMessage {
  id: string;
  conversationId: string;
  sender: { id: string; username: string };
  text: string | null;
  state: MessageRow["moderationState"];
  sensitive: boolean;
  attachments: MessageAttachmentView[];
  createdAt: Date;
  decisions: ModerationDecision[];
}

/** Chat messages as moderators review them, by id: only these messages, never the rest of their conversations. */
export async function reviewedMessages(ctx: DomainContext, messageIds: string[]): Promise<ReviewedMessage[]> {
  assertCan(ctx, "read:report:any");
  const [decisions, attachments, senders] = await Promise.all([
    decisionsAbout(ctx, "message", messageIds),
    attachmentsOfMessages(ctx, messageIds),
    messageIds.length === 0
      ? []
      : ctx.db
          .select({ messageId: messages.id, id: users.id, username: users.username })
          .from(messages)
          .innerJoin(users, eq(users.id, messages.senderId))
          .where(inArray(messages.id, inIds(messageIds))),
  ]);
  const reviewed: ReviewedMessage[] = [];
  for (const messageId of messageIds) {
    const found = await messageForModeration(ctx, messageId);
    const sender = senders.find((row) => row.messageId === messageId);
    if (!found || !sender) continue;
    reviewed.push({
      id: found.row.id,
      conversationId: found.row.conversationId,
      sender: { id: sender.id, username: sender.username },
      text: found.text,
      state: found.row.moderationState,
      sensitive: found.row.sensitive,
      attachments: attachments.get(messageId) ?? [],
      createdAt: found.row.createdAt,
      decisions: decisions.filter((decision) => decision.subjectId === messageId),
    });
  }
  return reviewed;
}

/** Chat messages the pipeline held for review, oldest first. */
export async function heldMessages(ctx: DomainContext, limit = 20): Promise<ReviewedMessage[]> {
  assertCan(ctx, "read:report:any");
  const rows = await ctx.db
    .select({ id: messages.id })
    .from(messages)
    .where(eq(messages.moderationState, "held"))
    .orderBy(messages.id)
    .limit(limit);
  return reviewedMessages(
    ctx,
    rows.map((row) => row.id),
  );
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
