import { and, desc, eq, gt, ne, type SQL } from "drizzle-orm";
import { sessions, users } from "#db/schema/index.ts";
import { randomToken, sha256Hex } from "#workers/platform/crypto.ts";
import type { DomainContext } from "../context.ts";
import { commit } from "../events/outbox.ts";
import { signedOut } from "./live-credentials.ts";
import type { User } from "./users.ts";

export type Session = typeof sessions.$inferSelect;

/** Sessions last 30 days from their last use. */
export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/** Last-seen is written at most this often, so reading a page does not always cost a write. */
const TOUCH_INTERVAL_MS = 5 * 60 * 1000;

export interface Client {
  ip: string | null;
  userAgent: string | null;
}

/** Starts a session; returns the token for the cookie. */
export async function createSession(ctx: DomainContext, userId: string, client: Client): Promise<string> {
  const token = randomToken();
  const now = Date.now();
  await ctx.db.insert(sessions).values({
    id: await sha256Hex(token),
    userId,
    ip: client.ip,
    userAgent: client.userAgent?.slice(0, 400) ?? null,
    createdAt: new Date(now),
    lastSeenAt: new Date(now),
    expiresAt: new Date(now + SESSION_LIFETIME_MS),
  });
  return token;
}

/** The user behind a session cookie, when the session exists and has not expired; extends it when in use. */
export async function userForSession(ctx: DomainContext, token: string): Promise<{ user: User; session: Session } | undefined> {
  const id = await sha256Hex(token);
  const now = Date.now();
  const [row] = await ctx.db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, new Date(now))));
  if (!row) return undefined;
  if (now - row.session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await ctx.db
      .update(sessions)
      .set({ lastSeenAt: new Date(now), expiresAt: new Date(now + SESSION_LIFETIME_MS) })
      .where(eq(sessions.id, id));
  }
  return row;
}

export function listSessions(ctx: DomainContext, userId: string): Promise<Session[]> {
  return ctx.db.select().from(sessions).where(eq(sessions.userId, userId)).orderBy(desc(sessions.lastSeenAt));
}

/**
 * Ends sessions of the user matching the condition, with the event that closes what they had open (live-credentials.ts).
 * A suspended account may sign out too. Returns how many ended.
 */
async function endSessions(ctx: DomainContext, userId: string, condition: SQL | undefined): Promise<number> {
  const [ended] = await commit(
    ctx,
    [
      ctx.db
        .delete(sessions)
        .where(and(eq(sessions.userId, userId), condition))
        .returning({ id: sessions.id }),
    ],
    [signedOut(userId)],
    { suspendedMay: true },
  );
  return ended.length;
}

/** Ends one of the user's sessions (only their own). */
export async function revokeSession(ctx: DomainContext, userId: string, sessionId: string): Promise<boolean> {
  return (await endSessions(ctx, userId, eq(sessions.id, sessionId))) > 0;
}

/** Ends every session of the user, except the one given (the one making the request). */
export function revokeAllSessions(ctx: DomainContext, userId: string, except?: string): Promise<number> {
  return endSessions(ctx, userId, except ? ne(sessions.id, except) : undefined);
}

/** Signing out: the session behind this cookie ends. */
export async function endSession(ctx: DomainContext, token: string): Promise<void> {
  const id = await sha256Hex(token);
  const session = await ctx.db.query.sessions.findFirst({ where: eq(sessions.id, id), columns: { userId: true } });
  if (session) await endSessions(ctx, session.userId, eq(sessions.id, id));
}
