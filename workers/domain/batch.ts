import { z } from "zod";

/** How many ids one batch read may ask for, as Mastodon 4.3 allows (GET /api/v1/statuses?id[]=, /accounts?id[]=). */
export const MAX_BATCH_IDS = 40;

/** The ids of a batch read: at least one, at most MAX_BATCH_IDS. */
export const batchIdsSchema = z
  .array(z.string())
  .min(1, "Ask for at least one id")
  .max(MAX_BATCH_IDS, `Ask for at most ${MAX_BATCH_IDS} ids`);

/** What was found, in the order its ids were asked for, each once; ids that found nothing are left out. */
export function inAskedOrder<T>(wanted: readonly string[], found: readonly T[], idOf: (item: T) => string): T[] {
  const byId = new Map(found.map((item) => [idOf(item), item]));
  return [...new Set(wanted)].flatMap((id) => {
    const item = byId.get(id);
    return item === undefined ? [] : [item];
  });
}
