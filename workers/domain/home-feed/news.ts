import type { DomainContext } from "../context.ts";
import { readMarkers } from "../markers.ts";
import { MAX_PAGE_SIZE } from "../pagination.ts";
import { homeTimeline } from "../timelines.ts";

/** What came into a person's home since a position: how many posts (counted up to `counted`, more shown as "40+"). */
export interface HomeNews {
  /** The position counted from: the one asked for, or the saved home marker; null when neither exists. */
  since: string | null;
  newPosts: number;
  /** The count stopped at its cap: there are at least this many. */
  more: boolean;
}

/**
 * How many posts of their home a person has not seen yet: those above `since` (the newest post a page showed them) or,
 * without it, above their home marker (where they stopped reading last time). Counted through homeTimeline itself, so
 * what a mute or block hides is not counted.
 */
export async function homeNews(ctx: DomainContext, userId: string, since?: string): Promise<HomeNews> {
  const from = since ?? (await readMarkers(ctx, userId, ["home"]))[0]?.lastReadId ?? null;
  if (!from) return { since: null, newPosts: 0, more: false };
  const page = await homeTimeline(ctx, userId, { since_id: from, limit: MAX_PAGE_SIZE });
  return { since: from, newPosts: page.items.length, more: page.older !== null };
}
