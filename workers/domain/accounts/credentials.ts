import { eq } from "drizzle-orm";
import { passwords, users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { assertEmailAllowed } from "../moderation/email-blocks.ts";
import { DomainError } from "../errors.ts";
import { sendEmail } from "../email.ts";
import { renderEmail } from "../email-templates.ts";
import { createPersonalAccessToken, revokeAllTokens } from "../clients/tokens.ts";
import { findUserByLogin, throttledProof } from "./login.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import { revokeAllSessions, type Client } from "./sessions.ts";
import { hasTwoFactor, verifySecondFactor } from "./two-factor.ts";
import type { User } from "./users.ts";
import { consumeVerification, issueVerification, voidVerifications } from "./verifications.ts";

export async function hasPassword(ctx: DomainContext, userId: string): Promise<boolean> {
  return Boolean(await ctx.db.query.passwords.findFirst({ where: eq(passwords.userId, userId), columns: { userId: true } }));
}

/**
 * Proof that the person at the keyboard is the account holder, for dangerous changes: the password, or, for accounts
 * with two-factor authentication, a current code instead. Wrong proofs are throttled like log-ins (a stolen session
 * must not become a way to guess the password); past the free ones this throws a throttled DomainError.
 */
export function confirmIdentity(
  ctx: DomainContext,
  userId: string,
  proof: { password?: string; code?: string },
  client: Client,
): Promise<boolean> {
  return throttledProof(ctx, userId, client, async () => {
    if (proof.password) {
      const stored = await ctx.db.query.passwords.findFirst({ where: eq(passwords.userId, userId) });
      if (stored && (await verifyPassword(proof.password, stored.hash))) return true;
    }
    if (proof.code && (await hasTwoFactor(ctx, userId))) return Boolean(await verifySecondFactor(ctx, userId, proof.code));
    return false;
  });
}

/**
 * A personal access token acts as the account from anywhere, so making one needs the same proof as other dangerous
 * changes (the password, or a current two-factor code). Returns the token, shown once.
 */
export async function createConfirmedPersonalAccessToken(
  ctx: DomainContext,
  userId: string,
  input: { name: string; scopes: string[]; proof: { password?: string; code?: string } },
  client: Client,
): Promise<string> {
  if (!(await confirmIdentity(ctx, userId, input.proof, client))) {
    throw new DomainError("unprocessable", "Confirm with your password (or a current two-factor code) to create a token.", {
      fields: { password: "That is not your password or a current code" },
    });
  }
  return createPersonalAccessToken(ctx, userId, input.name, input.scopes);
}

/**
 * Ends every way into the account but the browser session kept (none after a reset): the other sessions, and every
 * app's and personal access token, since whoever knew the old password may have made some.
 */
async function endOtherAccess(ctx: DomainContext, userId: string, keepSessionId?: string): Promise<void> {
  await revokeAllSessions(ctx, userId, keepSessionId);
  await revokeAllTokens(ctx, userId);
}

async function setPassword(ctx: DomainContext, userId: string, password: string): Promise<void> {
  const hash = await hashPassword(password);
  await ctx.db
    .insert(passwords)
    .values({ userId, hash, updatedAt: new Date() })
    .onConflictDoUpdate({ target: passwords.userId, set: { hash, updatedAt: new Date() } });
}

/**
 * Emails a one-hour reset link when the username or email belongs to an account. The caller says the same thing
 * either way.
 */
export async function requestPasswordReset(ctx: DomainContext, identifier: string, origin: string): Promise<void> {
  const user = await findUserByLogin(ctx, identifier);
  if (!user) return;
  await voidVerifications(ctx, user.id, "reset-password");
  const token = await issueVerification(ctx, { purpose: "reset-password", userId: user.id });
  await sendEmail(
    ctx,
    renderEmail({
      to: user.email,
      subject: `Reset your ${ctx.config.INSTANCE_TITLE} password`,
      paragraphs: [`Someone asked to reset the password of @${user.username}.`, "The link works once, for one hour."],
      action: { label: "Choose a new password", url: `${origin}/reset-password?token=${encodeURIComponent(token)}` },
      footer: "If this was not you, ignore this email; your password has not changed.",
    }),
  );
}

/** Sets a new password from a reset link, and signs the account out everywhere, apps and tokens included. */
export async function resetPassword(ctx: DomainContext, token: string, password: string): Promise<User | undefined> {
  const verification = await consumeVerification(ctx, "reset-password", token);
  const user = verification?.userId ? await ctx.db.query.users.findFirst({ where: eq(users.id, verification.userId) }) : undefined;
  if (!user) return undefined;
  await setPassword(ctx, user.id, password);
  await endOtherAccess(ctx, user.id);
  return user;
}

/** Changes the password after checking the current one; every other session, app and token of the account ends. */
export async function changePassword(
  ctx: DomainContext,
  input: { userId: string; current: string; next: string; keepSessionId: string },
  client: Client,
): Promise<void> {
  if ((await hasPassword(ctx, input.userId)) && !(await confirmIdentity(ctx, input.userId, { password: input.current }, client))) {
    throw new DomainError("unprocessable", "Your current password is not right", {
      fields: { current: "That is not your current password" },
    });
  }
  await setPassword(ctx, input.userId, input.next);
  await endOtherAccess(ctx, input.userId, input.keepSessionId);
}

/**
 * Starts an email change: nothing changes until the new address proves it is theirs by its link. The old address is
 * told, so a stolen session cannot quietly take over the account's recovery address.
 */
export async function requestEmailChange(
  ctx: DomainContext,
  input: { user: User; newEmail: string; password: string },
  origin: string,
  client: Client,
): Promise<void> {
  if (!(await confirmIdentity(ctx, input.user.id, { password: input.password }, client))) {
    throw new DomainError("unprocessable", "Your password is not right", { fields: { password: "That is not your password" } });
  }
  await assertEmailAllowed(ctx, input.newEmail);
  await voidVerifications(ctx, input.user.id, "change-email");
  const token = await issueVerification(ctx, { purpose: "change-email", userId: input.user.id, payload: { email: input.newEmail } });
  await sendEmail(
    ctx,
    renderEmail({
      to: input.newEmail,
      subject: `Confirm your new email for ${ctx.config.INSTANCE_TITLE}`,
      paragraphs: [`@${input.user.username} asked to use this address. It takes effect when you confirm it.`],
      action: { label: "Confirm my new email", url: `${origin}/verify-email?change=1&token=${encodeURIComponent(token)}` },
    }),
  );
  await sendEmail(
    ctx,
    renderEmail({
      to: input.user.email,
      subject: `Your ${ctx.config.INSTANCE_TITLE} email is changing`,
      paragraphs: [
        `Someone signed in as @${input.user.username} asked to change the account's email to ${input.newEmail}.`,
        "If this was not you, change your password now: the change only happens if the new address confirms it.",
      ],
    }),
  );
}

/** Applies an email change from its link; refuses when the address has meanwhile been taken by someone else. */
export async function confirmEmailChange(ctx: DomainContext, token: string): Promise<User | undefined> {
  const verification = await consumeVerification(ctx, "change-email", token);
  const email = verification?.payload?.email;
  if (!verification?.userId || typeof email !== "string") return undefined;
  const taken = await findUserByLogin(ctx, email);
  if (taken && taken.id !== verification.userId) return undefined;
  const [user] = await ctx.db
    .update(users)
    .set({ email, emailVerifiedAt: new Date(), updatedAt: new Date() })
    .where(eq(users.id, verification.userId))
    .returning();
  return user;
}
