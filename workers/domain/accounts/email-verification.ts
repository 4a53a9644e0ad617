import { eq } from "drizzle-orm";
import { users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { sendEmail } from "../email.ts";
import { renderEmail } from "../email-templates.ts";
import type { User } from "./users.ts";
import { consumeVerification, issueVerification, voidVerifications } from "./verifications.ts";

/** Sends (or re-sends) the link that proves the user owns their address; earlier links stop working. */
export async function sendVerificationEmail(ctx: DomainContext, user: Pick<User, "id" | "email" | "username">, origin: string) {
  await voidVerifications(ctx, user.id, "verify-email");
  const token = await issueVerification(ctx, { purpose: "verify-email", userId: user.id, payload: { email: user.email } });
  await sendEmail(
    ctx,
    renderEmail({
      to: user.email,
      subject: `Confirm your email for ${ctx.config.INSTANCE_TITLE}`,
      paragraphs: [`Hi @${user.username}, confirm this is your email address to start posting.`, "The link works once, for 24 hours."],
      action: { label: "Confirm my email", url: `${origin}/verify-email?token=${encodeURIComponent(token)}` },
      footer: "If you did not sign up, ignore this email: nothing happens without a click.",
    }),
  );
}

/** Marks the address verified when the link is valid, unused, unexpired and still for the user's current address. */
export async function verifyEmail(ctx: DomainContext, token: string): Promise<User | undefined> {
  const verification = await consumeVerification(ctx, "verify-email", token);
  if (!verification?.userId) return undefined;
  const [user] = await ctx.db
    .update(users)
    .set({ emailVerifiedAt: new Date(), updatedAt: new Date() })
    .where(eq(users.id, verification.userId))
    .returning();
  if (!user || user.email !== verification.payload?.email) return undefined;
  return user;
}
