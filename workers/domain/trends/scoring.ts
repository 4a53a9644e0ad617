/**
 * How something trends (docs/trends.md, ADR 0038): its distinct accounts now against what it usually sees, as
 * Mastodon scores tags, with the best score decaying by half-life once use slows. Pure functions, so the rule is tested
 * on constructed numbers and the job only gathers them.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Fewer distinct accounts than this never trend, however fast: one account (or two) alone cannot make a trend. */
export const MIN_ACCOUNTS = 3;
/** A score halves every this long after its peak when use no longer keeps it up. */
export const HALF_LIFE_MS = 6 * HOUR_MS;
/** Below this a decayed score is forgotten. */
export const MIN_SCORE = 0.25;
/** Days of history Mastodon's entities carry, and days of baseline a hashtag or link is compared with. */
export const HISTORY_DAYS = 7;

/**
 * Observed against expected: zero unless more distinct accounts than expected (and at least MIN_ACCOUNTS) used it,
 * then the squared excess over the expectation (a chi-square term), so a jump from 1 to 6 outranks a steady 40.
 */
export function velocityScore(observed: number, expected: number): number {
  const baseline = Math.max(1, expected);
  if (observed < MIN_ACCOUNTS || observed <= baseline) return 0;
  return (observed - baseline) ** 2 / baseline;
}

export interface Peak {
  peakScore: number;
  peakAt: number;
}

/** The score now: the fresh score when it beats the decayed peak (and becomes the new peak), else the decayed peak. */
export function decayedScore(previous: Peak | undefined, fresh: number, now: number): Peak & { score: number } {
  const decayed = previous ? previous.peakScore * 0.5 ** ((now - previous.peakAt) / HALF_LIFE_MS) : 0;
  if (fresh >= decayed) return { score: fresh, peakScore: fresh, peakAt: now };
  return { score: decayed, peakScore: previous!.peakScore, peakAt: previous!.peakAt };
}

/** The start (UTC midnight) of the day holding a moment, in milliseconds. */
export const dayStart = (at: number) => Math.floor(at / DAY_MS) * DAY_MS;
