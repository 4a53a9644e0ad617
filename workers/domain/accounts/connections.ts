import { and, eq, sql } from "drizzle-orm";
import { connections, type identityProviders, users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { hasPassword } from "./credentials.ts";
import { sendVerificationEmail } from "./email-verification.ts";
import { beginSession, type LoginResult } from "./login.ts";
import { admissionFor, CLOSED_MESSAGE } from "./registrations.ts";
import type { Client } from "./sessions.ts";
import { createUser, type User } from "./users.ts";

export type IdentityProvider = (typeof identityProviders)[number];
export type Connection = typeof connections.$inferSelect;

/** Who the provider says signed in. Only a provider-verified email may link to an existing Perch account. */
export interface ProviderProfile {
  provider: IdentityProvider;
  providerUserId: string;
  email: string | null;
  emailVerified: boolean;
  username: string | null;
  displayName: string | null;
}

export type ProviderSignInResult = LoginResult | { kind: "connected"; user: User } | { kind: "refused"; message: string };

const providerNames: Record<IdentityProvider, string> = { github: "GitHub", google: "Google" };

/** A free username close to the provider's: letters, digits and underscores, numbered when taken. */
async function availableUsername(ctx: DomainContext, wanted: string): Promise<string> {
  const base =
    wanted
      .replace(/[^A-Za-z0-9_]/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, 24) || "perch_user";
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const candidate = attempt === 0 ? base : `${base}_${attempt + 1}`;
    const taken = await ctx.db.query.users.findFirst({ where: sql`lower(${users.username}) = lower(${candidate})`, columns: { id: true } });
    if (!taken) return candidate;
  }
  return `${base}_${crypto.randomUUID().slice(0, 5)}`;
}

/**
 * Signs in (or up) with a provider account, or connects it to the signed-in user. Linking to an existing account by
 * email happens only when the provider vouches for the email; otherwise the person must sign in with their password
 * and connect the provider from settings.
 */
export async function signInWithProvider(
  ctx: DomainContext,
  profile: ProviderProfile,
  currentUser: User | null,
  client: Client,
  origin: string,
): Promise<ProviderSignInResult> {
  const name = providerNames[profile.provider];
  const existing = await ctx.db.query.connections.findFirst({
    where: and(eq(connections.provider, profile.provider), eq(connections.providerUserId, profile.providerUserId)),
  });
  const connect = (userId: string) =>
    ctx.db.insert(connections).values({
      provider: profile.provider,
      providerUserId: profile.providerUserId,
      userId,
      email: profile.email,
      username: profile.username,
      createdAt: new Date(),
    });

  if (currentUser) {
    if (existing && existing.userId !== currentUser.id) {
      return { kind: "refused", message: `That ${name} account is already connected to another account here.` };
    }
    if (!existing) await connect(currentUser.id);
    return { kind: "connected", user: currentUser };
  }
  if (existing) {
    const user = await ctx.db.query.users.findFirst({ where: eq(users.id, existing.userId) });
    if (user) return beginSession(ctx, user, `oauth:${profile.provider}`, client);
  }
  const byEmail = profile.email
    ? await ctx.db.query.users.findFirst({ where: sql`lower(${users.email}) = lower(${profile.email})` })
    : undefined;
  if (byEmail) {
    if (!profile.emailVerified) {
      return {
        kind: "refused",
        message: `${name} has not verified that email address, so it cannot sign in to the account that uses it. Log in with your password, then connect ${name} in settings.`,
      };
    }
    await connect(byEmail.id);
    return beginSession(ctx, byEmail, `oauth:${profile.provider}`, client);
  }
  if (!profile.email) return { kind: "refused", message: `${name} did not share an email address, which an account here needs.` };

  // A new account through a provider is a sign-up like any other: the registrations mode decides (ADR 0050).
  const admission = await admissionFor(ctx, null).catch((error: unknown) => {
    if (error instanceof DomainError && error.code === "registrations_closed") return null;
    throw error;
  });
  if (!admission) return { kind: "refused", message: CLOSED_MESSAGE };
  const user = await createUser(ctx, {
    username: await availableUsername(ctx, profile.username ?? profile.email.split("@")[0]!),
    email: profile.email,
    displayName: (profile.displayName ?? profile.username ?? "").slice(0, 50),
    emailVerified: profile.emailVerified,
    signUp: { approved: admission.approved, reason: "", inviteId: null },
  });
  await connect(user.id);
  if (!profile.emailVerified) await sendVerificationEmail(ctx, user, origin);
  if (!user.approved) {
    return {
      kind: "refused",
      message: "Your account was created and waits for a moderator's approval: you can log in once it is approved.",
    };
  }
  return beginSession(ctx, user, `oauth:${profile.provider}`, client);
}

export function listConnections(ctx: DomainContext, userId: string): Promise<Connection[]> {
  return ctx.db.select().from(connections).where(eq(connections.userId, userId));
}

/** Removes a provider, unless it is the only way left to sign in. */
export async function disconnectProvider(ctx: DomainContext, userId: string, provider: IdentityProvider): Promise<void> {
  const linked = await listConnections(ctx, userId);
  if (!linked.some((connection) => connection.provider === provider)) {
    throw new DomainError("not_found", `${providerNames[provider]} is not connected`);
  }
  if (linked.length === 1 && !(await hasPassword(ctx, userId))) {
    throw new DomainError("unprocessable", "Set a password first: this is your only way to sign in");
  }
  await ctx.db.delete(connections).where(and(eq(connections.userId, userId), eq(connections.provider, provider)));
}
