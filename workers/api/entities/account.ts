import { z } from "@hono/zod-openapi";
import { avatarPath, headerPath, type PublicUser } from "#domain/profiles/profile.ts";
import { richTextToHtml } from "./content-html.ts";

export const CustomEmojiSchema = z
  .object({
    shortcode: z.string(),
    url: z.url(),
    static_url: z.url(),
    visible_in_picker: z.boolean(),
  })
  .openapi("CustomEmoji");

export const AccountFieldSchema = z
  .object({ name: z.string(), value: z.string(), verified_at: z.string().nullable() })
  .openapi("AccountField");

export const AccountSchema = z
  .object({
    id: z.string().openapi({ example: "115934812345678901" }),
    username: z.string().openapi({ example: "alice" }),
    acct: z.string().openapi({ description: "The username; Perch accounts are all local.", example: "alice" }),
    display_name: z.string(),
    locked: z.boolean(),
    bot: z.boolean(),
    discoverable: z.boolean(),
    indexable: z.boolean(),
    group: z.boolean(),
    created_at: z.iso.datetime(),
    note: z.string().openapi({ description: "The bio, as HTML." }),
    url: z.url(),
    uri: z.url(),
    avatar: z.url(),
    avatar_static: z.url(),
    header: z.url(),
    header_static: z.url(),
    followers_count: z.number().int(),
    following_count: z.number().int(),
    statuses_count: z.number().int(),
    last_status_at: z.iso.date().nullable(),
    hide_collections: z.boolean(),
    noindex: z.boolean(),
    emojis: z.array(CustomEmojiSchema),
    fields: z.array(AccountFieldSchema),
  })
  .openapi("Account", { description: "Mastodon's Account entity." });

export type Account = z.infer<typeof AccountSchema>;

export function presentAccount(user: PublicUser, origin: string): Account {
  const url = `${origin}/${user.username}`;
  const avatar = `${origin}${avatarPath(user)}`;
  const header = `${origin}${headerPath(user)}`;
  return {
    id: user.id,
    username: user.username,
    acct: user.username,
    display_name: user.displayName,
    locked: user.locked,
    bot: user.bot,
    discoverable: user.discoverable,
    indexable: user.discoverable,
    group: false,
    created_at: user.createdAt.toISOString(),
    note: richTextToHtml(user.bio, origin),
    url,
    uri: url,
    avatar,
    avatar_static: avatar,
    header,
    header_static: header,
    followers_count: user.followersCount,
    following_count: user.followingCount,
    statuses_count: user.postsCount,
    last_status_at: user.lastPostAt ? user.lastPostAt.toISOString().slice(0, 10) : null,
    hide_collections: false,
    noindex: !user.discoverable,
    emojis: [],
    fields: [],
  };
}

export const CredentialAccountSchema = AccountSchema.extend({
  source: z.object({
    privacy: z.enum(["public", "unlisted", "private", "direct"]),
    sensitive: z.boolean(),
    language: z.string().nullable(),
    note: z.string().openapi({ description: "The bio as written, without HTML." }),
    fields: z.array(AccountFieldSchema),
    follow_requests_count: z.number().int(),
    hide_collections: z.boolean(),
    discoverable: z.boolean(),
    indexable: z.boolean(),
  }),
  role: z.object({ id: z.string(), name: z.string(), permissions: z.string(), color: z.string(), highlighted: z.boolean() }),
}).openapi("CredentialAccount", { description: "The signed-in user's own Account, with source and role." });

const roleIds = { user: "-99", moderator: "2", admin: "3" } as const;

export function presentCredentialAccount(user: PublicUser & { role: keyof typeof roleIds }, origin: string): z.infer<typeof CredentialAccountSchema> {
  return {
    ...presentAccount(user, origin),
    source: {
      privacy: "public",
      sensitive: false,
      language: null,
      note: user.bio,
      fields: [],
      follow_requests_count: 0,
      hide_collections: false,
      discoverable: user.discoverable,
      indexable: user.discoverable,
    },
    role: { id: roleIds[user.role], name: user.role === "user" ? "" : user.role, permissions: "0", color: "", highlighted: user.role !== "user" },
  };
}
