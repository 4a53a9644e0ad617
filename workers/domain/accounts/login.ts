import { and, desc, eq, gt, sql } from "drizzle-orm";
import { loginEvents, passwords, users } from "#db/schema/index.ts";
import { keyedHashHex } from "#workers/platform/crypto.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { hashPassword, needsRehash, verifyPassword } from "./passwords.ts";
import { createSession, type Client } from "./sessions.ts";
import { hasTwoFactor, verifySecondFactor } from "./two-factor.ts";
import type { User } from "./users.ts";
import { consumeVerification, issueVerification, peekVerification } from "./verifications.ts";

export type LoginEvent = typeof loginEvents.$inferSelect;

export type LoginResult =
  | { kind: "signed-in"; user: User; sessionToken: string }
  | { kind: "two-factor"; challenge: string }
  | { kind: "throttled"; retryAfterSeconds: number }
  | { kind: "invalid" };

/**
 * Failed attempts slow down only the pair (account, address) they come from: after FREE_FAILURES, each further
 * attempt must wait twice as long as the one before, up to MAX_DELAY. Someone guessing from their own address cannot
 * lock the owner out from theirs. An identifier that names no account is throttled in the same way (its failures are
 * counted by a keyed hash of what was typed), so the 429 does not tell which accounts exist. A wider limit per address
 * comes from the AUTH_RATE_LIMIT binding at the door.
 */
const FREE_FAILURES = 5;
const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 5 * 60 * 1000;

export function throttleDelayMs(recentFailures: number): number {
  if (recentFailures < FREE_FAILURES) return 0;
  return Math.min(BASE_DELAY_MS * 2 ** (recentFailures - FREE_FAILURES), MAX_DELAY_MS);
}

/** Whose failures an attempt counts against: the account when there is one, else the identifier typed. */
type Attempted = { userId: string; identifierHash?: never } | { userId?: never; identifierHash: string };

function identifierHash(ctx: DomainContext, identifier: string): Promise<string> {
  return keyedHashHex(ctx.config.SESSION_SECRET, "login-identifier", identifier.trim().replace(/^@/, "").toLowerCase());
}

/** How long (ms) the next attempt on this account, or identifier, from this address must still wait. */
async function throttleWait(ctx: DomainContext, attempted: Attempted, ip: string | null, now: number): Promise<number> {
  const failures = await ctx.db
    .select({ createdAt: loginEvents.createdAt })
    .from(loginEvents)
    .where(
      and(
        attempted.userId ? eq(loginEvents.userId, attempted.userId) : eq(loginEvents.identifierHash, attempted.identifierHash!),
        eq(loginEvents.success, false),
        ip === null ? sql`${loginEvents.ip} is null` : eq(loginEvents.ip, ip),
        gt(loginEvents.createdAt, new Date(now - THROTTLE_WINDOW_MS)),
      ),
    )
    .orderBy(desc(loginEvents.createdAt));
  const delay = throttleDelayMs(failures.length);
  const last = failures[0]?.createdAt.getTime() ?? 0;
  return Math.max(0, last + delay - now);
}

async function recordLogin(
  ctx: DomainContext,
  event: Attempted & { success: boolean; method: string; reason?: string },
  client: Client,
): Promise<void> {
  await ctx.db.insert(loginEvents).values({
    ...event,
    ip: client.ip,
    userAgent: client.userAgent?.slice(0, 400) ?? null,
    createdAt: new Date(),
  });
}

/**
 * Checks a proof of identity (a password or code) from someone already signed in, under the log-in throttle of their
 * account and address: a wrong proof counts as a failed attempt, and past the free ones a further proof is refused
 * with a wait, as log-in is. `check` says whether the proof is right.
 */
export async function throttledProof(ctx: DomainContext, userId: string, client: Client, check: () => Promise<boolean>): Promise<boolean> {
  const wait = await throttleWait(ctx, { userId }, client.ip, Date.now());
  if (wait > 0) throw throttledError(Math.ceil(wait / 1000));
  if (await check()) return true;
  await recordLogin(ctx, { userId, success: false, method: "confirm", reason: "wrong-proof" }, client);
  return false;
}

export function throttledError(retryAfterSeconds: number): DomainError {
  return new DomainError("throttled", `Too many attempts. Wait ${retryAfterSeconds} seconds and try again.`, { retryAfterSeconds });
}

/** Hashing a password nobody has keeps a miss as slow as a hit, so timing does not tell which accounts exist. */
let decoyHash: Promise<string> | undefined;

export function findUserByLogin(ctx: DomainContext, identifier: string): Promise<User | undefined> {
  const value = identifier.trim();
  return ctx.db.query.users.findFirst({
    where: sql`lower(${users.username}) = lower(${value.replace(/^@/, "")}) or lower(${users.email}) = lower(${value})`,
  });
}

/** Checks a username-or-email and password. Every failure looks the same to the caller. */
export async function logIn(ctx: DomainContext, input: { identifier: string; password: string }, client: Client): Promise<LoginResult> {
  const user = await findUserByLogin(ctx, input.identifier);
  const attempted: Attempted = user ? { userId: user.id } : { identifierHash: await identifierHash(ctx, input.identifier) };
  const wait = await throttleWait(ctx, attempted, client.ip, Date.now());
  if (wait > 0) return { kind: "throttled", retryAfterSeconds: Math.ceil(wait / 1000) };

  const stored = user && (await ctx.db.query.passwords.findFirst({ where: eq(passwords.userId, user.id) }));
  if (!user || !stored) {
    decoyHash ??= hashPassword(crypto.randomUUID());
    await verifyPassword(input.password, await decoyHash);
    await recordLogin(ctx, { ...attempted, success: false, method: "password", reason: user ? "no-password" : "no-account" }, client);
    return { kind: "invalid" };
  }
  if (!(await verifyPassword(input.password, stored.hash))) {
    await recordLogin(ctx, { userId: user.id, success: false, method: "password", reason: "wrong-password" }, client);
    return { kind: "invalid" };
  }
  if (needsRehash(stored.hash)) {
    await ctx.db
      .update(passwords)
      .set({ hash: await hashPassword(input.password), updatedAt: new Date() })
      .where(eq(passwords.userId, user.id));
  }
  return beginSession(ctx, user, "password", client);
}

/** Mastodon's words for a sign-up still waiting for a moderator. */
export const PENDING_MESSAGE = "Your login is currently pending approval";

/** Mastodon's words for a log-in a moderator disabled. */
export const DISABLED_MESSAGE = "Your login is currently disabled";

/**
 * An account waiting for a moderator's approval, or whose log-in a moderator disabled (ADR 0056), cannot sign in, by
 * any door (its tokens included). A suspended one can, to a restricted view (ADR 0049).
 */
export function assertMaySignIn(user: Pick<User, "approved" | "disabled">): void {
  if (!user.approved) throw new DomainError("forbidden", PENDING_MESSAGE, { code: "pending_approval" });
  if (user.disabled) throw new DomainError("forbidden", DISABLED_MESSAGE, { code: "login_disabled" });
}

/**
 * After a first factor (a password, or a provider's sign-in): a session, or, for accounts with two-factor
 * authentication, a challenge for the second factor. No way of signing in skips the second factor.
 */
export async function beginSession(ctx: DomainContext, user: User, method: string, client: Client): Promise<LoginResult> {
  assertMaySignIn(user);
  if (await hasTwoFactor(ctx, user.id)) {
    const challenge = await issueVerification(ctx, { purpose: "two-factor-login", userId: user.id, payload: { method } });
    return { kind: "two-factor", challenge };
  }
  return completeLogin(ctx, user, method, client);
}

/** Starts the session for a user who has proven who they are, and records it. */
async function completeLogin(ctx: DomainContext, user: User, method: string, client: Client): Promise<LoginResult> {
  await recordLogin(ctx, { userId: user.id, success: true, method }, client);
  return { kind: "signed-in", user, sessionToken: await createSession(ctx, user.id, client) };
}

/**
 * The second step for accounts with two-factor authentication: a code from the authenticator app or a recovery code.
 * A wrong code leaves the challenge usable (until it expires) and counts as a failed attempt.
 */
export async function completeTwoFactorLogin(
  ctx: DomainContext,
  input: { challenge: string; code: string },
  client: Client,
): Promise<LoginResult> {
  const pending = await peekVerification(ctx, "two-factor-login", input.challenge);
  const user = pending?.userId ? await ctx.db.query.users.findFirst({ where: eq(users.id, pending.userId) }) : undefined;
  if (!pending || !user) return { kind: "invalid" };
  const wait = await throttleWait(ctx, { userId: user.id }, client.ip, Date.now());
  if (wait > 0) return { kind: "throttled", retryAfterSeconds: Math.ceil(wait / 1000) };
  const method = await verifySecondFactor(ctx, user.id, input.code);
  if (!method) {
    await recordLogin(ctx, { userId: user.id, success: false, method: "two-factor", reason: "wrong-code" }, client);
    return { kind: "invalid" };
  }
  if (!(await consumeVerification(ctx, "two-factor-login", input.challenge))) return { kind: "invalid" };
  const firstFactor = typeof pending.payload?.method === "string" ? pending.payload.method : "password";
  return completeLogin(ctx, user, `${firstFactor}+${method}`, client);
}

export function loginHistory(ctx: DomainContext, userId: string, limit = 50): Promise<LoginEvent[]> {
  return ctx.db.select().from(loginEvents).where(eq(loginEvents.userId, userId)).orderBy(desc(loginEvents.id)).limit(limit);
}
