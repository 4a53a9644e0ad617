import type { DomainContext } from "../context.ts";
import { advanceMarker, readMarkers } from "../markers.ts";
import { MAX_PAGE_SIZE, type Page } from "../pagination.ts";
import type { ShownPost } from "../posts/hydrate.ts";
import { homeTimeline } from "../timelines.ts";

/** What came into a person's home above a position: how many posts, counted up to a page of MAX_PAGE_SIZE. */
export interface HomeNews {
  /** The position counted from: the one asked for, or the saved home marker; null when there is none. */
  since: string | null;
  newPosts: number;
  /** The count stopped at its cap: there are at least this many. */
  more: boolean;
}

const nothingNew = (since: string | null): HomeNews => ({ since, newPosts: 0, more: false });

/**
 * How many posts of their home a person has not been shown: those above `since` (the newest post a page showed them).
 * Counted through homeTimeline itself, so what a mute or block hides is not counted.
 */
export async function homeNewsSince(ctx: DomainContext, userId: string, since: string): Promise<HomeNews> {
  const page = await homeTimeline(ctx, userId, { since_id: since, limit: MAX_PAGE_SIZE });
  return { since, newPosts: page.items.length, more: page.older !== null };
}

/**
 * A person arriving at the newest page of their home: what came in since their home marker (where they stopped last
 * time), and the marker moved to the newest post the page shows. When the marker is among the page's rows (the usual
 * return), the page itself is counted, so arriving costs one read and one write beyond the page; only a marker older
 * than the whole page needs a count of its own.
 */
export async function arriveHome(ctx: DomainContext, userId: string, page: Page<ShownPost>): Promise<HomeNews> {
  const [marker] = await readMarkers(ctx, userId, ["home"]);
  const since = marker?.lastReadId ?? null;
  if (!page.newer || (since !== null && since >= page.newer)) return nothingNew(since);
  await advanceMarker(ctx, userId, "home", page.newer);
  if (since === null) return nothingNew(null);
  const pageReachesMarker = page.older === null || page.older <= since;
  if (!pageReachesMarker) return homeNewsSince(ctx, userId, since);
  return { since, newPosts: page.items.filter((shown) => shown.post.id > since).length, more: false };
}
