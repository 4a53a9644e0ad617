import { z } from "@hono/zod-openapi";
import type { Role } from "#domain/accounts/users.ts";
import type { ListedAccount } from "#domain/moderation/accounts.ts";
import { AccountSchema, presentAccount } from "./account.ts";

/**
 * Mastodon's Role entity for Perch's three fixed roles. Ids are Mastodon's defaults (everyone -99, Moderator 1, Admin
 * 2); permissions is Mastodon's bitmask as a decimal string: an admin has "administrator" (1), a moderator the
 * moderation powers (view audit log, dashboard, manage reports, appeals, users and invites).
 */
export const RoleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    color: z.string(),
    permissions: z.string(),
    highlighted: z.boolean(),
  })
  .openapi("Role", { description: "Mastodon's Role entity." });

const mastodonRoles: Record<Role, z.infer<typeof RoleSchema>> = {
  user: { id: "-99", name: "", color: "", permissions: "65536", highlighted: false },
  moderator: { id: "1", name: "Moderator", color: "", permissions: String(0x4 | 0x8 | 0x10 | 0x200 | 0x400 | 0x800), highlighted: true },
  admin: { id: "2", name: "Admin", color: "", permissions: "1", highlighted: true },
};

export const AdminIpSchema = z.object({ ip: z.string(), used_at: z.iso.datetime() }).openapi("Admin_Ip");

export const AdminAccountSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    domain: z.string().nullable(),
    created_at: z.iso.datetime(),
    email: z.string().openapi({ description: "Admins only; an empty string for moderators." }),
    ip: z.string().nullable().openapi({ description: "The latest address used (admins only; null for moderators)." }),
    ips: z.array(AdminIpSchema).openapi({ description: "Addresses used, latest first (admins only; empty for moderators)." }),
    locale: z.string(),
    invite_request: z.string().nullable(),
    role: RoleSchema,
    confirmed: z.boolean(),
    approved: z.boolean(),
    disabled: z.boolean().openapi({ description: "A moderator disabled the log-in: the profile stays, no one can sign in to it." }),
    silenced: z.boolean().openapi({ description: "Limited (Mastodon's silence): only followers see its posts." }),
    suspended: z.boolean(),
    sensitized: z.boolean().openapi({ description: "Every post and chat message of this account with media is marked sensitive." }),
    account: AccountSchema,
    invited_by_account_id: z.string().nullable(),
  })
  .openapi("Admin_Account", { description: "Mastodon's Admin::Account: an account as moderators see it." });

export type AdminAccount = z.infer<typeof AdminAccountSchema>;

export function presentAdminAccount(account: ListedAccount, origin: string): AdminAccount {
  return {
    id: account.id,
    username: account.username,
    domain: null,
    created_at: account.createdAt.toISOString(),
    email: account.email ?? "",
    ip: account.ips[0]?.ip ?? null,
    ips: account.ips.map(({ ip, usedAt }) => ({ ip, used_at: usedAt.toISOString() })),
    locale: "en",
    invite_request: account.signUpReason || null,
    role: mastodonRoles[account.role],
    confirmed: account.emailVerifiedAt !== null,
    approved: account.approved,
    disabled: account.disabled,
    silenced: account.moderationStatus === "limited",
    suspended: account.moderationStatus === "suspended",
    sensitized: account.sensitized,
    account: presentAccount(account, origin),
    invited_by_account_id: account.invitedById,
  };
}
