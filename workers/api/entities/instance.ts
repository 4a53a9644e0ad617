import { CLOSED_MESSAGE } from "#domain/accounts/registrations.ts";
import { z } from "@hono/zod-openapi";
import {
  instanceLimits,
  MASTODON_API_COMPATIBILITY,
  MASTODON_API_VERSION,
  PERCH_SOURCE_URL,
  PERCH_VERSION,
  type InstanceStats,
} from "#domain/instance.ts";
import type { DomainContext } from "#domain/context.ts";
import type { Rule, siteInfo } from "#domain/instance-settings.ts";
import { mediaLimits, SUPPORTED_MEDIA_TYPES } from "#domain/media/attachments.ts";
import { MAX_IMAGE_PIXELS } from "#domain/media/images.ts";
import { richTextToHtml } from "./content-html.ts";

const statusesConfiguration = z.object({
  max_characters: z.number().int(),
  max_media_attachments: z.number().int(),
  characters_reserved_per_url: z.number().int(),
});
const mediaConfiguration = z.object({
  supported_mime_types: z.array(z.string()),
  image_size_limit: z.number().int(),
  image_matrix_limit: z.number().int(),
  video_size_limit: z.number().int(),
  video_frame_rate_limit: z.number().int(),
  video_matrix_limit: z.number().int(),
});
const pollsConfiguration = z.object({
  max_options: z.number().int(),
  max_characters_per_option: z.number().int(),
  min_expiration: z.number().int(),
  max_expiration: z.number().int(),
});
const RuleSchema = z
  .object({ id: z.string(), text: z.string(), hint: z.string() })
  .openapi("Rule", { description: "Mastodon's Rule entity: one of the server's rules." });

/** The server's rules, the same in every answer that lists them, in the order admins gave them. */
export const RulesSchema = z.array(RuleSchema).openapi({ description: "The server's rules, in order." });
export const presentRules = (rules: Rule[]): z.infer<typeof RulesSchema> => rules.map(({ id, text, hint }) => ({ id, text, hint }));

/** What the instance presenters need from the instance settings. */
type Site = Awaited<ReturnType<typeof siteInfo>>;

export const InstanceV1Schema = z
  .object({
    uri: z.string().openapi({ description: "The domain name." }),
    title: z.string(),
    short_description: z.string(),
    description: z.string(),
    email: z.string(),
    version: z.string().openapi({ example: `${MASTODON_API_COMPATIBILITY} (compatible; Perch ${PERCH_VERSION})` }),
    urls: z.object({ streaming_api: z.string() }),
    stats: z.object({ user_count: z.number().int(), status_count: z.number().int(), domain_count: z.number().int() }),
    thumbnail: z.string().nullable(),
    languages: z.array(z.string()),
    registrations: z.boolean(),
    approval_required: z.boolean(),
    invites_enabled: z.boolean(),
    configuration: z.object({
      accounts: z.object({ max_featured_tags: z.number().int() }),
      statuses: statusesConfiguration,
      media_attachments: mediaConfiguration,
      polls: pollsConfiguration,
    }),
    contact_account: z.null(),
    rules: RulesSchema,
  })
  .openapi("InstanceV1", { description: "Mastodon's V1::Instance entity (deprecated by Mastodon, still read by many clients)." });

export const InstanceV2Schema = z
  .object({
    domain: z.string(),
    title: z.string(),
    version: z.string(),
    source_url: z.url(),
    description: z.string(),
    usage: z.object({ users: z.object({ active_month: z.number().int() }) }),
    thumbnail: z.object({ url: z.string() }),
    languages: z.array(z.string()),
    configuration: z.object({
      urls: z.object({ streaming: z.string(), status: z.string().nullable() }),
      accounts: z.object({ max_featured_tags: z.number().int(), max_pinned_statuses: z.number().int() }),
      statuses: statusesConfiguration,
      media_attachments: mediaConfiguration,
      polls: pollsConfiguration,
      translation: z.object({ enabled: z.boolean() }),
    }),
    registrations: z.object({ enabled: z.boolean(), approval_required: z.boolean(), message: z.string().nullable() }),
    contact: z.object({ email: z.string(), account: z.null() }),
    rules: RulesSchema,
    api_versions: z.object({ mastodon: z.number().int() }).openapi({
      description: `Mastodon's API version numbers: ${MASTODON_API_VERSION}, Mastodon ${MASTODON_API_COMPATIBILITY}'s, whose API Perch follows.`,
    }),
  })
  .openapi("Instance", { description: "Mastodon's Instance entity (v2)." });

function sharedConfiguration(ctx: DomainContext) {
  const limits = instanceLimits(ctx);
  return {
    statuses: {
      max_characters: limits.maxPostCharacters,
      max_media_attachments: limits.maxMediaAttachments,
      characters_reserved_per_url: limits.charactersReservedPerUrl,
    },
    media_attachments: {
      supported_mime_types: SUPPORTED_MEDIA_TYPES,
      image_size_limit: mediaLimits.imageBytes,
      image_matrix_limit: MAX_IMAGE_PIXELS,
      video_size_limit: mediaLimits.videoBytes,
      video_frame_rate_limit: 60,
      video_matrix_limit: 4096 * 2160,
    },
    polls: {
      max_options: limits.maxPollOptions,
      max_characters_per_option: limits.maxPollOptionCharacters,
      min_expiration: limits.minPollExpiration,
      max_expiration: limits.maxPollExpiration,
    },
  };
}

const versionString = `${MASTODON_API_COMPATIBILITY} (compatible; Perch ${PERCH_VERSION})`;

export function presentInstanceV1(ctx: DomainContext, stats: InstanceStats, site: Site, origin: string): z.infer<typeof InstanceV1Schema> {
  const host = new URL(origin).host;
  return {
    uri: host,
    title: site.title,
    short_description: site.description,
    description: site.description,
    email: ctx.config.CONTACT_EMAIL,
    version: versionString,
    urls: { streaming_api: origin.replace(/^http/, "ws") },
    stats: { user_count: stats.users, status_count: stats.posts, domain_count: 0 },
    thumbnail: `${origin}/perch-thumbnail.png`,
    languages: ["en"],
    registrations: site.registrations !== "closed",
    approval_required: site.registrations === "approval",
    invites_enabled: true,
    configuration: { accounts: { max_featured_tags: 0 }, ...sharedConfiguration(ctx) },
    contact_account: null,
    rules: presentRules(site.rules),
  };
}

export function presentInstanceV2(ctx: DomainContext, stats: InstanceStats, site: Site, origin: string): z.infer<typeof InstanceV2Schema> {
  return {
    domain: new URL(origin).host,
    title: site.title,
    version: versionString,
    source_url: PERCH_SOURCE_URL,
    description: site.description,
    usage: { users: { active_month: stats.activeUsersThisMonth } },
    thumbnail: { url: `${origin}/perch-thumbnail.png` },
    languages: ["en"],
    configuration: {
      urls: { streaming: origin.replace(/^http/, "ws"), status: null },
      accounts: { max_featured_tags: 0, max_pinned_statuses: instanceLimits(ctx).maxPinnedPosts },
      ...sharedConfiguration(ctx),
      translation: { enabled: false },
    },
    registrations: {
      enabled: site.registrations !== "closed",
      approval_required: site.registrations === "approval",
      message: site.registrations === "closed" ? CLOSED_MESSAGE : null,
    },
    contact: { email: ctx.config.CONTACT_EMAIL, account: null },
    rules: presentRules(site.rules),
    api_versions: { mastodon: MASTODON_API_VERSION },
  };
}

export const ExtendedDescriptionSchema = z
  .object({
    updated_at: z.iso
      .datetime()
      .nullable()
      .openapi({ description: "Always null: the description's changes are in the audit log, not dated here." }),
    content: z.string().openapi({ description: "The server's description (set on /admin/settings, else INSTANCE_DESCRIPTION), as HTML." }),
  })
  .openapi("ExtendedDescription", { description: "Mastodon's ExtendedDescription entity." });

export function presentExtendedDescription(site: Site, origin: string): z.infer<typeof ExtendedDescriptionSchema> {
  return { updated_at: null, content: richTextToHtml(site.description, origin) };
}
