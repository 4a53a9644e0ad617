import { eq, inArray } from "drizzle-orm";
import { storyItems, storyReplies, users } from "#db/schema/index.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";

/** What a story notification quotes: the item (its author's username makes its link) and the reply or emoji sent. */
export interface StoryNote {
  itemId: string;
  authorUsername: string;
  previewKey: string | null;
  text: string | null;
}

/** The notes of story notifications among these rows, by notification id, in one read. */
export async function storyNotes(
  ctx: DomainContext,
  rows: { id: string; storyItemId: string | null; storyReplyId: string | null }[],
): Promise<Map<string, StoryNote>> {
  const itemIds = [...new Set(rows.map((row) => row.storyItemId).filter((id): id is string => Boolean(id)))];
  if (itemIds.length === 0) return new Map();
  const replyIds = rows.map((row) => row.storyReplyId).filter((id): id is string => Boolean(id));
  const [items, replies] = await Promise.all([
    ctx.db
      .select({
        id: storyItems.id,
        username: users.username,
        previewKey: storyItems.previewKey,
        key: storyItems.key,
        mediaType: storyItems.mediaType,
      })
      .from(storyItems)
      .innerJoin(users, eq(users.id, storyItems.authorId))
      .where(inArray(storyItems.id, inIds(itemIds))),
    replyIds.length
      ? ctx.db
          .select({ id: storyReplies.id, text: storyReplies.text })
          .from(storyReplies)
          .where(inArray(storyReplies.id, inIds(replyIds)))
      : Promise.resolve([]),
  ]);
  const notes = new Map<string, StoryNote>();
  for (const row of rows) {
    const item = items.find((candidate) => candidate.id === row.storyItemId);
    if (!item) continue;
    notes.set(row.id, {
      itemId: item.id,
      authorUsername: item.username,
      previewKey: item.previewKey ?? (item.mediaType === "video" ? null : item.key),
      text: replies.find((reply) => reply.id === row.storyReplyId)?.text ?? null,
    });
  }
  return notes;
}
