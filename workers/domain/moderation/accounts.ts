import { and, desc, eq, exists, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import { auditLog, invites, loginEvents, moderationActions, posts, reports, roles, sessions, users } from "#db/schema/index.ts";
import { eraseAccount } from "../accounts/deletion.ts";
import type { LoginEvent } from "../accounts/login.ts";
import { assertCan, can } from "../accounts/permissions.ts";
import type { Role, User } from "../accounts/users.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { newestFirst, pageBounds, pageOf, type Page, type PageRequest } from "../pagination.ts";
import type { ModerationAction } from "./actions.ts";
import { viewReports, type ReportView } from "./reports.ts";

/** What moderators filter accounts by: in good standing, waiting for approval, limited, log-in disabled or suspended. */
export const accountStatuses = ["active", "pending", "limited", "disabled", "suspended"] as const;
export type AccountStatus = (typeof accountStatuses)[number];

export const accountSearchSchema = z.object({
  /** Part of a username or display name; admins also match email addresses. */
  query: z.string().trim().max(100).default(""),
  status: z.enum(accountStatuses).optional(),
  /** Only moderators and admins. */
  staff: z.boolean().default(false),
  username: z.string().trim().max(100).optional(),
  displayName: z.string().trim().max(100).optional(),
  /** Admins only, like the IP address. */
  email: z.string().trim().max(320).optional(),
  ip: z.string().trim().max(64).optional(),
});
export type AccountSearch = z.input<typeof accountSearchSchema>;

/** Where an account signed in from, latest first. */
export type UsedAddress = { ip: string; usedAt: Date };

/**
 * An account as moderators list it, with who invited it. Its email and the addresses it used are admins' to see only
 * (read:user:private): null and empty for moderators.
 */
export type ListedAccount = Omit<User, "email"> & { email: string | null; invitedById: string | null; ips: UsedAddress[] };

const contains = (column: SQLiteColumn, text: string) => sql`instr(lower(${column}), lower(${text})) > 0`;

/** Where an account is in the moderation lifecycle: the strongest restriction on it. */
export function statusOf(user: Pick<User, "approved" | "moderationStatus" | "disabled">): AccountStatus {
  if (!user.approved) return "pending";
  if (user.moderationStatus === "suspended") return "suspended";
  if (user.disabled) return "disabled";
  return user.moderationStatus ?? "active";
}

/**
 * Accounts matching a search, newest first, a page at a time (moderators). Email addresses and IP addresses are only
 * searched, and only shown, for admins (read:user:private): a moderator asking for either is refused.
 */
export async function searchAccounts(ctx: DomainContext, input: AccountSearch, page: PageRequest): Promise<Page<ListedAccount>> {
  const actor = assertCan(ctx, "read:user:any");
  const search = accountSearchSchema.parse(input);
  const seesPrivate = can(actor, "read:user:private");
  if ((search.email || search.ip) && !seesPrivate) {
    throw new DomainError("forbidden", "Only admins may search by email or IP address", { code: "missing_permission" });
  }
  const bounds = pageBounds(users.id, page);
  const conditions: (SQL | undefined)[] = [bounds.where];
  if (search.query) {
    const text = search.query.replace(/^@/, "");
    conditions.push(
      sql`(${contains(users.username, text)} or ${contains(users.displayName, text)}${seesPrivate ? sql` or ${contains(users.email, text)}` : sql``})`,
    );
  }
  if (search.username) conditions.push(contains(users.username, search.username.replace(/^@/, "")));
  if (search.displayName) conditions.push(contains(users.displayName, search.displayName));
  if (search.email) conditions.push(contains(users.email, search.email));
  if (search.ip) {
    conditions.push(
      sql`(${exists(
        ctx.db
          .select({ one: sql`1` })
          .from(loginEvents)
          .where(and(eq(loginEvents.userId, users.id), eq(loginEvents.ip, search.ip))),
      )} or ${exists(
        ctx.db
          .select({ one: sql`1` })
          .from(sessions)
          .where(and(eq(sessions.userId, users.id), eq(sessions.ip, search.ip))),
      )})`,
    );
  }
  if (search.staff) conditions.push(inArray(users.role, ["moderator", "admin"]));
  if (search.status === "pending") conditions.push(eq(users.approved, false));
  else if (search.status === "active") {
    conditions.push(and(eq(users.approved, true), isNull(users.moderationStatus), eq(users.disabled, false)));
  } else if (search.status === "disabled") conditions.push(and(eq(users.approved, true), eq(users.disabled, true)));
  else if (search.status) conditions.push(and(eq(users.approved, true), eq(users.moderationStatus, search.status)));
  const rows = await ctx.db
    .select({ user: users, invitedById: invites.createdById })
    .from(users)
    .leftJoin(invites, eq(invites.id, users.inviteId))
    .where(and(...conditions))
    .orderBy(bounds.orderBy)
    .limit(page.limit);
  const ordered = newestFirst(rows, bounds.ascending);
  return pageOf(
    await asListed(ctx, ordered, seesPrivate),
    ordered.map((row) => row.user.id),
    page,
  );
}

/** Accounts by id as moderators see them (those a report names, say); ids that name no account are left out. */
export async function listedAccounts(ctx: DomainContext, ids: string[]): Promise<Map<string, ListedAccount>> {
  const actor = assertCan(ctx, "read:user:any");
  if (ids.length === 0) return new Map();
  const rows = await ctx.db
    .select({ user: users, invitedById: invites.createdById })
    .from(users)
    .leftJoin(invites, eq(invites.id, users.inviteId))
    .where(inArray(users.id, inIds([...new Set(ids)])));
  const accounts = await asListed(ctx, rows, can(actor, "read:user:private"));
  return new Map(accounts.map((account) => [account.id, account]));
}

async function asListed(
  ctx: DomainContext,
  rows: { user: User; invitedById: string | null }[],
  seesPrivate: boolean,
): Promise<ListedAccount[]> {
  const ips = seesPrivate
    ? await addressesOf(
        ctx,
        rows.map((row) => row.user.id),
      )
    : new Map<string, UsedAddress[]>();
  return rows.map(({ user, invitedById }) => ({
    ...user,
    email: seesPrivate ? user.email : null,
    invitedById,
    ips: ips.get(user.id) ?? [],
  }));
}

/** The addresses each account signed in from (log-ins and sessions), each with when it was last used, latest first. */
async function addressesOf(ctx: DomainContext, userIds: string[]): Promise<Map<string, UsedAddress[]>> {
  if (userIds.length === 0) return new Map();
  const [logins, sessionRows] = await Promise.all([
    ctx.db
      .select({ userId: loginEvents.userId, ip: loginEvents.ip, usedAt: sql<number>`max(${loginEvents.createdAt})` })
      .from(loginEvents)
      .where(and(inArray(loginEvents.userId, inIds(userIds)), eq(loginEvents.success, true)))
      .groupBy(loginEvents.userId, loginEvents.ip),
    ctx.db
      .select({ userId: sessions.userId, ip: sessions.ip, usedAt: sql<number>`max(${sessions.lastSeenAt})` })
      .from(sessions)
      .where(inArray(sessions.userId, inIds(userIds)))
      .groupBy(sessions.userId, sessions.ip),
  ]);
  const latest = new Map<string, Map<string, number>>();
  for (const { userId, ip, usedAt } of [...logins, ...sessionRows]) {
    if (!userId || !ip) continue;
    const byIp = latest.get(userId) ?? new Map<string, number>();
    byIp.set(ip, Math.max(byIp.get(ip) ?? 0, Number(usedAt)));
    latest.set(userId, byIp);
  }
  return new Map(
    [...latest].map(([userId, byIp]) => [
      userId,
      [...byIp].map(([ip, usedAt]) => ({ ip, usedAt: new Date(usedAt) })).sort((a, b) => b.usedAt.getTime() - a.usedAt.getTime()),
    ]),
  );
}

/** Where and how an account signed in: admins only. */
export interface RestrictedAccountDetail {
  email: string;
  ips: UsedAddress[];
  logins: LoginEvent[];
}

/** One account as moderators see it: its standing, the reports against it, the actions taken, its latest posts. */
export interface AccountDetail {
  account: ListedAccount;
  status: AccountStatus;
  reports: ReportView[];
  actions: ModerationAction[];
  posts: Pick<typeof posts.$inferSelect, "id" | "text" | "createdAt" | "moderationState" | "visibility">[];
  /** Null for moderators. */
  restricted: RestrictedAccountDetail | null;
}

export async function accountDetail(ctx: DomainContext, userId: string): Promise<AccountDetail> {
  const actor = assertCan(ctx, "read:user:any");
  const [row] = await ctx.db
    .select({ user: users, invitedById: invites.createdById })
    .from(users)
    .leftJoin(invites, eq(invites.id, users.inviteId))
    .where(eq(users.id, userId));
  if (!row) throw new DomainError("not_found", "Record not found");
  const { user, invitedById } = row;
  const seesPrivate = can(actor, "read:user:private");
  const [reportRows, actions, recentPosts, restricted] = await Promise.all([
    ctx.db.select().from(reports).where(eq(reports.targetAccountId, userId)).orderBy(desc(reports.id)).limit(20),
    ctx.db.select().from(moderationActions).where(eq(moderationActions.accountId, userId)).orderBy(desc(moderationActions.id)).limit(50),
    ctx.db
      .select({
        id: posts.id,
        text: posts.text,
        createdAt: posts.createdAt,
        moderationState: posts.moderationState,
        visibility: posts.visibility,
      })
      .from(posts)
      .where(eq(posts.authorId, userId))
      .orderBy(desc(posts.id))
      .limit(10),
    seesPrivate ? restrictedDetail(ctx, user) : Promise.resolve(null),
  ]);
  return {
    account: { ...user, email: seesPrivate ? user.email : null, invitedById, ips: restricted?.ips ?? [] },
    status: statusOf(user),
    reports: await viewReports(ctx, reportRows),
    actions,
    posts: recentPosts,
    restricted,
  };
}

async function restrictedDetail(ctx: DomainContext, user: User): Promise<RestrictedAccountDetail> {
  const [logins, ips] = await Promise.all([
    ctx.db.select().from(loginEvents).where(eq(loginEvents.userId, user.id)).orderBy(desc(loginEvents.id)).limit(50),
    addressesOf(ctx, [user.id]),
  ]);
  return { email: user.email, ips: ips.get(user.id) ?? [], logins };
}

const auditEntry = (moderatorId: string, action: string, targetId: string, reason: string, at: Date) => ({
  moderatorId,
  action,
  targetKind: "account" as const,
  targetId,
  reason,
  createdAt: at,
});

async function existingAccount(ctx: DomainContext, userId: string): Promise<User> {
  const user = await ctx.db.query.users.findFirst({ where: eq(users.id, userId) });
  if (!user) throw new DomainError("not_found", "Record not found");
  return user;
}

/** Admins give an account a role; not their own (so the last admin cannot demote themselves by mistake). */
export async function changeRole(ctx: DomainContext, userId: string, role: Role, at = new Date()): Promise<void> {
  const admin = assertCan(ctx, "update:role:any");
  const checked = z.enum(roles).parse(role);
  await existingAccount(ctx, userId);
  if (userId === admin.id) throw new DomainError("unprocessable", "You cannot change your own role", { code: "own_account" });
  await ctx.db.batch([
    ctx.db.update(users).set({ role: checked, updatedAt: at }).where(eq(users.id, userId)),
    ctx.db.insert(auditLog).values(auditEntry(admin.id, `role_${checked}`, userId, "", at)),
  ]);
}

/** A moderator lets a pending sign-up in: it can sign in from now on. */
export async function approveSignUp(ctx: DomainContext, userId: string, at = new Date()): Promise<void> {
  const moderator = assertCan(ctx, "approve:user:any");
  const user = await existingAccount(ctx, userId);
  if (user.approved) throw new DomainError("not_found", "No sign-up waiting with that id");
  await ctx.db.batch([
    ctx.db.update(users).set({ approved: true, updatedAt: at }).where(eq(users.id, userId)),
    ctx.db.insert(auditLog).values(auditEntry(moderator.id, "approve", userId, "", at)),
  ]);
}

/** A moderator turns a pending sign-up away: the account is deleted, as Mastodon's rejection does. */
export async function rejectSignUp(ctx: DomainContext, userId: string, at = new Date()): Promise<void> {
  const moderator = assertCan(ctx, "approve:user:any");
  const user = await existingAccount(ctx, userId);
  if (user.approved) throw new DomainError("not_found", "No sign-up waiting with that id");
  await eraseAccount(ctx, user, [ctx.db.insert(auditLog).values(auditEntry(moderator.id, "reject", userId, "", at))]);
}

/** Admins delete an account and everything it owns, with a reason for the audit log; not their own (settings do that). */
export async function deleteAccountAsAdmin(ctx: DomainContext, userId: string, reason: string, at = new Date()): Promise<void> {
  const admin = assertCan(ctx, "delete:user:any");
  if (userId === admin.id) throw new DomainError("unprocessable", "Delete your own account from your settings", { code: "own_account" });
  const user = await existingAccount(ctx, userId);
  await eraseAccount(ctx, user, [
    ctx.db.insert(auditLog).values(auditEntry(admin.id, "delete_account", userId, reason.slice(0, 1000), at)),
  ]);
}

/** Lifts a limit (Mastodon's unsilence). A limit was never told to the account, so neither is this. */
export async function unlimit(ctx: DomainContext, userId: string, reason: string, at = new Date()): Promise<void> {
  const moderator = assertCan(ctx, "suspend:user:any");
  const user = await existingAccount(ctx, userId);
  if (user.moderationStatus !== "limited") throw new DomainError("unprocessable", "That account is not limited", { code: "not_limited" });
  await ctx.db.batch([
    ctx.db.update(users).set({ moderationStatus: null }).where(eq(users.id, userId)),
    ctx.db.insert(auditLog).values(auditEntry(moderator.id, "unlimit", userId, reason.slice(0, 1000), at)),
  ]);
}
