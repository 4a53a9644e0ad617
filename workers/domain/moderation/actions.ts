import { and, desc, eq, inArray, isNotNull, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { signedOut } from "../accounts/live-credentials.ts";
import { newId } from "#db/ids.ts";
import { accessTokens, auditLog, messages, moderationActions, posts, reports, sessions, users } from "#db/schema/index.ts";
import { assertCan } from "../accounts/permissions.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import type { NewEvent } from "../events/catalogue.ts";
import { commit } from "../events/outbox.ts";
import { deleteImageIfUnused } from "../media/profile-images.ts";
import { blankProfile } from "../profiles/profile.ts";
import { MAX_REPORTED_POSTS } from "./reports.ts";

export type ModerationAction = typeof moderationActions.$inferSelect;

/** What a moderator may do from a report or the queues; each needs a reason, which the account is shown. */
export const moderatorCommands = [
  "dismiss",
  "approve_post",
  "remove_post",
  "mark_sensitive",
  "warn",
  "limit",
  "suspend",
  "unsuspend",
  "sensitize",
  "unsensitize",
  "disable",
  "enable",
  "approve_profile",
  "remove_profile",
  "approve_message",
  "remove_message",
] as const;
export type ModeratorCommand = (typeof moderatorCommands)[number];

export const moderatorCommandSchema = z.object({
  command: z.enum(moderatorCommands),
  accountId: z.string().min(1).max(64),
  postId: z.string().min(1).max(64).nullable().default(null),
  /** More posts for a post command (a report's attached posts, all removed or marked at once). */
  postIds: z.array(z.string().min(1).max(64)).max(MAX_REPORTED_POSTS).default([]),
  /** The chat message of a message command (the account's own). */
  messageId: z.string().min(1).max(64).nullable().default(null),
  reportId: z.string().min(1).max(64).nullable().default(null),
  reason: z.string().trim().min(1, "Give a reason: it is recorded, and shown to the account").max(1000),
});
export type ModeratorCommandInput = z.input<typeof moderatorCommandSchema>;

const POST_COMMANDS: readonly ModeratorCommand[] = ["approve_post", "remove_post", "mark_sensitive"];
const MESSAGE_COMMANDS: readonly ModeratorCommand[] = ["approve_message", "remove_message"];
/** Commands that act on a chat message when given one; marking sensitive covers a message's attachments as a post's. */
const ON_A_MESSAGE: readonly ModeratorCommand[] = [...MESSAGE_COMMANDS, "mark_sensitive"];

/** Actions the account is told of and may appeal. A limit is not among them: a limited account is not told (ADR 0041). */
const TOLD: readonly string[] = [
  "warn",
  "remove_post",
  "mark_sensitive",
  "suspend",
  "remove_profile",
  "remove_message",
  "sensitize",
  "disable",
];
/** Commands that only lift or approve: in the audit log, not among the actions against the account. */
const UNRECORDED: readonly ModeratorCommand[] = ["dismiss", "approve_post", "approve_profile", "approve_message", "unsensitize", "enable"];
/** Commands on whether the account may sign in at all: the same permission as a suspension. */
const ON_SIGN_IN: readonly ModeratorCommand[] = ["suspend", "unsuspend", "disable", "enable"];

/**
 * A moderator's decision, in one batch with its audit entry: on a post (approve a held one, remove, mark sensitive),
 * on a profile or a chat message (approve a held one, remove, and for a message mark its attachments sensitive; ADR 0054),
 * on an account (warn, limit, suspend, unsuspend, sensitize its media and undo it, disable its log-in and enable it;
 * ADR 0056), or dismissing a report. Given a report, it closes it. Actions the account is told of are stored for
 * /settings/moderation with a `moderation.action_taken` event, whose handler sends the moderation_warning. Suspending
 * and disabling also end the account's sessions and tokens (and, through `account.signed_out`, its open connections); a
 * decision on a message is re-sent to its room (`message.updated`).
 */
export async function moderate(ctx: DomainContext, input: ModeratorCommandInput, at = new Date()): Promise<ModerationAction | null> {
  const data = moderatorCommandSchema.parse(input);
  const moderator = assertCan(ctx, ON_SIGN_IN.includes(data.command) ? "suspend:user:any" : "update:report:any");
  const account = await ctx.db.query.users.findFirst({ where: eq(users.id, data.accountId), columns: { id: true } });
  if (!account) throw new DomainError("not_found", "Record not found");
  const postIds = [...new Set([...(data.postId ? [data.postId] : []), ...data.postIds])];
  if (postIds.length > 0) {
    const found = await ctx.db
      .select({ id: posts.id })
      .from(posts)
      .where(and(inArray(posts.id, inIds(postIds)), eq(posts.authorId, data.accountId)));
    if (found.length !== postIds.length) throw new DomainError("not_found", "Record not found");
  } else if (POST_COMMANDS.includes(data.command) && !(data.command === "mark_sensitive" && data.messageId)) {
    throw new DomainError("unprocessable", "Choose the post", { fields: { postId: "Choose the post" } });
  }
  const message =
    MESSAGE_COMMANDS.includes(data.command) || (ON_A_MESSAGE.includes(data.command) && data.messageId)
      ? await messageOfAccount(ctx, data.messageId, data.accountId)
      : null;
  const profile = data.command === "remove_profile" ? await picturesOf(ctx, data.accountId) : [];
  const statements = [];
  const events: NewEvent[] = [];
  const onPosts = inArray(posts.id, inIds(postIds));
  switch (data.command) {
    case "approve_post":
      statements.push(ctx.db.update(posts).set({ moderationState: null }).where(onPosts));
      break;
    case "remove_post":
      statements.push(ctx.db.update(posts).set({ moderationState: "removed" }).where(onPosts));
      break;
    case "mark_sensitive":
      if (postIds.length > 0) statements.push(ctx.db.update(posts).set({ sensitive: true }).where(onPosts));
      if (message) {
        statements.push(ctx.db.update(messages).set({ sensitive: true }).where(eq(messages.id, message.id)));
        events.push({ type: "message.updated", payload: { messageId: message.id, conversationId: message.conversationId } });
      }
      break;
    case "limit":
      statements.push(ctx.db.update(users).set({ moderationStatus: "limited" }).where(eq(users.id, data.accountId)));
      break;
    case "suspend":
    case "disable":
      statements.push(
        ctx.db
          .update(users)
          .set(data.command === "suspend" ? { moderationStatus: "suspended" } : { disabled: true })
          .where(eq(users.id, data.accountId)),
        ctx.db.delete(sessions).where(eq(sessions.userId, data.accountId)),
        ctx.db.delete(accessTokens).where(eq(accessTokens.userId, data.accountId)),
      );
      events.push(signedOut(data.accountId));
      break;
    case "enable":
      statements.push(ctx.db.update(users).set({ disabled: false }).where(eq(users.id, data.accountId)));
      break;
    case "sensitize":
      statements.push(
        ctx.db.update(users).set({ sensitized: true }).where(eq(users.id, data.accountId)),
        ...coverMediaOf(ctx, data.accountId),
      );
      break;
    case "unsensitize":
      // What was covered stays covered, as on Mastodon: only what they write from now on is theirs to mark.
      statements.push(ctx.db.update(users).set({ sensitized: false }).where(eq(users.id, data.accountId)));
      break;
    case "unsuspend":
      statements.push(ctx.db.update(users).set({ moderationStatus: null }).where(eq(users.id, data.accountId)));
      break;
    case "approve_profile":
      statements.push(ctx.db.update(users).set({ profileModerationState: null }).where(eq(users.id, data.accountId)));
      break;
    case "remove_profile":
      statements.push(
        ctx.db
          .update(users)
          .set({ ...blankProfile, profileModerationState: null, updatedAt: at })
          .where(eq(users.id, data.accountId)),
      );
      break;
    case "approve_message":
    case "remove_message":
      statements.push(
        ctx.db
          .update(messages)
          .set({ moderationState: data.command === "remove_message" ? "removed" : null })
          .where(eq(messages.id, message!.id)),
      );
      events.push({ type: "message.updated", payload: { messageId: message!.id, conversationId: message!.conversationId } });
      break;
    case "warn":
    case "dismiss":
      break;
  }
  const recorded = !UNRECORDED.includes(data.command);
  // A post command is one action per post (each told and appealable on its own); an account command is one action, as
  // is marking only a message sensitive.
  const actionIds = recorded
    ? (POST_COMMANDS.includes(data.command) && postIds.length > 0 ? postIds : [postIds[0] ?? null]).map((postId, i) => ({
        id: newId(at.getTime() + i),
        postId,
      }))
    : [];
  for (const { id, postId } of actionIds) {
    statements.push(
      ctx.db.insert(moderationActions).values({
        id,
        accountId: data.accountId,
        moderatorId: moderator.id,
        kind: data.command as ModerationAction["kind"],
        postId,
        messageId: message?.id ?? null,
        reportId: data.reportId,
        reason: data.reason,
        createdAt: at,
      }),
    );
    if (TOLD.includes(data.command)) events.push({ type: "moderation.action_taken", payload: { actionId: id, accountId: data.accountId } });
  }
  if (data.reportId) {
    statements.push(
      ctx.db
        .update(reports)
        .set({ resolution: data.command === "dismiss" ? "dismissed" : "actioned", resolvedAt: at, resolvedById: moderator.id })
        .where(eq(reports.id, data.reportId)),
    );
  }
  statements.push(
    ctx.db.insert(auditLog).values({
      moderatorId: moderator.id,
      action: data.command,
      targetKind: data.reportId ? "report" : postIds[0] ? "post" : message ? "message" : "account",
      targetId: data.reportId ?? postIds[0] ?? message?.id ?? data.accountId,
      reason: data.reason,
      createdAt: at,
    }),
  );
  await commit(ctx, statements as unknown as [never], events);
  for (const key of profile) await deleteImageIfUnused(ctx, key);
  const first = actionIds[0];
  return first ? ((await ctx.db.query.moderationActions.findFirst({ where: eq(moderationActions.id, first.id) })) ?? null) : null;
}

/** Marks everything the account posted or sent with media sensitive: a sensitized account's media are all covered. */
function coverMediaOf(ctx: DomainContext, accountId: string) {
  return [
    ctx.db
      .update(posts)
      .set({ sensitive: true })
      .where(
        and(
          eq(posts.authorId, accountId),
          eq(posts.sensitive, false),
          // Spelled out: in an update, drizzle leaves the outer table's columns unqualified.
          sql`exists (select 1 from "media_attachments" where "media_attachments"."post_id" = "posts"."id")`,
        ),
      ),
    ctx.db
      .update(messages)
      .set({ sensitive: true })
      .where(
        and(
          eq(messages.senderId, accountId),
          eq(messages.sensitive, false),
          sql`exists (select 1 from "message_attachments" where "message_attachments"."message_id" = "messages"."id")`,
        ),
      ),
  ];
}

/** The chat message a message command names: one the account sent, or not found. */
async function messageOfAccount(ctx: DomainContext, messageId: string | null, accountId: string) {
  if (!messageId) throw new DomainError("unprocessable", "Choose the message", { fields: { messageId: "Choose the message" } });
  const row = await ctx.db.query.messages.findFirst({
    where: and(eq(messages.id, messageId), eq(messages.senderId, accountId)),
    columns: { id: true, conversationId: true },
  });
  if (!row) throw new DomainError("not_found", "Record not found");
  return row;
}

/** A profile's picture keys, whose files go when a removal clears them. */
async function picturesOf(ctx: DomainContext, accountId: string): Promise<string[]> {
  const row = await ctx.db.query.users.findFirst({
    where: eq(users.id, accountId),
    columns: { avatarKey: true, headerKey: true, backgroundKey: true },
  });
  return [row?.avatarKey, row?.headerKey, row?.backgroundKey].filter((key): key is string => Boolean(key));
}

/** The actions against an account that it is told of, newest first (/settings/moderation). */
export function actionsAgainst(ctx: DomainContext, accountId: string): Promise<ModerationAction[]> {
  return ctx.db
    .select()
    .from(moderationActions)
    .where(and(eq(moderationActions.accountId, accountId), ne(moderationActions.kind, "limit"), ne(moderationActions.kind, "unsuspend")))
    .orderBy(desc(moderationActions.id));
}

export const appealSchema = z.string().trim().min(1, "Say why the decision is wrong").max(2000, "An appeal is at most 2000 characters");

/** Appeals an action against you, once: a second appeal of the same action is a conflict. */
export async function appeal(ctx: DomainContext, accountId: string, actionId: string, text: string, at = new Date()): Promise<void> {
  const appealText = appealSchema.parse(text);
  const action = await ctx.db.query.moderationActions.findFirst({
    where: and(eq(moderationActions.id, actionId), eq(moderationActions.accountId, accountId), ne(moderationActions.kind, "limit")),
  });
  if (!action) throw new DomainError("not_found", "Record not found");
  const updated = await ctx.db
    .update(moderationActions)
    .set({ appealText, appealedAt: at })
    .where(and(eq(moderationActions.id, actionId), isNull(moderationActions.appealedAt)))
    .returning({ id: moderationActions.id });
  if (updated.length === 0) throw new DomainError("conflict", "You already appealed this decision", { code: "already_appealed" });
}

/** Appeals waiting for a moderator, oldest first. */
export function openAppeals(ctx: DomainContext): Promise<ModerationAction[]> {
  assertCan(ctx, "update:report:any");
  return ctx.db
    .select()
    .from(moderationActions)
    .where(and(isNotNull(moderationActions.appealedAt), isNull(moderationActions.appealDecision)))
    .orderBy(moderationActions.appealedAt)
    .limit(50);
}

/**
 * A moderator answers an appeal; overturning undoes what the action did: a removed or held post or message is shown
 * again, a post or message marked sensitive is uncovered, a suspension or a disabled log-in lifted, a sensitized account
 * no longer covered from now on. A message's room hears of the change (`message.updated`).
 */
export async function decideAppeal(
  ctx: DomainContext,
  actionId: string,
  decision: "upheld" | "overturned",
  at = new Date(),
): Promise<void> {
  const moderator = assertCan(ctx, "update:report:any");
  const action = await ctx.db.query.moderationActions.findFirst({ where: eq(moderationActions.id, actionId) });
  if (!action?.appealedAt) throw new DomainError("not_found", "Record not found");
  const undone = decision === "overturned" ? await undoing(ctx, action) : { statements: [], events: [] };
  await commit(
    ctx,
    [
      ctx.db.update(moderationActions).set({ appealDecision: decision }).where(eq(moderationActions.id, actionId)),
      ...undone.statements,
      ctx.db.insert(auditLog).values({
        moderatorId: moderator.id,
        action: `appeal_${decision}`,
        targetKind: "action",
        targetId: actionId,
        reason: action.appealText ?? "",
        createdAt: at,
      }),
    ] as unknown as [never],
    undone.events,
  );
}

/** What overturning an action writes, and the events it raises. */
async function undoing(ctx: DomainContext, action: ModerationAction) {
  const statements = [];
  const events: NewEvent[] = [];
  const onAccount = eq(users.id, action.accountId);
  const onPost = action.postId ? eq(posts.id, action.postId) : undefined;
  if (onPost && (action.kind === "remove_post" || action.kind === "hold_post")) {
    statements.push(ctx.db.update(posts).set({ moderationState: null }).where(onPost));
  }
  if (onPost && action.kind === "mark_sensitive") statements.push(ctx.db.update(posts).set({ sensitive: false }).where(onPost));
  if (action.messageId && (action.kind === "remove_message" || action.kind === "mark_sensitive")) {
    const message = await ctx.db.query.messages.findFirst({
      where: eq(messages.id, action.messageId),
      columns: { id: true, conversationId: true },
    });
    if (message) {
      const change = action.kind === "remove_message" ? { moderationState: null } : { sensitive: false };
      statements.push(ctx.db.update(messages).set(change).where(eq(messages.id, message.id)));
      events.push({ type: "message.updated", payload: { messageId: message.id, conversationId: message.conversationId } });
    }
  }
  if (action.kind === "suspend") statements.push(ctx.db.update(users).set({ moderationStatus: null }).where(onAccount));
  if (action.kind === "disable") statements.push(ctx.db.update(users).set({ disabled: false }).where(onAccount));
  if (action.kind === "sensitize") statements.push(ctx.db.update(users).set({ sensitized: false }).where(onAccount));
  return { statements, events };
}
