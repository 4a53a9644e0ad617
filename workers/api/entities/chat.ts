import { z } from "@hono/zod-openapi";
import type { ConversationSummary } from "#domain/messages/conversations.ts";
import { groupPicturePath } from "#domain/messages/group-pictures.ts";
import { MESSAGE_MAX_CHARACTERS, type MessageView } from "#domain/messages/messages.ts";
import type { StoryQuote } from "#domain/stories/quotes.ts";

/** Perch's chat entities (extension API under /api/v1/perch/chats, docs/decisions/0035). Ids are strings. */
export const ChatReactionSchema = z.object({ emoji: z.string(), count: z.number().int(), me: z.boolean() }).openapi("ChatReaction");

export const ChatStoryQuoteSchema = z
  .object({
    item_id: z.string(),
    author_username: z.string().nullable().openapi({ description: "Who posted the story; null once it is gone." }),
    available: z.boolean().openapi({
      description: 'Whether you may still see the item: live, or kept in a highlight. Otherwise show "Story unavailable".',
    }),
    url: z.string().nullable().openapi({ description: "Path on this instance of the item's page (live) or the highlight keeping it." }),
    thumbnail_url: z.string().nullable().openapi({ description: "Path on this instance of a thumbnail of the item, while available." }),
  })
  .openapi("ChatStoryQuote", { description: "The story item a reply or emoji reaction to a story quotes (Perch)." });

export const ChatMessageSchema = z
  .object({
    id: z.string(),
    conversation_id: z.string(),
    sender_id: z.string(),
    client_id: z.string().openapi({ description: "The sender's idempotency key: a retry with the same one returns this message." }),
    text: z
      .string()
      .nullable()
      .openapi({
        description: `Plain text, at most ${MESSAGE_MAX_CHARACTERS} characters; null once deleted for everyone, removed by moderators, or held for review and not yours.`,
      }),
    reply_to_id: z.string().nullable(),
    edited_at: z.string().nullable(),
    deleted_at: z.string().nullable(),
    created_at: z.string(),
    moderation: z.enum(["held", "removed"]).nullable().openapi({
      description:
        "held: only its sender sees it (with its text) until a moderator decides; removed: by moderators, shown to everyone without its text.",
    }),
    reactions: z.array(ChatReactionSchema),
    story: ChatStoryQuoteSchema.nullable().openapi({ description: "For a reply or reaction to a story: the item it quotes." }),
  })
  .openapi("ChatMessage");

export const ChatConversationSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["direct", "group"]),
    name: z.string().nullable(),
    access: z.enum(["invite", "link"]),
    role: z.enum(["owner", "admin", "member"]).openapi({ description: "Your role in it." }),
    state: z.enum(["active", "request"]).openapi({ description: "request: a message request you have not accepted." }),
    muted: z.boolean(),
    archived: z.boolean(),
    unread: z.number().int().openapi({ description: "Messages after your read marker, counted up to 100." }),
    last_read_id: z.string().nullable(),
    last_message_id: z.string().nullable(),
    member_ids: z.array(z.string()),
    picture_url: z
      .string()
      .nullable()
      .openapi({ description: "A group's picture (400x400 WebP), as a path on this server (/media/...); null when it has none." }),
    last_seen: z
      .array(z.object({ account_id: z.string(), at: z.string() }))
      .openapi({ description: "When other members were last active in chat; those who hide their presence are left out." }),
  })
  .openapi("ChatConversation");

export type ChatMessage = z.infer<typeof ChatMessageSchema>;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function presentChatMessage(message: MessageView): ChatMessage {
  return {
    id: message.id,
    conversation_id: message.conversationId,
    sender_id: message.senderId,
    client_id: message.clientId,
    text: message.text,
    reply_to_id: message.replyToId,
    edited_at: iso(message.editedAt),
    deleted_at: iso(message.deletedAt),
    created_at: message.createdAt.toISOString(),
    moderation: message.moderation,
    reactions: message.reactions,
    story: message.story && presentStoryQuote(message.story),
  };
}

/** Paths, not URLs: a message is presented once, in its room, for every member whatever origin they came by. */
function presentStoryQuote(quote: StoryQuote): z.infer<typeof ChatStoryQuoteSchema> {
  const { visible } = quote;
  return {
    item_id: quote.itemId,
    author_username: quote.authorUsername,
    available: visible !== null,
    url: visible
      ? visible.highlightId
        ? `/highlights/${visible.highlightId}?item=${quote.itemId}`
        : `/stories/${quote.authorUsername}/${quote.itemId}`
      : null,
    thumbnail_url: visible?.thumbnailKey ? `/media/${visible.thumbnailKey}` : null,
  };
}

export function presentChatConversation(summary: ConversationSummary): z.infer<typeof ChatConversationSchema> {
  const { conversation, member } = summary;
  return {
    id: conversation.id,
    kind: conversation.kind,
    name: conversation.name,
    access: conversation.access,
    role: member.role,
    state: member.state,
    muted: member.muted,
    archived: member.archived,
    unread: summary.unread,
    last_read_id: member.lastReadId,
    last_message_id: conversation.lastMessageId,
    member_ids: summary.memberIds,
    picture_url: conversation.pictureKey ? groupPicturePath(conversation.pictureKey) : null,
    last_seen: summary.lastSeen.map((item) => ({ account_id: item.userId, at: item.at.toISOString() })),
  };
}
