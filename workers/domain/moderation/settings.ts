import type { z } from "zod";
import type { DomainContext } from "../context.ts";
import { readInstanceSettings, updateInstanceSettings } from "../instance-settings.ts";
import type { ModerationSettings, moderationSettingsSchema } from "./policy.ts";

/** The moderation part of the instance settings (instance-settings.ts owns the table). */
export async function readModerationSettings(ctx: DomainContext): Promise<ModerationSettings> {
  return (await readInstanceSettings(ctx)).moderation;
}

/** Admins change the word and domain lists and the thresholds. */
export async function updateModerationSettings(
  ctx: DomainContext,
  input: z.input<typeof moderationSettingsSchema>,
): Promise<ModerationSettings> {
  return (await updateInstanceSettings(ctx, { moderation: input })).moderation;
}

/** Whether Claude takes part: only with an API key. /admin says so when it does not. */
export const aiClassificationOn = (ctx: DomainContext) => Boolean(ctx.config.ANTHROPIC_API_KEY);
