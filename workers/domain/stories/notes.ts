import { eq, inArray } from "drizzle-orm";
import { storyItems, users } from "#db/schema/index.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";

/** What a story notification quotes: the item (its author's username makes its link). */
export interface StoryNote {
  itemId: string;
  authorUsername: string;
  previewKey: string | null;
}

/** The notes of story notifications among these rows, by notification id, in one read. */
export async function storyNotes(ctx: DomainContext, rows: { id: string; storyItemId: string | null }[]): Promise<Map<string, StoryNote>> {
  const itemIds = [...new Set(rows.map((row) => row.storyItemId).filter((id): id is string => Boolean(id)))];
  if (itemIds.length === 0) return new Map();
  const items = await ctx.db
    .select({
      id: storyItems.id,
      username: users.username,
      previewKey: storyItems.previewKey,
      key: storyItems.key,
      mediaType: storyItems.mediaType,
    })
    .from(storyItems)
    .innerJoin(users, eq(users.id, storyItems.authorId))
    .where(inArray(storyItems.id, inIds(itemIds)));
  const notes = new Map<string, StoryNote>();
  for (const row of rows) {
    const item = items.find((candidate) => candidate.id === row.storyItemId);
    if (!item) continue;
    notes.set(row.id, {
      itemId: item.id,
      authorUsername: item.username,
      previewKey: item.previewKey ?? (item.mediaType === "video" ? null : item.key),
    });
  }
  return notes;
}
