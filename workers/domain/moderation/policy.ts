import { z } from "zod";

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

/** The outcomes a score can reach, mildest first; below the first set cut-off a post is allowed. */
export const thresholdSteps = ["sensitive", "hold", "remove"] as const;

const cutOff = z
  .number({ error: "A cut-off is a number between 0 and 1" })
  .min(0, "A cut-off is between 0 and 1")
  .max(1, "A cut-off is between 0 and 1")
  .nullable()
  .default(null);

/**
 * From this score up (0 to 1), a category marks the post sensitive, holds it for review, or removes it; null turns the
 * step off. Stronger steps may not start below milder ones, or a milder step could never be reached.
 */
export const thresholdSchema = z.object({ sensitive: cutOff, hold: cutOff, remove: cutOff }).superRefine((threshold, issues) => {
  const set = thresholdSteps.filter((step) => threshold[step] !== null);
  for (let i = 1; i < set.length; i++) {
    const [milder, stronger] = [set[i - 1]!, set[i]!];
    if (threshold[stronger]! < threshold[milder]!) {
      issues.addIssue({ code: "custom", path: [stronger], message: `The ${stronger} cut-off must not be below the ${milder} cut-off` });
    }
  }
});
export type Threshold = z.infer<typeof thresholdSchema>;

export const DEFAULT_THRESHOLDS: Record<VerdictCategory, Threshold> = {
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
  thresholds: z.partialRecord(z.enum(verdictCategories), thresholdSchema).default(DEFAULT_THRESHOLDS),
});
export type ModerationSettings = Omit<z.infer<typeof moderationSettingsSchema>, "thresholds"> & {
  thresholds: Record<VerdictCategory, Threshold>;
};
