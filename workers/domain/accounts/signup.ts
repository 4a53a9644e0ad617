import { sql } from "drizzle-orm";
import { z } from "zod";
import { users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { sendEmail } from "../email.ts";
import { renderEmail } from "../email-templates.ts";
import { sendVerificationEmail } from "./email-verification.ts";
import { createUser, emailSchema, passwordSchema, usernameSchema, type User } from "./users.ts";

export const signupSchema = z.object({
  username: usernameSchema,
  email: emailSchema,
  password: passwordSchema,
  displayName: z.string().trim().max(50, "Display names are at most 50 characters").default(""),
  /** A field people never see or fill in; bots fill in everything. */
  website: z.string().optional(),
});

export type SignupInput = z.input<typeof signupSchema>;

export type SignupResult =
  | { kind: "created"; user: User }
  /** Nothing was created, but the response must look like success (a bot, or an address already in use). */
  | { kind: "silent" };

/**
 * Creates an unverified account and emails a verification link (the door then signs it in: a session for pages, a
 * token for the API). A taken username is said plainly
 * (usernames are public); a taken email is not: the owner of that address is told someone tried, and the response
 * looks like any other sign-up, so the form cannot be used to learn who has an account.
 */
export async function signUp(ctx: DomainContext, input: SignupInput, origin: string): Promise<SignupResult> {
  const data = signupSchema.parse(input);
  if (data.website) return { kind: "silent" };
  const [existing] = await ctx.db
    .select({ username: users.username, email: users.email })
    .from(users)
    .where(sql`lower(${users.username}) = lower(${data.username}) or lower(${users.email}) = lower(${data.email})`);
  if (existing && existing.username.toLowerCase() === data.username.toLowerCase()) {
    throw new DomainError("conflict", "That username is taken", { fields: { username: "That username is taken" } });
  }
  if (existing) {
    await sendEmail(
      ctx,
      renderEmail({
        to: existing.email,
        subject: `Someone tried to sign up to ${ctx.config.INSTANCE_TITLE} with your email`,
        paragraphs: [
          `Someone tried to create an account with this email address, but you already have one: @${existing.username}.`,
          "If it was you, log in instead, or reset your password if you have forgotten it.",
        ],
        action: { label: "Reset my password", url: `${origin}/forgot-password` },
      }),
    );
    return { kind: "silent" };
  }
  const user = await createUser(ctx, {
    username: data.username,
    email: data.email,
    password: data.password,
    displayName: data.displayName || data.username,
  });
  await sendVerificationEmail(ctx, user, origin);
  return { kind: "created", user };
}
