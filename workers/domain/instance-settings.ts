import { inArray } from "drizzle-orm";
import { z } from "zod";
import { auditLog, instanceSettings } from "#db/schema/index.ts";
import { assertCan } from "./accounts/permissions.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import { DEFAULT_THRESHOLDS, moderationSettingsSchema, type ModerationSettings } from "./moderation/policy.ts";

/** One of the server's rules (Mastodon's Rule entity): people agree to them at sign-up and cite them in reports. */
export const ruleSchema = z.object({
  id: z.string().min(1).max(64),
  text: z.string().trim().min(1, "A rule needs its text").max(300, "A rule is at most 300 characters"),
  hint: z.string().trim().max(1000, "A hint is at most 1000 characters").default(""),
});
export type Rule = z.infer<typeof ruleSchema>;

/** What the server says about itself; an empty title or description falls back to the configuration's. */
export const siteSettingsSchema = z.object({
  title: z.string().trim().max(100, "A title is at most 100 characters").default(""),
  description: z.string().trim().max(2000, "A description is at most 2000 characters").default(""),
  rules: z.array(ruleSchema).max(50, "At most 50 rules").default([]),
});

/**
 * Every setting admins change while the server runs, one row of instance_settings per key holding that key's JSON.
 * This module alone reads and writes the table; a new setting is a new key here with its schema and default.
 */
const settingsSchema = z.object({
  site: siteSettingsSchema.default(siteSettingsSchema.parse({})),
  moderation: moderationSettingsSchema.default(moderationSettingsSchema.parse({})),
  /** A hashtag trends only once an admin approved it (docs/trends.md); off, any hashtag may trend unless hidden. */
  trendsReviewNewTags: z.boolean().default(false),
  /** Who may sign up: anyone, anyone once a moderator approves, or only people with an invite (accounts/registrations.ts). */
  registrations: z.enum(["open", "approval", "closed"]).default("open"),
});
type SettingKey = keyof z.infer<typeof settingsSchema>;
const settingKeys = Object.keys(settingsSchema.shape) as SettingKey[];

export type InstanceSettings = Omit<z.infer<typeof settingsSchema>, "moderation"> & { moderation: ModerationSettings };
export type InstanceSettingsChanges = { [K in SettingKey]?: z.input<(typeof settingsSchema.shape)[K]> };

function withDefaults(settings: z.infer<typeof settingsSchema>): InstanceSettings {
  return { ...settings, moderation: { ...settings.moderation, thresholds: { ...DEFAULT_THRESHOLDS, ...settings.moderation.thresholds } } };
}

/** All settings in one read; a stored value of an older shape falls back to its default rather than breaking every read. */
export async function readInstanceSettings(ctx: DomainContext): Promise<InstanceSettings> {
  const rows = await ctx.db.select().from(instanceSettings).where(inArray(instanceSettings.key, settingKeys));
  const stored: Record<string, unknown> = {};
  for (const row of rows) {
    const key = row.key as SettingKey;
    if (settingsSchema.shape[key].safeParse(row.value).success) stored[key] = row.value;
  }
  return withDefaults(settingsSchema.parse(stored));
}

/**
 * Changes some settings (admins only: update:instance:any), each given key replaced whole, in one batch with its audit
 * entry. Input that breaks a schema is refused with a message per field, keyed by its dotted path
 * ("moderation.thresholds.hate.remove"), and nothing is written.
 */
export async function updateInstanceSettings(
  ctx: DomainContext,
  changes: InstanceSettingsChanges,
  at = new Date(),
): Promise<InstanceSettings> {
  const admin = assertCan(ctx, "update:instance:any");
  // Each given key alone: parsing the whole shape would fill the keys not given with their defaults, and save those.
  const entries: [SettingKey, unknown][] = [];
  const fields: Record<string, string> = {};
  for (const key of settingKeys.filter((name) => changes[name] !== undefined)) {
    const parsed = settingsSchema.shape[key].safeParse(changes[key]);
    if (parsed.success) entries.push([key, parsed.data]);
    else for (const issue of parsed.error.issues) fields[[key, ...issue.path].join(".")] ??= issue.message;
  }
  if (Object.keys(fields).length > 0) {
    throw new DomainError("unprocessable", "Some settings need another look; nothing was saved", { code: "invalid_settings", fields });
  }
  if (entries.length > 0) {
    await ctx.db.batch([
      ...entries.map(([key, value]) =>
        ctx.db.insert(instanceSettings).values({ key, value }).onConflictDoUpdate({ target: instanceSettings.key, set: { value } }),
      ),
      ...entries.map(([key]) =>
        ctx.db.insert(auditLog).values({
          moderatorId: admin.id,
          action: "update_settings",
          targetKind: "settings",
          targetId: key,
          reason: `Changed the ${key} settings`,
          createdAt: at,
        }),
      ),
    ] as unknown as [never]);
  }
  return readInstanceSettings(ctx);
}

/** The server's title and description as clients and pages show them: the admin's, else the configuration's. */
export async function siteInfo(ctx: DomainContext) {
  const { site, registrations } = await readInstanceSettings(ctx);
  return {
    title: site.title || ctx.config.INSTANCE_TITLE,
    description: site.description || ctx.config.INSTANCE_DESCRIPTION,
    rules: site.rules,
    registrations,
  };
}
