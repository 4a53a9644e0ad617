import { eq } from "drizzle-orm";
import { z } from "zod";
import { auditLog, defaultVisibilities, messagePolicies, profileVisibilities, users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { commit } from "../events/outbox.ts";
import { assertCan, assertNotSuspended } from "../accounts/permissions.ts";
import { acceptAllFollowRequests } from "../graph/follows.ts";
import type { User } from "../accounts/users.ts";
import { newPostSchema } from "../posts/posts.ts";

export const MAX_PROFILE_FIELDS = 4;

const website = z
  .string()
  .trim()
  .max(200, "Websites are at most 200 characters")
  .refine((value) => value === "" || /^https?:\/\/[^\s]+$/i.test(value), "Start the website with http:// or https://");

export const profileInputSchema = z.object({
  displayName: z.string().trim().max(50, "Display names are at most 50 characters"),
  bio: z.string().trim().max(500, "Bios are at most 500 characters"),
  location: z.string().trim().max(60, "Locations are at most 60 characters"),
  website,
  fields: z
    .array(
      z.object({
        name: z.string().trim().max(30, "Field names are at most 30 characters"),
        value: z.string().trim().max(200, "Field values are at most 200 characters"),
      }),
    )
    .transform((fields) => fields.filter((field) => field.name !== "" || field.value !== ""))
    .pipe(
      z
        .array(z.object({ name: z.string().min(1, "Give each field a name"), value: z.string() }))
        .max(MAX_PROFILE_FIELDS, `At most ${MAX_PROFILE_FIELDS} fields`),
    ),
  accentColor: z
    .string()
    .trim()
    .refine((value) => value === "" || /^#[0-9a-f]{6}$/i.test(value), "Use a colour like #4338ca")
    .transform((value) => (value === "" ? null : value.toLowerCase())),
  bot: z.boolean(),
});

export type ProfileInput = z.input<typeof profileInputSchema>;

/** Updates what the profile shows. Only the fields given change. */
export async function updateProfile(ctx: DomainContext, userId: string, input: Partial<ProfileInput>): Promise<User> {
  const data = profileInputSchema.partial().parse(input);
  const [[user]] = await commit(
    ctx,
    [
      ctx.db
        .update(users)
        .set({ ...data, updatedAt: new Date() })
        .where(eq(users.id, userId))
        .returning(),
    ],
    [{ type: "profile.updated", payload: { userId } }],
  );
  if (!user) throw new DomainError("not_found", "Record not found");
  return user;
}

export const privacyInputSchema = z.object({
  locked: z.boolean(),
  profileVisibility: z.enum(profileVisibilities),
  messagePolicy: z.enum(messagePolicies),
  defaultVisibility: z.enum(defaultVisibilities),
  discoverable: z.boolean(),
  hideCollections: z.boolean(),
});

/**
 * Privacy settings. Unlocking an account lets in everyone whose follow request was waiting, as Mastodon does.
 */
export async function updatePrivacy(ctx: DomainContext, userId: string, input: Partial<z.input<typeof privacyInputSchema>>): Promise<User> {
  assertNotSuspended(ctx);
  const data = privacyInputSchema.partial().parse(input);
  const [user] = await ctx.db
    .update(users)
    .set({ ...data, updatedAt: new Date() })
    .where(eq(users.id, userId))
    .returning();
  if (!user) throw new DomainError("not_found", "Record not found");
  if (data.locked === false) await acceptAllFollowRequests(ctx, userId);
  return user;
}

/**
 * What a new post gets for each setting its author leaves out: their default visibility, and for the rest the post
 * rules' own defaults (Perch keeps no per-person default for those).
 */
export function postingDefaults(user: Pick<User, "defaultVisibility">) {
  const rules = newPostSchema.pick({ sensitive: true, language: true, quotePolicy: true }).parse({});
  return {
    visibility: user.defaultVisibility,
    sensitive: rules.sensitive,
    language: rules.language ?? null,
    quotePolicy: rules.quotePolicy,
  };
}

/** The verified badge, which only admins give (permission update:verified:any); recorded in the audit log. */
export async function setVerified(ctx: DomainContext, userId: string, verified: boolean, at = new Date()): Promise<void> {
  const admin = assertCan(ctx, "update:verified:any");
  await commit(
    ctx,
    [
      ctx.db
        .update(users)
        .set({ verifiedAt: verified ? at : null })
        .where(eq(users.id, userId)),
      ctx.db.insert(auditLog).values({
        moderatorId: admin.id,
        action: verified ? "verify" : "unverify",
        targetKind: "account",
        targetId: userId,
        reason: "",
        createdAt: at,
      }),
    ],
    [{ type: "profile.updated", payload: { userId } }],
  );
}
