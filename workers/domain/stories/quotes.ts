import { eq, inArray } from "drizzle-orm";
import { highlightItems, storyItems, users } from "#db/schema/index.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { publicUserColumns, type PublicUser } from "../profiles/profile.ts";
import { canSeeStoryItem, isLive, storyStanding, type StoryStanding } from "./audience.ts";

/**
 * What a message replying to a story shows of the item (ADR 0043): a thumbnail while the reader may still see it
 * (live, or kept in a highlight, by the same audience rule as everywhere), otherwise "Story unavailable".
 */
export interface StoryQuote {
  itemId: string;
  /** Who posted the item; null once the item is gone. */
  authorUsername: string | null;
  visible: {
    /** A highlight that keeps the item, for a quote of an expired item; null while the item is live. */
    highlightId: string | null;
    /** The thumbnail's key in R2: the preview of a video, the picture itself otherwise; null for a video without one. */
    thumbnailKey: string | null;
  } | null;
}

/** The quotes of these items as one reader sees them, by item id; items that no longer exist quote as unavailable. */
export async function storyQuotes(ctx: DomainContext, readerId: string | null, itemIds: string[]): Promise<Map<string, StoryQuote>> {
  const ids = [...new Set(itemIds)];
  const quotes = new Map<string, StoryQuote>(ids.map((itemId) => [itemId, { itemId, authorUsername: null, visible: null }]));
  if (ids.length === 0) return quotes;
  const [rows, kept] = await Promise.all([
    ctx.db
      .select({ item: storyItems, author: publicUserColumns })
      .from(storyItems)
      .innerJoin(users, eq(users.id, storyItems.authorId))
      .where(inArray(storyItems.id, inIds(ids))),
    ctx.db
      .select({ itemId: highlightItems.itemId, highlightId: highlightItems.highlightId })
      .from(highlightItems)
      .where(inArray(highlightItems.itemId, inIds(ids))),
  ]);
  const standings = new Map<string, Promise<StoryStanding>>();
  const standingWith = (author: PublicUser) => {
    if (!standings.has(author.id)) standings.set(author.id, storyStanding(ctx, readerId, author));
    return standings.get(author.id)!;
  };
  for (const { item, author } of rows) {
    const highlightId = kept.find((row) => row.itemId === item.id)?.highlightId ?? null;
    const showable = item.filesKept && (isLive(item) || highlightId !== null) && canSeeStoryItem(await standingWith(author), item);
    quotes.set(item.id, {
      itemId: item.id,
      authorUsername: author.username,
      visible: showable
        ? {
            highlightId: isLive(item) ? null : highlightId,
            thumbnailKey: item.previewKey ?? (item.mediaType === "video" ? null : item.key),
          }
        : null,
    });
  }
  return quotes;
}
