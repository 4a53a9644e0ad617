import { eq } from "drizzle-orm";
import { storyItems, users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import type { DomainEvent } from "../events/catalogue.ts";
import type { Notification } from "../notifications/inbox.ts";
import { notify } from "../notifications/notify.ts";
import { publicUserColumns } from "../profiles/profile.ts";
import { canSeeStoryItem, storyStanding } from "./audience.ts";

/**
 * A story item's mention sticker tells the person it names, if they may see the item (its audience, blocks and the
 * hidden list all hold); notify() then applies mutes, preferences and the notification policy.
 */
export async function notifyAboutStoryMention(ctx: DomainContext, event: DomainEvent<"story.created">): Promise<Notification[]> {
  const { itemId, authorId, mentionedId } = event.payload;
  if (!mentionedId) return [];
  const [row] = await ctx.db
    .select({ item: storyItems, author: publicUserColumns })
    .from(storyItems)
    .innerJoin(users, eq(users.id, authorId))
    .where(eq(storyItems.id, itemId));
  if (!row || !canSeeStoryItem(await storyStanding(ctx, mentionedId, row.author), row.item)) return [];
  return notify(
    ctx,
    event.id,
    [{ recipientId: mentionedId, type: "story_mention", actorId: authorId, storyItemId: itemId }],
    event.occurredAt,
  );
}
