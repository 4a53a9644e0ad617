import { and, eq, isNull } from "drizzle-orm";
import { recoveryCodes, twoFactorSecrets } from "#db/schema/index.ts";
import { seal, sha256Hex, unseal } from "#workers/platform/crypto.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { matchTotp, newTotpSecret, otpauthUri } from "./totp.ts";
import type { User } from "./users.ts";

const SEAL_PURPOSE = "totp-secret";
const RECOVERY_CODE_COUNT = 10;

export async function hasTwoFactor(ctx: DomainContext, userId: string): Promise<boolean> {
  const row = await ctx.db.query.twoFactorSecrets.findFirst({ where: eq(twoFactorSecrets.userId, userId) });
  return Boolean(row?.enabledAt);
}

/** Starts (or restarts) setup: a new secret, not yet in force, and the URI for the QR code. */
export async function beginTwoFactorSetup(ctx: DomainContext, user: Pick<User, "id" | "username">) {
  if (await hasTwoFactor(ctx, user.id)) throw new DomainError("conflict", "Two-factor authentication is already on");
  const secret = newTotpSecret();
  const sealed = await seal(ctx.config.SESSION_SECRET, SEAL_PURPOSE, secret);
  await ctx.db
    .insert(twoFactorSecrets)
    .values({ userId: user.id, secret: sealed, createdAt: new Date() })
    .onConflictDoUpdate({
      target: twoFactorSecrets.userId,
      set: { secret: sealed, createdAt: new Date(), enabledAt: null, lastUsedStep: null },
    });
  return { secret, uri: otpauthUri(secret, user.username, ctx.config.INSTANCE_TITLE) };
}

/** The secret being set up, for showing its QR code again. */
export async function pendingTwoFactorSecret(ctx: DomainContext, user: Pick<User, "id" | "username">) {
  const row = await ctx.db.query.twoFactorSecrets.findFirst({ where: eq(twoFactorSecrets.userId, user.id) });
  if (!row || row.enabledAt) return undefined;
  const secret = await unseal(ctx.config.SESSION_SECRET, SEAL_PURPOSE, row.secret);
  return { secret, uri: otpauthUri(secret, user.username, ctx.config.INSTANCE_TITLE) };
}

/** Checks a TOTP code against the user's secret, refusing a code whose time step was already used. */
async function acceptTotp(ctx: DomainContext, userId: string, code: string, requireEnabled: boolean): Promise<boolean> {
  const row = await ctx.db.query.twoFactorSecrets.findFirst({ where: eq(twoFactorSecrets.userId, userId) });
  if (!row || (requireEnabled && !row.enabledAt)) return false;
  const step = await matchTotp(await unseal(ctx.config.SESSION_SECRET, SEAL_PURPOSE, row.secret), code);
  if (step === undefined || (row.lastUsedStep !== null && step <= row.lastUsedStep)) return false;
  await ctx.db.update(twoFactorSecrets).set({ lastUsedStep: step }).where(eq(twoFactorSecrets.userId, userId));
  return true;
}

/** Finishes setup with a code from the app; returns the recovery codes, which are shown once. */
export async function confirmTwoFactor(ctx: DomainContext, userId: string, code: string): Promise<string[]> {
  if (!(await acceptTotp(ctx, userId, code, false))) {
    throw new DomainError("unprocessable", "That code is not right; check your app's clock and try the current code", {
      fields: {
        code: "That code is not right",
      },
    });
  }
  await ctx.db.update(twoFactorSecrets).set({ enabledAt: new Date() }).where(eq(twoFactorSecrets.userId, userId));
  return replaceRecoveryCodes(ctx, userId);
}

/** Letters and digits that cannot be mistaken for each other when copied from paper. */
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

function recoveryCode(): string {
  const chars = [...crypto.getRandomValues(new Uint8Array(10))].map((byte) => RECOVERY_ALPHABET[byte % RECOVERY_ALPHABET.length]);
  return `${chars.slice(0, 5).join("")}-${chars.slice(5).join("")}`;
}

/** Ten fresh single-use recovery codes (xxxxx-xxxxx, about 49 bits each); the old ones stop working. */
export async function replaceRecoveryCodes(ctx: DomainContext, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, recoveryCode);
  const rows = await Promise.all(codes.map(async (code) => ({ userId, codeHash: await sha256Hex(code) })));
  await ctx.db.batch([ctx.db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)), ctx.db.insert(recoveryCodes).values(rows)]);
  return codes;
}

export async function remainingRecoveryCodes(ctx: DomainContext, userId: string): Promise<number> {
  const rows = await ctx.db
    .select({ id: recoveryCodes.id })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return rows.length;
}

/** A second factor: the current TOTP code, or an unused recovery code (which is then used up). */
export async function verifySecondFactor(ctx: DomainContext, userId: string, code: string): Promise<"totp" | "recovery-code" | undefined> {
  const trimmed = code.trim().toLowerCase();
  if (/^\d{3}\s?\d{3}$/.test(trimmed)) return (await acceptTotp(ctx, userId, trimmed, true)) ? "totp" : undefined;
  const [used] = await ctx.db
    .update(recoveryCodes)
    .set({ usedAt: new Date() })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, await sha256Hex(trimmed)), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return used ? "recovery-code" : undefined;
}

export async function disableTwoFactor(ctx: DomainContext, userId: string): Promise<void> {
  await ctx.db.batch([
    ctx.db.delete(twoFactorSecrets).where(eq(twoFactorSecrets.userId, userId)),
    ctx.db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
  ]);
}
