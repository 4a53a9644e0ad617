import { z } from "@hono/zod-openapi";
import { avatarPath, backgroundPath, headerPath, type PublicUser } from "#domain/profiles/profile.ts";
import { postingDefaults } from "#domain/profiles/settings.ts";
import { richTextToHtml } from "./content-html.ts";
import { EmojiListSchema } from "./custom-emoji.ts";
import { mastodonVisibility, MastodonVisibilitySchema, PerchVisibilitySchema, type PerchVisibility } from "./visibility.ts";

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
    emojis: EmojiListSchema,
    fields: z.array(AccountFieldSchema),
    verified_at: z.iso.datetime().nullable().openapi({ description: "Perch extension: when an admin gave the verified badge." }),
    location: z.string().openapi({ description: "Perch extension." }),
    website: z.string().openapi({ description: "Perch extension." }),
    accent_color: z.string().nullable().openapi({ description: "Perch extension: the profile's accent colour (#rrggbb)." }),
    background: z.url().nullable().openapi({ description: "Perch extension: the profile's background image." }),
  })
  .openapi("Account", { description: "Mastodon's Account entity, with Perch's profile extensions." });

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
    hide_collections: user.hideCollections,
    noindex: !user.discoverable,
    emojis: [],
    fields: user.fields.map((field) => ({ name: field.name, value: richTextToHtml(field.value, origin), verified_at: null })),
    verified_at: user.verifiedAt?.toISOString() ?? null,
    location: user.location,
    website: user.website,
    accent_color: user.accentColor,
    background: user.backgroundKey ? `${origin}${backgroundPath(user)}` : null,
  };
}

export const CredentialAccountSchema = AccountSchema.extend({
  source: z.object({
    privacy: MastodonVisibilitySchema.openapi({ description: "The default visibility of new posts, as Mastodon names it." }),
    perch: z
      .object({ privacy: PerchVisibilitySchema })
      .openapi("SourcePerch", { description: "Perch extension: the default visibility itself, `friends` included (ADR 0019)." }),
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

export function presentCredentialAccount(
  user: PublicUser & { role: keyof typeof roleIds; defaultVisibility: PerchVisibility },
  origin: string,
  followRequestsCount = 0,
): z.infer<typeof CredentialAccountSchema> {
  const defaults = postingDefaults(user);
  return {
    ...presentAccount(user, origin),
    source: {
      privacy: mastodonVisibility(defaults.visibility),
      perch: { privacy: defaults.visibility },
      sensitive: defaults.sensitive,
      language: defaults.language,
      note: user.bio,
      fields: user.fields.map((field) => ({ ...field, verified_at: null })),
      follow_requests_count: followRequestsCount,
      hide_collections: user.hideCollections,
      discoverable: user.discoverable,
      indexable: user.discoverable,
    },
    role: {
      id: roleIds[user.role],
      name: user.role === "user" ? "" : user.role,
      permissions: "0",
      color: "",
      highlighted: user.role !== "user",
    },
  };
}
