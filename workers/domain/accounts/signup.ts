import { sql } from "drizzle-orm";
import { z } from "zod";
import { users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { recentlyEmailed, sendEmail } from "../email.ts";
import { renderEmail } from "../email-templates.ts";
import { sendVerificationEmail } from "./email-verification.ts";
import { admissionFor } from "./registrations.ts";
import { createUser, emailSchema, passwordSchema, usernameSchema, type User } from "./users.ts";

export const signupSchema = z.object({
  username: usernameSchema,
  email: emailSchema,
  password: passwordSchema,
  displayName: z.string().trim().max(50, "Display names are at most 50 characters").default(""),
  /** A field people never see or fill in; bots fill in everything. */
  website: z.string().optional(),
  /** Why they want to join, for the moderators when registrations need approval. */
  reason: z.string().trim().max(1000, "Say it in at most 1000 characters").default(""),
  /** The code of an invite link, which lets them in whatever the registrations mode. */
  invite: z.string().trim().max(64).optional(),
});

export type SignupInput = z.input<typeof signupSchema>;

export type SignupResult =
  | { kind: "created"; user: User }
  /** Nothing was created, but the response must look like success: a bot filled in the hidden field. */
  | { kind: "silent" };

/** The owner of an address someone tried to sign up with hears of it at most this often, however many tries. */
const ATTEMPT_NOTICE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Creates an unverified account and emails a verification link (the door then signs it in: a session for pages, a
 * token for the API), when registrations let them in: closed, only with an invite; by approval, the account waits
 * for a moderator and cannot sign in until then (ADR 0050). A taken username or email is said plainly, in every door (ADR 0026: the API has to say it, as
 * Mastodon's does, so the page hiding it would protect nothing); guessing addresses costs one attempt each against the
 * doors' shared sign-up rate limit. The owner of a taken email is told someone tried, at most once an hour.
 */
export async function signUp(ctx: DomainContext, input: SignupInput, origin: string): Promise<SignupResult> {
  const data = signupSchema.parse(input);
  if (data.website) return { kind: "silent" };
  const admission = await admissionFor(ctx, data.invite);
  const [existing] = await ctx.db
    .select({ username: users.username, email: users.email })
    .from(users)
    .where(sql`lower(${users.username}) = lower(${data.username}) or lower(${users.email}) = lower(${data.email})`);
  if (existing && existing.username.toLowerCase() === data.username.toLowerCase()) {
    throw new DomainError("conflict", "That username is taken", { fields: { username: "That username is taken" } });
  }
  if (existing) {
    await tellOwnerOfAttempt(ctx, existing, origin);
    throw new DomainError("conflict", "That email address is already in use", {
      fields: { email: "An account already uses this email. Log in, or reset your password if you have forgotten it." },
    });
  }
  const user = await createUser(ctx, {
    username: data.username,
    email: data.email,
    password: data.password,
    displayName: data.displayName || data.username,
    signUp: { approved: admission.approved, reason: data.reason, inviteId: admission.inviteId },
  });
  await sendVerificationEmail(ctx, user, origin);
  return { kind: "created", user };
}

/** Someone tried to sign up with this account's email: its owner hears of it, once an hour at most (a flood stops here). */
async function tellOwnerOfAttempt(ctx: DomainContext, owner: { username: string; email: string }, origin: string): Promise<void> {
  if (await recentlyEmailed(ctx, "signup-attempt", owner.email, ATTEMPT_NOTICE_INTERVAL_MS)) return;
  await sendEmail(ctx, {
    ...renderEmail({
      to: owner.email,
      subject: `Someone tried to sign up to ${ctx.config.INSTANCE_TITLE} with your email`,
      paragraphs: [
        `Someone tried to create an account with this email address, but you already have one: @${owner.username}.`,
        "If it was you, log in instead, or reset your password if you have forgotten it.",
      ],
      action: { label: "Reset my password", url: `${origin}/forgot-password` },
    }),
    kind: "signup-attempt",
  });
}
