import { eq } from "drizzle-orm";
import { z } from "zod";
import { instanceSettings } from "#db/schema/index.ts";
import { assertCan } from "../accounts/permissions.ts";
import type { DomainContext } from "../context.ts";

/** The categories the pipeline scores: the harms a report can name, and "blocked" for the server's own word list. */
export const verdictCategories = [
  "spam",
  "harassment",
  "hate",
  "violence",
  "sexual",
  "self_harm",
  "misinformation",
  "illegal",
  "blocked",
] as const;
export type VerdictCategory = (typeof verdictCategories)[number];

/** From this score up (0 to 1), a category marks the post sensitive, holds it for review, or removes it. */
const thresholdSchema = z.object({
  sensitive: z.number().min(0).max(1).nullable().default(null),
  hold: z.number().min(0).max(1).nullable().default(null),
  remove: z.number().min(0).max(1).nullable().default(null),
});
export type Threshold = z.infer<typeof thresholdSchema>;

const DEFAULT_THRESHOLDS: Record<VerdictCategory, Threshold> = {
  spam: { sensitive: null, hold: 0.7, remove: 0.95 },
  harassment: { sensitive: null, hold: 0.7, remove: 0.95 },
  hate: { sensitive: null, hold: 0.6, remove: 0.9 },
  violence: { sensitive: 0.5, hold: 0.85, remove: null },
  sexual: { sensitive: 0.5, hold: 0.95, remove: null },
  self_harm: { sensitive: 0.5, hold: 0.7, remove: null },
  misinformation: { sensitive: null, hold: 0.8, remove: null },
  illegal: { sensitive: null, hold: 0.6, remove: 0.9 },
  blocked: { sensitive: null, hold: 1, remove: null },
};

export const moderationSettingsSchema = z.object({
  /** Words (whole words, any case) no post or profile should carry: a match holds it for review. */
  blockedWords: z.array(z.string().trim().min(1).max(100)).max(1000).default([]),
  /** Link domains (and their subdomains) no post should link to. */
  blockedDomains: z.array(z.string().trim().toLowerCase().min(1).max(253)).max(1000).default([]),
  thresholds: z.record(z.enum(verdictCategories), thresholdSchema).default(DEFAULT_THRESHOLDS),
});
export type ModerationSettings = z.infer<typeof moderationSettingsSchema>;

const KEY = "moderation";

export async function readModerationSettings(ctx: DomainContext): Promise<ModerationSettings> {
  const row = await ctx.db.query.instanceSettings.findFirst({ where: eq(instanceSettings.key, KEY) });
  const stored = moderationSettingsSchema.safeParse(row?.value ?? {});
  const settings = stored.success ? stored.data : moderationSettingsSchema.parse({});
  return { ...settings, thresholds: { ...DEFAULT_THRESHOLDS, ...settings.thresholds } };
}

/** Admins change the word and domain lists and the thresholds. */
export async function updateModerationSettings(
  ctx: DomainContext,
  input: z.input<typeof moderationSettingsSchema>,
): Promise<ModerationSettings> {
  assertCan(ctx, "update:instance:any");
  const value = moderationSettingsSchema.parse(input);
  await ctx.db.insert(instanceSettings).values({ key: KEY, value }).onConflictDoUpdate({ target: instanceSettings.key, set: { value } });
  return readModerationSettings(ctx);
}

/** Whether Claude takes part: only with an API key. /admin says so when it does not. */
export const aiClassificationOn = (ctx: DomainContext) => Boolean(ctx.config.ANTHROPIC_API_KEY);
