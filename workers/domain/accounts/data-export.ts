import { desc, eq } from "drizzle-orm";
import { connections, drafts, follows, loginEvents, posts, sessions, users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { attachmentsSentBy } from "../messages/attachments.ts";
import { messagesSentBy } from "../messages/messages.ts";
import type { User } from "./users.ts";

/**
 * Everything the account holds, as one JSON document they can download. Each feature that stores something of the
 * user's adds its section here (likes and bookmarks join it with those features); messages are decrypted.
 */
export async function exportAccount(ctx: DomainContext, user: User) {
  const [authored, unsent, following, followers, linked, devices, history] = await ctx.db.batch([
    ctx.db.select().from(posts).where(eq(posts.authorId, user.id)).orderBy(desc(posts.id)),
    ctx.db.select().from(drafts).where(eq(drafts.authorId, user.id)).orderBy(desc(drafts.id)),
    ctx.db
      .select({ username: users.username, since: follows.createdAt })
      .from(follows)
      .innerJoin(users, eq(users.id, follows.followeeId))
      .where(eq(follows.followerId, user.id)),
    ctx.db
      .select({ username: users.username, since: follows.createdAt })
      .from(follows)
      .innerJoin(users, eq(users.id, follows.followerId))
      .where(eq(follows.followeeId, user.id)),
    ctx.db
      .select({ provider: connections.provider, username: connections.username, email: connections.email })
      .from(connections)
      .where(eq(connections.userId, user.id)),
    ctx.db
      .select({ ip: sessions.ip, userAgent: sessions.userAgent, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt })
      .from(sessions)
      .where(eq(sessions.userId, user.id)),
    ctx.db.select().from(loginEvents).where(eq(loginEvents.userId, user.id)).orderBy(desc(loginEvents.id)),
  ]);
  const sentMessages = await messagesSentBy(ctx, user.id);
  const sentAttachments = await attachmentsSentBy(ctx, user.id);
  return {
    exportedAt: new Date().toISOString(),
    format: "perch-export/1",
    profile: {
      id: user.id,
      username: user.username,
      email: user.email,
      emailVerifiedAt: user.emailVerifiedAt,
      displayName: user.displayName,
      bio: user.bio,
      role: user.role,
      locked: user.locked,
      bot: user.bot,
      discoverable: user.discoverable,
      createdAt: user.createdAt,
    },
    posts: authored.map((post) => ({
      id: post.id,
      text: post.text,
      spoilerText: post.spoilerText,
      visibility: post.visibility,
      language: post.language,
      inReplyToId: post.inReplyToId,
      createdAt: post.createdAt,
      editedAt: post.editedAt,
    })),
    drafts: unsent.map((draft) => ({
      id: draft.id,
      text: draft.text,
      thread: draft.thread,
      spoilerText: draft.spoilerText,
      visibility: draft.visibility,
      language: draft.language,
      inReplyToId: draft.inReplyToId,
      quoteOfId: draft.quoteOfId,
      poll: draft.poll,
      scheduledAt: draft.scheduledAt,
      failure: draft.failure,
      createdAt: draft.createdAt,
      updatedAt: draft.updatedAt,
    })),
    messages: sentMessages,
    // What the files sent in messages were (names and descriptions decrypted); the files themselves are not included.
    messageAttachments: sentAttachments,
    following,
    followers,
    connections: linked,
    sessions: devices,
    loginHistory: history.map(({ success, method, reason, ip, userAgent, createdAt }) => ({
      success,
      method,
      reason,
      ip,
      userAgent,
      createdAt,
    })),
  };
}
