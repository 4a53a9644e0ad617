import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./accounts.ts";
import { posts } from "./posts.ts";

/**
 * Mastodon's conversations (GET /api/v1/conversations): direct posts as one reader sees them, grouped by thread and by
 * who else takes part, as Mastodon's account_conversations are (docs/decisions/0045). Kept by the event pipeline when a
 * direct post is created or deleted. Perch's chats (messages.ts) are a different thing.
 */
export const directConversations = sqliteTable(
  "direct_conversations",
  {
    /** Time-sortable; the Conversation entity's id. */
    id: text("id").primaryKey(),
    /** Whose view of the conversation this is. */
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The direct post that started the thread (or the post outside it the thread replied to). */
    threadId: text("thread_id").notNull(),
    /** The other people in it: their ids, sorted, comma-separated ("" when the author mentioned no one). */
    participantIds: text("participant_ids").notNull(),
    /** The newest post in it: the list is ordered and paginated by it, as Mastodon's is. */
    lastStatusId: text("last_status_id").notNull(),
    unread: integer("unread", { mode: "boolean" }).notNull().default(false),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("direct_conversations_key_unique").on(t.userId, t.threadId, t.participantIds),
    index("direct_conversations_user_idx").on(t.userId, t.lastStatusId),
    index("direct_conversations_last_status_idx").on(t.lastStatusId),
  ],
);

/** The posts of a reader's conversation: a deleted post leaves with its row, and the conversation falls back a post. */
export const directConversationPosts = sqliteTable(
  "direct_conversation_posts",
  {
    conversationId: text("conversation_id")
      .notNull()
      .references(() => directConversations.id, { onDelete: "cascade" }),
    postId: text("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.postId] }), index("direct_conversation_posts_post_idx").on(t.postId)],
);
