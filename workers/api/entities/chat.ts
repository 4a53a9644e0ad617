import { z } from "@hono/zod-openapi";
import type { ConversationSummary } from "#domain/messages/conversations.ts";
import { groupPicturePath } from "#domain/messages/group-pictures.ts";
import { messageAttachmentTypes } from "#db/schema/index.ts";
import type { MessageAttachmentView } from "#domain/messages/attachments.ts";
import { MESSAGE_MAX_CHARACTERS, type MessageView } from "#domain/messages/messages.ts";
import type { SharedPostCard } from "#domain/messages/shared-posts.ts";
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

/**
 * Where a member fetches an attachment's file (workers/media/chat-media.ts checks membership): a path, as chat
 * entities carry (ADR 0046).
 */
const chatMediaPath = (conversationId: string, attachmentId: string, variant: "original" | "small") =>
  `/media/chats/${conversationId}/${attachmentId}/${variant}`;

const ChatMediaSizeSchema = z.object({ width: z.number().int(), height: z.number().int() });

export const ChatAttachmentSchema = z
  .object({
    id: z.string(),
    type: z.enum(messageAttachmentTypes).openapi({ description: "image, gifv (an animated GIF), video, or file (a PDF or plain text)." }),
    url: z.string().openapi({
      description: "Path on this instance of the file. Members only: send your access token (or the session cookie); anyone else gets 404.",
    }),
    preview_url: z.string().nullable().openapi({ description: "Path of a small WebP preview (images, and videos sent with a thumbnail)." }),
    content_type: z
      .string()
      .openapi({ description: "The file's type, from its bytes: image/webp, image/gif, video/mp4, application/pdf, text/plain..." }),
    name: z.string().openapi({ description: "The file's name as uploaded (cleaned), offered when downloading." }),
    size: z.number().int().openapi({ description: "Bytes as uploaded." }),
    meta: z.object({ original: ChatMediaSizeSchema.optional(), small: ChatMediaSizeSchema.optional() }),
    description: z.string().nullable().openapi({ description: "Alt text (stored encrypted, as message text is)." }),
  })
  .openapi("ChatAttachment", { description: "A file sent in a conversation (Perch; ADR 0055)." });

export const ChatSharedStatusSchema = z
  .object({
    id: z.string().openapi({ description: "The shared post's id." }),
    available: z.boolean().openapi({
      description:
        'Whether you may see the post now (it may be deleted, private to others, or its author may block you). Otherwise show "This post is unavailable".',
    }),
    url: z.string().nullable().openapi({ description: "Path on this instance of the post's page, while available." }),
    author: z.object({ username: z.string(), display_name: z.string() }).nullable(),
    excerpt: z.string().nullable().openapi({ description: "The start of its text; empty behind a content warning." }),
    spoiler_text: z.string().nullable().openapi({ description: "Its content warning, if any." }),
    thumbnail_url: z
      .string()
      .nullable()
      .openapi({ description: "Path of its first attachment's preview; null without media, behind a warning, or for sensitive media." }),
    thumbnail_description: z.string().nullable(),
  })
  .openapi("ChatSharedStatus", { description: "A post shared into a conversation, as a card built for you when read (Perch; ADR 0055)." });

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
        description: `Plain text, at most ${MESSAGE_MAX_CHARACTERS} characters; empty for a message of only attachments or a shared post; null once deleted for everyone, removed by moderators, or held for review and not yours.`,
      }),
    reply_to_id: z.string().nullable(),
    edited_at: z.string().nullable(),
    deleted_at: z.string().nullable(),
    created_at: z.string(),
    moderation: z.enum(["held", "removed"]).nullable().openapi({
      description:
        "held: only its sender sees it (with its text) until a moderator decides; removed: by moderators, shown to everyone without its text.",
    }),
    sensitive: z.boolean().openapi({
      description:
        "Its media_attachments are sensitive (marked by the sender, the moderation pipeline or a moderator): show them behind a cover, as a status's sensitive media.",
    }),
    reactions: z.array(ChatReactionSchema),
    story: ChatStoryQuoteSchema.nullable().openapi({ description: "For a reply or reaction to a story: the item it quotes." }),
    media_attachments: z.array(ChatAttachmentSchema),
    shared_status: ChatSharedStatusSchema.nullable(),
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
export type ChatAttachment = z.infer<typeof ChatAttachmentSchema>;
export type ChatSharedStatus = z.infer<typeof ChatSharedStatusSchema>;

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
    sensitive: message.sensitive,
    reactions: message.reactions,
    story: message.story && presentStoryQuote(message.story),
    media_attachments: message.attachments.map(presentChatAttachment),
    shared_status: message.sharedPost && presentSharedStatus(message.sharedPost),
  };
}

export function presentChatAttachment(attachment: MessageAttachmentView): z.infer<typeof ChatAttachmentSchema> {
  const { width, height, preview } = attachment;
  return {
    id: attachment.id,
    type: attachment.type,
    url: chatMediaPath(attachment.conversationId, attachment.id, "original"),
    preview_url: attachment.hasPreview ? chatMediaPath(attachment.conversationId, attachment.id, "small") : null,
    content_type: attachment.contentType,
    name: attachment.name,
    size: attachment.sizeBytes,
    meta: { ...(width && height ? { original: { width, height } } : {}), ...(preview ? { small: preview } : {}) },
    description: attachment.description,
  };
}

/** The card of a shared post as one reader sees it; built per reader, in the room too (ADR 0055). */
export function presentSharedStatus(card: SharedPostCard): z.infer<typeof ChatSharedStatusSchema> {
  const { post } = card;
  return {
    id: card.postId,
    available: post !== null,
    url: post ? `/${post.authorUsername}/status/${card.postId}` : null,
    author: post ? { username: post.authorUsername, display_name: post.authorDisplayName } : null,
    excerpt: post?.excerpt ?? null,
    spoiler_text: post?.spoilerText ?? null,
    thumbnail_url: post?.thumbnailKey ? `/media/${post.thumbnailKey}` : null,
    thumbnail_description: post?.thumbnailKey ? post.thumbnailDescription : null,
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
