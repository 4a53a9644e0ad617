import { z } from "zod";

/** How many records one read by ids may ask for (Mastodon's GET /api/v1/statuses and /api/v1/accounts with id[]). */
export const MAX_IDS_PER_READ = 40;

/** The ids a read asks for: at least one and at most MAX_IDS_PER_READ; an id asked for twice is read once. */
export const idListSchema = z
  .array(z.string())
  .min(1, "Ask for at least one id")
  .max(MAX_IDS_PER_READ, `Ask for at most ${MAX_IDS_PER_READ} ids at once`)
  .transform((ids) => [...new Set(ids)]);

/** The items found, in the order their ids were asked for; ids with no item are left out. */
export function inAskedOrder<T>(ids: string[], items: T[], idOf: (item: T) => string): T[] {
  const byId = new Map(items.map((item) => [idOf(item), item]));
  return ids.map((id) => byId.get(id)).filter((item): item is T => item !== undefined);
}
