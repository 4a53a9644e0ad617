import { and, desc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { newId } from "#db/ids.ts";
import { auditLog, invites } from "#db/schema/index.ts";
import { randomToken } from "#workers/platform/crypto.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { assertCan } from "./permissions.ts";

export type Invite = typeof invites.$inferSelect;

/** Mastodon's choices of lifetime (none, 30 minutes to a week) and of uses (unlimited, 1 to 100). */
export const inviteExpiryHours = [0.5, 1, 6, 12, 24, 168] as const;
export const inviteMaxUses = [1, 5, 10, 25, 50, 100] as const;

export const newInviteSchema = z.object({
  maxUses: z.coerce.number().int().min(1, "At least 1 use").max(100, "At most 100 uses").nullable().default(null),
  expiresInHours: z.coerce
    .number()
    .positive("A lifetime must be positive")
    .max(24 * 30, "At most 30 days")
    .nullable()
    .default(null),
});

/** Makes an invite link (moderators and admins); recorded in the audit log. */
export async function createInvite(ctx: DomainContext, input: z.input<typeof newInviteSchema>, at = new Date()): Promise<Invite> {
  const actor = assertCan(ctx, "create:invite:any");
  const data = newInviteSchema.parse(input);
  const id = newId(at.getTime());
  const [[invite]] = await ctx.db.batch([
    ctx.db
      .insert(invites)
      .values({
        id,
        code: randomToken(12),
        createdById: actor.id,
        maxUses: data.maxUses,
        expiresAt: data.expiresInHours === null ? null : new Date(at.getTime() + data.expiresInHours * 3600_000),
        createdAt: at,
      })
      .returning(),
    ctx.db
      .insert(auditLog)
      .values({ moderatorId: actor.id, action: "create_invite", targetKind: "settings", targetId: id, reason: "", createdAt: at }),
  ]);
  return invite!;
}

/** Invite links still usable, newest first. */
export function activeInvites(ctx: DomainContext, at = new Date()): Promise<Invite[]> {
  assertCan(ctx, "create:invite:any");
  return ctx.db.select().from(invites).where(usable(at)).orderBy(desc(invites.id)).limit(100);
}

/** Revokes an invite link: no one can sign up with it any more. */
export async function revokeInvite(ctx: DomainContext, inviteId: string, at = new Date()): Promise<void> {
  const actor = assertCan(ctx, "create:invite:any");
  const [revoked] = await ctx.db.batch([
    ctx.db
      .update(invites)
      .set({ revokedAt: at })
      .where(and(eq(invites.id, inviteId), isNull(invites.revokedAt)))
      .returning({ id: invites.id }),
    ctx.db
      .insert(auditLog)
      .values({ moderatorId: actor.id, action: "revoke_invite", targetKind: "settings", targetId: inviteId, reason: "", createdAt: at }),
  ]);
  if (revoked.length === 0) throw new DomainError("not_found", "Record not found");
}

/** Not revoked, not expired, not used up. */
function usable(at: Date) {
  return and(
    isNull(invites.revokedAt),
    or(isNull(invites.expiresAt), gt(invites.expiresAt, at)),
    or(isNull(invites.maxUses), lt(invites.uses, invites.maxUses)),
  );
}

/** The invite a code names, when it can still be used; anything else is refused with the same words. */
export async function usableInvite(ctx: DomainContext, code: string, at = new Date()): Promise<Invite> {
  const invite = await ctx.db.query.invites.findFirst({ where: and(eq(invites.code, code), usable(at)) });
  if (!invite) {
    throw new DomainError("unprocessable", "This invite link has expired, been used up or been revoked", {
      code: "invalid_invite",
      fields: { invite: "This invite link has expired, been used up or been revoked" },
    });
  }
  return invite;
}

/**
 * Counts one use, in the sign-up's own batch. usableInvite checked the link just before: two sign-ups racing for its
 * last use may both land, one over the limit (accepted: a count of uses, not a lock).
 */
export function useInviteStatement(ctx: DomainContext, inviteId: string) {
  return ctx.db
    .update(invites)
    .set({ uses: sql`${invites.uses} + 1` })
    .where(eq(invites.id, inviteId));
}
