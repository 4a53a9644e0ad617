import { and, eq, gt, isNull } from "drizzle-orm";
import { verifications, type verificationPurposes } from "#db/schema/index.ts";
import { randomToken, sha256Hex } from "#workers/platform/crypto.ts";
import type { DomainContext } from "../context.ts";

export type VerificationPurpose = (typeof verificationPurposes)[number];
export type Verification = typeof verifications.$inferSelect;

/** How long each kind of link or code stays valid. */
export const VERIFICATION_LIFETIME_MS: Record<VerificationPurpose, number> = {
  "verify-email": 24 * 60 * 60 * 1000,
  "change-email": 24 * 60 * 60 * 1000,
  "reset-password": 60 * 60 * 1000,
  "two-factor-login": 10 * 60 * 1000,
  "oauth-code": 10 * 60 * 1000,
};

/** Makes a single-use token for a purpose; only its hash is stored. Returns the token to send or show. */
export async function issueVerification(
  ctx: DomainContext,
  input: { purpose: VerificationPurpose; userId: string | null; payload?: Record<string, unknown>; now?: number },
): Promise<string> {
  const token = randomToken();
  const now = input.now ?? Date.now();
  await ctx.db.insert(verifications).values({
    purpose: input.purpose,
    userId: input.userId,
    tokenHash: await sha256Hex(token),
    payload: input.payload ?? null,
    createdAt: new Date(now),
    expiresAt: new Date(now + VERIFICATION_LIFETIME_MS[input.purpose]),
  });
  return token;
}

/**
 * Uses a token: succeeds once, for its purpose, before it expires. The check and the marking are one UPDATE, so two
 * requests racing with the same token cannot both succeed.
 */
export async function consumeVerification(
  ctx: DomainContext,
  purpose: VerificationPurpose,
  token: string,
): Promise<Verification | undefined> {
  const now = new Date();
  const [row] = await ctx.db
    .update(verifications)
    .set({ usedAt: now })
    .where(
      and(
        eq(verifications.tokenHash, await sha256Hex(token)),
        eq(verifications.purpose, purpose),
        isNull(verifications.usedAt),
        gt(verifications.expiresAt, now),
      ),
    )
    .returning();
  return row;
}

/** Reads a token without using it (to show a form before the final step). */
export async function peekVerification(ctx: DomainContext, purpose: VerificationPurpose, token: string) {
  return ctx.db.query.verifications.findFirst({
    where: and(
      eq(verifications.tokenHash, await sha256Hex(token)),
      eq(verifications.purpose, purpose),
      isNull(verifications.usedAt),
      gt(verifications.expiresAt, new Date()),
    ),
  });
}

/** Voids a user's outstanding tokens of one purpose, e.g. when a new link is sent. */
export async function voidVerifications(ctx: DomainContext, userId: string, purpose: VerificationPurpose): Promise<void> {
  await ctx.db
    .update(verifications)
    .set({ usedAt: new Date() })
    .where(and(eq(verifications.userId, userId), eq(verifications.purpose, purpose), isNull(verifications.usedAt)));
}
