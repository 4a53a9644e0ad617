import { eq } from "drizzle-orm";
import { storyItems, storyReplies, users } from "#db/schema/index.ts";
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

/** A reply or emoji reaction reaches the item's author, quoting the item. */
export async function notifyAboutStoryReply(ctx: DomainContext, event: DomainEvent<"story.replied">): Promise<Notification[]> {
  const { replyId, itemId, authorId, fromUserId } = event.payload;
  const reply = await ctx.db.query.storyReplies.findFirst({ where: eq(storyReplies.id, replyId), columns: { kind: true } });
  if (!reply) return [];
  return notify(
    ctx,
    event.id,
    [
      {
        recipientId: authorId,
        type: reply.kind === "reply" ? "story_reply" : "story_reaction",
        actorId: fromUserId,
        storyItemId: itemId,
        storyReplyId: replyId,
      },
    ],
    event.occurredAt,
  );
}
