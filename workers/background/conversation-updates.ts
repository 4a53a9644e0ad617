import { and, eq, inArray } from "drizzle-orm";
import { liveListeners } from "#db/schema/index.ts";
import type { DomainContext } from "#domain/context.ts";
import { tellListeners } from "#domain/live/audience.ts";
import { directConversationsById, type ConversationChange } from "#domain/posts/direct-conversations.ts";
import { presentConversation } from "#workers/api/entities/conversation.ts";

/**
 * Mastodon's `conversation` streaming event: a reader's conversation changed (a direct post came in, or its newest
 * one was deleted), sent on their `direct` stream with the Conversation entity as they read it.
 */
export async function streamConversations(ctx: DomainContext, changes: ConversationChange[]): Promise<number> {
  if (changes.length === 0) return 0;
  const listeners = await ctx.db
    .select({ userId: liveListeners.userId, channel: liveListeners.channel, origin: liveListeners.origin })
    .from(liveListeners)
    .where(
      and(
        eq(liveListeners.channel, "direct"),
        inArray(
          liveListeners.userId,
          changes.map((change) => change.userId),
        ),
      ),
    );
  let delivered = 0;
  for (const listener of listeners) {
    const ids = changes.filter((change) => change.userId === listener.userId).map((change) => change.conversationId);
    for (const conversation of await directConversationsById(ctx, listener.userId, ids)) {
      delivered += await tellListeners(ctx, [listener], () => ({
        event: "conversation",
        payload: JSON.stringify(presentConversation(conversation, listener.origin)),
      }));
    }
  }
  return delivered;
}
