import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./accounts.ts";
import { moderationStates } from "./posts.ts";

export const conversationKinds = ["direct", "group"] as const;
/** How a group is joined: by invitation only, or by anyone holding its link (a topic room). */
export const conversationAccess = ["invite", "link"] as const;
export const memberRoles = ["owner", "admin", "member"] as const;
/** A member who has not accepted a conversation started by someone they do not follow holds it as a request. */
export const memberStates = ["active", "request"] as const;

/** A one-to-one conversation or a group room (docs/decisions/0035). */
export const conversations = sqliteTable(
  "conversations",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: conversationKinds }).notNull(),
    /** For a one-to-one conversation, "<smaller user id>:<larger user id>": two people share exactly one. */
    directKey: text("direct_key"),
    name: text("name"),
    access: text("access", { enum: conversationAccess }).notNull().default("invite"),
    /** A group's picture: the R2 key of its square image (media/group-pictures.ts); null shows the default. */
    pictureKey: text("picture_key"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    /** The newest message's id: the list of conversations is ordered by it, and unread counts compare with it. */
    lastMessageId: text("last_message_id"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("conversations_direct_key_unique").on(t.directKey)],
);

export const conversationMembers = sqliteTable(
  "conversation_members",
  {
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: memberRoles }).notNull().default("member"),
    state: text("state", { enum: memberStates }).notNull().default("active"),
    /** The newest message this member has read (the read marker); null before the first read. */
    lastReadId: text("last_read_id"),
    muted: integer("muted", { mode: "boolean" }).notNull().default(false),
    archived: integer("archived", { mode: "boolean" }).notNull().default(false),
    joinedAt: integer("joined_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.userId] }), index("conversation_members_user_idx").on(t.userId, t.state)],
);

/**
 * A message. Its body is AES-GCM ciphertext under the key version named in the row (domain/messages/encryption.ts);
 * the plaintext is never stored. A message deleted for everyone keeps its row, with no body, as a visible marker.
 */
export const messages = sqliteTable(
  "messages",
  {
    /** Time-sortable, minted by the conversation's room in order: id order is the conversation's order. */
    id: text("id").primaryKey(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    senderId: text("sender_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Chosen by the sending client: a retry with the same one returns the stored message instead of a second. */
    clientId: text("client_id").notNull(),
    /** "<iv>.<ciphertext>", base64url; null once deleted for everyone. */
    body: text("body"),
    keyVersion: integer("key_version").notNull(),
    replyToId: text("reply_to_id"),
    /**
     * The story item a story reply or reaction quotes (ADR 0043). No foreign key: the item goes after expiry and the
     * message stays, quoting "Story unavailable".
     */
    storyItemId: text("story_item_id"),
    /**
     * A post shared into the conversation, shown as a card built when the message is read, as each reader may see the
     * post (ADR 0055). No foreign key: a deleted post leaves the message, whose card then says the post is unavailable.
     */
    sharedPostId: text("shared_post_id"),
    editedAt: integer("edited_at", { mode: "timestamp_ms" }),
    deletedAt: integer("deleted_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /**
     * Moderation's hold (only the sender sees it, marked, until a moderator decides) or removal (shown to everyone as
     * removed by moderators); the body stays encrypted for review and appeal (docs/decisions/0054).
     */
    moderationState: text("moderation_state", { enum: moderationStates }),
    /**
     * Its attachments are sensitive: shown behind a cover, as a post's sensitive media are. Set by the sender, by the
     * moderation pipeline or by a moderator (docs/decisions/0054).
     */
    sensitive: integer("sensitive", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    uniqueIndex("messages_client_id_unique").on(t.conversationId, t.senderId, t.clientId),
    index("messages_conversation_idx").on(t.conversationId, t.id),
    index("messages_sender_idx").on(t.senderId),
    index("messages_key_version_idx").on(t.keyVersion),
    // The few messages moderation holds or removed: the held queue reads them without a scan.
    index("messages_moderated_idx")
      .on(t.moderationState, t.id)
      .where(sql`${t.moderationState} IS NOT NULL`),
  ],
);

/** What a message may carry: Mastodon's image, gifv and video, and files (documents, ADR 0055). */
export const messageAttachmentTypes = ["image", "gifv", "video", "file"] as const;

/**
 * A file sent in a conversation. Uploaded into one conversation by a member, it waits (message_id null) until one of
 * their messages takes it, or is removed after a day. Its files live in R2 under a prefix the public media door
 * refuses: they are served only to members, through /media/chats/... (ADR 0055). The file's name and its description
 * (alt text) are sealed like message bodies, under the key version in `key_version`.
 */
export const messageAttachments = sqliteTable(
  "message_attachments",
  {
    id: text("id").primaryKey(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    uploaderId: text("uploader_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    messageId: text("message_id").references(() => messages.id, { onDelete: "cascade" }),
    position: integer("position").notNull().default(0),
    type: text("type", { enum: messageAttachmentTypes }).notNull(),
    contentType: text("content_type").notNull(),
    key: text("key").notNull(),
    previewKey: text("preview_key"),
    width: integer("width"),
    height: integer("height"),
    sizeBytes: integer("size_bytes").notNull(),
    /** The uploaded file's name, sealed ("<iv>.<ciphertext>"). */
    name: text("name").notNull(),
    /** Alt text, sealed; null when there is none. */
    description: text("description"),
    keyVersion: integer("key_version").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("message_attachments_message_idx").on(t.messageId, t.position),
    index("message_attachments_uploader_idx").on(t.uploaderId, t.createdAt),
    index("message_attachments_conversation_idx").on(t.conversationId),
    index("message_attachments_key_version_idx").on(t.keyVersion),
  ],
);

export const messageReactions = sqliteTable(
  "message_reactions",
  {
    messageId: text("message_id")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    emoji: text("emoji").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.userId, t.emoji] })],
);

/** A message someone deleted for themselves only: hidden from them, still there for the others. */
export const messageDeletions = sqliteTable(
  "message_deletions",
  {
    messageId: text("message_id")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.messageId] })],
);

/**
 * Chat privacy, beside users.message_policy (who may message me). Turning read receipts off hides yours and theirs;
 * turning presence off hides your being online and last seen.
 */
export const chatSettings = sqliteTable("chat_settings", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  readReceipts: integer("read_receipts", { mode: "boolean" }).notNull().default(true),
  showPresence: integer("show_presence", { mode: "boolean" }).notNull().default(true),
  lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }),
});
