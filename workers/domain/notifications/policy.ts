import { and, count, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import {
  notificationPermissions,
  notificationPolicies,
  notificationRequests,
  notifications,
  policyActions,
  posts,
  users,
} from "#db/schema/index.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import type { Relationship } from "../graph/relationships.ts";
import { newestFirst, pageBounds, pageOf, type Page, type PageRequest } from "../pagination.ts";
import { showPosts, type ShownPost } from "../posts/hydrate.ts";
import { publicUserColumns, type PublicUser } from "../profiles/profile.ts";
import type { NotificationIntent, NotificationType } from "./notify.ts";
import { assertNotSuspended } from "../accounts/permissions.ts";

export type PolicyAction = (typeof policyActions)[number];
export type NotificationPolicy = Omit<typeof notificationPolicies.$inferSelect, "userId">;

/** Mastodon 4.3's defaults: strangers' private mentions and limited accounts are filtered, everything else accepted. */
export const DEFAULT_POLICY: NotificationPolicy = {
  forNotFollowing: "accept",
  forNotFollowers: "accept",
  forNewAccounts: "accept",
  forPrivateMentions: "filter",
  forLimitedAccounts: "filter",
};

/** An account younger than this is "new" to the policy, as on Mastodon. */
const NEW_ACCOUNT_MS = 30 * 86_400_000;

/** Kinds a policy never holds back: they are about the recipient's own things or the server's business (reports, warnings). */
const UNFILTERED_TYPES: readonly NotificationType[] = ["poll", "update", "admin.report", "admin.sign_up", "moderation_warning"];

const action = z.enum(policyActions, { message: "must be accept, filter or drop" });
export const policyUpdateSchema = z.object({
  for_not_following: action.optional(),
  for_not_followers: action.optional(),
  for_new_accounts: action.optional(),
  for_private_mentions: action.optional(),
  for_limited_accounts: action.optional(),
});

export async function readPolicy(
  ctx: DomainContext,
  userId: string,
): Promise<NotificationPolicy & { pendingRequests: number; pendingNotifications: number }> {
  const [row, [requests], [held]] = await Promise.all([
    ctx.db.query.notificationPolicies.findFirst({ where: eq(notificationPolicies.userId, userId) }),
    ctx.db.select({ n: count() }).from(notificationRequests).where(eq(notificationRequests.userId, userId)),
    ctx.db
      .select({ n: count() })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), eq(notifications.filtered, true))),
  ]);
  const { userId: _owner, ...policy } = row ?? { userId, ...DEFAULT_POLICY };
  return { ...policy, pendingRequests: requests?.n ?? 0, pendingNotifications: held?.n ?? 0 };
}

/** Changes the fields sent; the others keep their value. */
export async function updatePolicy(ctx: DomainContext, userId: string, input: z.input<typeof policyUpdateSchema>): Promise<void> {
  assertNotSuspended(ctx);
  const update = policyUpdateSchema.parse(input);
  const current = await readPolicy(ctx, userId);
  const next: NotificationPolicy = {
    forNotFollowing: update.for_not_following ?? current.forNotFollowing,
    forNotFollowers: update.for_not_followers ?? current.forNotFollowers,
    forNewAccounts: update.for_new_accounts ?? current.forNewAccounts,
    forPrivateMentions: update.for_private_mentions ?? current.forPrivateMentions,
    forLimitedAccounts: update.for_limited_accounts ?? current.forLimitedAccounts,
  };
  await ctx.db
    .insert(notificationPolicies)
    .values({ userId, ...next })
    .onConflictDoUpdate({ target: notificationPolicies.userId, set: next });
}

const strictest = (actions: PolicyAction[]): PolicyAction =>
  actions.includes("drop") ? "drop" : actions.includes("filter") ? "filter" : "accept";

/**
 * What each recipient's policy does with each intent, keyed "recipient:actor:type": the strictest action among the
 * conditions the sender meets. A sender whose request the recipient accepted, or whom the recipient follows for
 * private mentions, passes. A limited account (ADR 0041) the recipient does not follow meets `for_limited_accounts`.
 */
export async function policyDecisions(
  ctx: DomainContext,
  intents: NotificationIntent[],
  relationshipOf: (intent: NotificationIntent) => Relationship | null,
  directPostIds: Set<string>,
): Promise<Map<NotificationIntent, PolicyAction>> {
  const decisions = new Map<NotificationIntent, PolicyAction>();
  const subject = intents.filter((intent) => !UNFILTERED_TYPES.includes(intent.type) && intent.recipientId !== intent.actorId);
  if (subject.length === 0) return decisions;
  const recipientIds = [...new Set(subject.map((intent) => intent.recipientId))];
  const actorIds = [...new Set(subject.map((intent) => intent.actorId))];
  const [policies, permissions, actors] = await Promise.all([
    ctx.db
      .select()
      .from(notificationPolicies)
      .where(inArray(notificationPolicies.userId, inIds(recipientIds))),
    ctx.db
      .select()
      .from(notificationPermissions)
      .where(
        and(inArray(notificationPermissions.userId, inIds(recipientIds)), inArray(notificationPermissions.fromUserId, inIds(actorIds))),
      ),
    ctx.db
      .select({ id: users.id, createdAt: users.createdAt, moderationStatus: users.moderationStatus })
      .from(users)
      .where(inArray(users.id, inIds(actorIds))),
  ]);
  const policyOf = new Map(policies.map((row) => [row.userId, row as NotificationPolicy]));
  const permitted = new Set(permissions.map((row) => `${row.userId}:${row.fromUserId}`));
  const createdAt = new Map(actors.map((row) => [row.id, row.createdAt.getTime()]));
  const limited = new Set(actors.filter((row) => row.moderationStatus === "limited").map((row) => row.id));
  for (const intent of subject) {
    if (permitted.has(`${intent.recipientId}:${intent.actorId}`)) continue;
    const policy = policyOf.get(intent.recipientId) ?? DEFAULT_POLICY;
    const relationship = relationshipOf(intent);
    const applying: PolicyAction[] = [];
    if (!relationship?.following) applying.push(policy.forNotFollowing);
    if (!relationship?.followedBy) applying.push(policy.forNotFollowers);
    if (Date.now() - (createdAt.get(intent.actorId) ?? 0) < NEW_ACCOUNT_MS) applying.push(policy.forNewAccounts);
    if (limited.has(intent.actorId) && !relationship?.following) applying.push(policy.forLimitedAccounts);
    if (intent.type === "mention" && intent.postId && directPostIds.has(intent.postId) && !relationship?.following) {
      applying.push(policy.forPrivateMentions);
    }
    decisions.set(intent, strictest(applying));
  }
  return decisions;
}

/** Opens (or refreshes) the requests of senders whose notifications were just filtered. */
export async function openRequests(ctx: DomainContext, held: { userId: string; fromUserId: string }[], at: Date): Promise<void> {
  for (const pair of new Map(held.map((row) => [`${row.userId}:${row.fromUserId}`, row])).values()) {
    await ctx.db
      .insert(notificationRequests)
      .values({ userId: pair.userId, fromUserId: pair.fromUserId, createdAt: at, updatedAt: at })
      .onConflictDoUpdate({ target: [notificationRequests.userId, notificationRequests.fromUserId], set: { updatedAt: at } });
  }
}

/** A request as the doors show it: the sender, how many notifications it holds, and the latest post among them. */
export interface ShownRequest {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  account: PublicUser;
  notificationsCount: number;
  lastPost: ShownPost | null;
}

async function showRequests(
  ctx: DomainContext,
  userId: string,
  rows: (typeof notificationRequests.$inferSelect)[],
): Promise<ShownRequest[]> {
  const shown: ShownRequest[] = [];
  for (const row of rows) {
    const [account] = await ctx.db.select(publicUserColumns).from(users).where(eq(users.id, row.fromUserId));
    const held = and(eq(notifications.userId, userId), eq(notifications.fromUserId, row.fromUserId), eq(notifications.filtered, true));
    const [summary] = await ctx.db
      .select({ n: count(), lastPostId: sql<string | null>`max(${notifications.postId})` })
      .from(notifications)
      .where(held);
    const lastPostRows = summary?.lastPostId ? await ctx.db.select().from(posts).where(eq(posts.id, summary.lastPostId)) : [];
    const [lastPost] = await showPosts(ctx, userId, lastPostRows);
    if (!account) continue;
    shown.push({ ...row, account, notificationsCount: summary?.n ?? 0, lastPost: lastPost ?? null });
  }
  return shown;
}

export async function listRequests(ctx: DomainContext, userId: string, page: PageRequest): Promise<Page<ShownRequest>> {
  const bounds = pageBounds(notificationRequests.id, page);
  const rows = await ctx.db
    .select()
    .from(notificationRequests)
    .where(and(eq(notificationRequests.userId, userId), bounds.where))
    .orderBy(bounds.orderBy)
    .limit(page.limit);
  const ordered = newestFirst(rows, bounds.ascending);
  return pageOf(
    await showRequests(ctx, userId, ordered),
    ordered.map((row) => row.id),
    page,
  );
}

async function ownRequest(ctx: DomainContext, userId: string, id: string) {
  const row = await ctx.db.query.notificationRequests.findFirst({
    where: and(eq(notificationRequests.id, id), eq(notificationRequests.userId, userId)),
  });
  if (!row) throw new DomainError("not_found", "Record not found");
  return row;
}

export async function getRequest(ctx: DomainContext, userId: string, id: string): Promise<ShownRequest> {
  const [shown] = await showRequests(ctx, userId, [await ownRequest(ctx, userId, id)]);
  if (!shown) throw new DomainError("not_found", "Record not found");
  return shown;
}

/** Accepting lets the sender's held notifications through, and their later ones past the policy. */
export async function acceptRequests(ctx: DomainContext, userId: string, ids: string[]): Promise<void> {
  for (const id of ids) {
    const request = await ownRequest(ctx, userId, id);
    await ctx.db.batch([
      ctx.db.insert(notificationPermissions).values({ userId, fromUserId: request.fromUserId }).onConflictDoNothing(),
      ctx.db
        .update(notifications)
        .set({ filtered: false })
        .where(and(eq(notifications.userId, userId), eq(notifications.fromUserId, request.fromUserId), eq(notifications.filtered, true))),
      ctx.db.delete(notificationRequests).where(eq(notificationRequests.id, request.id)),
    ]);
  }
}

/** Dismissing deletes the request and what it held; a later notification from the sender opens a new one. */
export async function dismissRequests(ctx: DomainContext, userId: string, ids: string[]): Promise<void> {
  for (const id of ids) {
    const request = await ownRequest(ctx, userId, id);
    await ctx.db.batch([
      ctx.db
        .delete(notifications)
        .where(and(eq(notifications.userId, userId), eq(notifications.fromUserId, request.fromUserId), eq(notifications.filtered, true))),
      ctx.db.delete(notificationRequests).where(eq(notificationRequests.id, request.id)),
    ]);
  }
}
