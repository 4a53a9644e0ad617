import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { isUniqueConstraintError } from "#db/client.ts";
import { newId } from "#db/ids.ts";
import { activeDays, passwords, roles, users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { assertEmailAllowed } from "../moderation/email-blocks.ts";
import { DomainError } from "../errors.ts";
import { commit } from "../events/outbox.ts";
import { useInviteStatement } from "./invites.ts";
import { hashPassword } from "./passwords.ts";
import { dayOf } from "../home-feed/audience.ts";

export type User = typeof users.$inferSelect;
export type Role = (typeof roles)[number];

/** Paths that live beside /:username and so can never be usernames. */
const RESERVED_USERNAMES = new Set([
  "about",
  "admin",
  "api",
  "assets",
  "auth",
  "bookmarks",
  "drafts",
  "explore",
  "moments",
  "healthz",
  "help",
  "home",
  "login",
  "logout",
  "media",
  "messages",
  "nodeinfo",
  "notifications",
  "oauth",
  "public",
  "scheduled",
  "search",
  "settings",
  "signup",
  "static",
  "status",
  "tags",
  "terms",
  "privacy",
  "vendor",
  "well-known",
  "live",
  "lists",
  "perch",
  "root",
  "support",
  "friends",
  "welcome",
  "menu",
  "compose",
  "explore",
  "moments",
]);

export const usernameSchema = z
  .string()
  .trim()
  .min(1, "Choose a username")
  .max(30, "Usernames are at most 30 characters")
  .regex(/^[A-Za-z0-9_]+$/, "Use only letters, digits and underscores")
  .refine((name) => !RESERVED_USERNAMES.has(name.toLowerCase()), "That username is reserved");

export const emailSchema = z
  .string()
  .trim()
  .max(254, "Email addresses are at most 254 characters")
  .pipe(z.email("Enter a valid email address"));

/** Long enough to resist guessing; the upper bound only keeps hashing cheap. */
export const passwordSchema = z.string().min(10, "Use at least 10 characters").max(200, "Use at most 200 characters");

export const newUserSchema = z.object({
  username: usernameSchema,
  email: emailSchema,
  displayName: z.string().trim().max(50, "Display names are at most 50 characters"),
  password: passwordSchema.optional(),
  bio: z.string().max(500, "Bios are at most 500 characters").default(""),
  role: z.enum(roles).default("user"),
  bot: z.boolean().default(false),
  locked: z.boolean().default(false),
  emailVerified: z.boolean().default(false),
  avatarKey: z.string().optional(),
  headerKey: z.string().optional(),
  /** Seeds and fixtures fix the id and creation time; real sign-ups take a new id and "now". */
  id: z.string().optional(),
  createdAt: z.date().optional(),
  /**
   * Set when someone signs up (not for seeds and fixtures): whether they are let in at once, why they want to join and
   * the invite they used. Moderators then hear of the sign-up (admin.sign_up).
   */
  signUp: z.object({ approved: z.boolean(), reason: z.string().max(1000), inviteId: z.string().nullable() }).optional(),
});

export type NewUser = z.input<typeof newUserSchema>;

export async function findUserByUsername(ctx: DomainContext, username: string): Promise<User | undefined> {
  return ctx.db.query.users.findFirst({ where: sql`lower(${users.username}) = lower(${username})` });
}

/** Creates a user and their password hash in one batch; a taken username or email is a conflict. */
export async function createUser(ctx: DomainContext, input: NewUser): Promise<User> {
  const data = newUserSchema.parse(input);
  await assertEmailAllowed(ctx, data.email);
  const now = data.createdAt ?? new Date();
  const id = data.id ?? newId(now.getTime());
  const hash = data.password === undefined ? undefined : await hashPassword(data.password);
  const insertUser = ctx.db
    .insert(users)
    .values({
      id,
      username: data.username,
      email: data.email,
      displayName: data.displayName,
      bio: data.bio,
      role: data.role,
      bot: data.bot,
      locked: data.locked,
      avatarKey: data.avatarKey,
      headerKey: data.headerKey,
      emailVerifiedAt: data.emailVerified ? now : null,
      createdAt: now,
      updatedAt: now,
      // Signing up (or being made by a seed, whatever createdAt says) is a visit: active from today.
      lastActiveDay: dayOf(Date.now()),
      approved: data.signUp?.approved ?? true,
      signUpReason: data.signUp?.reason ?? "",
      inviteId: data.signUp?.inviteId ?? null,
    })
    .returning();
  const inviteId = data.signUp?.inviteId;
  try {
    const [[user]] = await commit(
      ctx,
      [
        insertUser,
        ...(hash ? [ctx.db.insert(passwords).values({ userId: id, hash, updatedAt: now })] : []),
        // The visit the dashboard counts (home-feed/readers.ts noteVisit writes the later ones).
        ctx.db.insert(activeDays).values({ day: dayOf(Date.now()), userId: id }),
        ...(inviteId ? [useInviteStatement(ctx, inviteId)] : []),
      ],
      [
        { type: "account.created", payload: { userId: id } },
        ...(data.signUp ? [{ type: "account.signed_up" as const, payload: { userId: id, pending: !data.signUp.approved } }] : []),
      ],
    );
    if (!user) throw new Error("Inserting a user returned no row");
    return user;
  } catch (error) {
    if (isUniqueConstraintError(error)) throw new DomainError("conflict", "That username or email is already in use");
    throw error;
  }
}

export async function setRole(ctx: DomainContext, userId: string, role: Role): Promise<void> {
  await ctx.db.update(users).set({ role, updatedAt: new Date() }).where(eq(users.id, userId));
}
