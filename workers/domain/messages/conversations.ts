import { and, desc, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import { newId } from "#db/ids.ts";
import { blocks, conversationMembers, conversations, follows, messageAttachments, users, type memberRoles } from "#db/schema/index.ts";
import { inIds } from "../batch.ts";
import { chunks } from "../chunks.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { commit } from "../events/outbox.ts";
import { block } from "../graph/blocks.ts";
import { eitherBlocks } from "../graph/relationships.ts";
import { discardedFiles } from "../media/attachments.ts";
import { publicUserColumns, shownDisplayName } from "../profiles/profile.ts";
import { lastSeenOf } from "./settings.ts";

export type Conversation = typeof conversations.$inferSelect;
export type Member = typeof conversationMembers.$inferSelect;
export type MemberRole = (typeof memberRoles)[number];

/** A group holds at most this many members, its owner included. */
export const MAX_GROUP_MEMBERS = 100;
export const MAX_GROUP_NAME_LENGTH = 100;

const notFound = () => new DomainError("not_found", "Conversation not found");

/**
 * The acting member of a conversation. Anyone else (a former member too) is told it does not exist, so ids reveal
 * nothing; `active` refuses a member who still holds it as a request.
 */
export async function membershipOf(
  ctx: DomainContext,
  conversationId: string,
  userId: string,
  options: { active?: boolean } = {},
): Promise<{ conversation: Conversation; member: Member }> {
  const [row] = await ctx.db
    .select({ conversation: conversations, member: conversationMembers })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)))
    .limit(1);
  if (!row) throw notFound();
  if (options.active && row.member.state !== "active") {
    throw new DomainError("forbidden", "Accept this message request first", { code: "request_pending" });
  }
  return row;
}

/** Every conversation someone is in (a request included): the rooms that may hold their sockets. */
export async function conversationIdsOf(ctx: DomainContext, userId: string): Promise<string[]> {
  const rows = await ctx.db
    .select({ conversationId: conversationMembers.conversationId })
    .from(conversationMembers)
    .where(eq(conversationMembers.userId, userId));
  return rows.map((row) => row.conversationId);
}

export function membersOf(ctx: DomainContext, conversationId: string): Promise<Member[]> {
  return ctx.db.select().from(conversationMembers).where(eq(conversationMembers.conversationId, conversationId));
}

/**
 * Whether `senderId` may start a conversation with (or add to a group) `recipientId`, and how it reaches them, by the
 * recipient's "who may message me" setting: everyone (as a request unless they follow the sender), people they
 * follow, or nobody (not even people they follow; conversations they are already in go on). A block either way refuses.
 */
export async function arrivalFor(ctx: DomainContext, senderId: string, recipientId: string): Promise<"active" | "request"> {
  const recipient = await ctx.db.query.users.findFirst({ where: eq(users.id, recipientId), columns: { id: true, messagePolicy: true } });
  if (!recipient || (await eitherBlocks(ctx, senderId, recipientId))) throw new DomainError("not_found", "Record not found");
  if (recipient.messagePolicy === "nobody") throw refusedMessages();
  const followsSender = await ctx.db.query.follows.findFirst({
    where: and(eq(follows.followerId, recipientId), eq(follows.followeeId, senderId)),
    columns: { followerId: true },
  });
  if (followsSender) return "active";
  if (recipient.messagePolicy === "everyone") return "request";
  throw refusedMessages();
}

const refusedMessages = () => new DomainError("forbidden", "This account does not accept messages from you", { code: "messages_refused" });

const directKey = (a: string, b: string) => (a < b ? `${a}:${b}` : `${b}:${a}`);

/**
 * The one-to-one conversation between the actor and someone else: the existing one, or a new one that reaches them
 * directly or as a request. A recipient who declined is asked again (as the rules above allow).
 */
export async function openDirect(ctx: DomainContext, actorId: string, recipientId: string): Promise<Conversation> {
  if (actorId === recipientId)
    throw new DomainError("unprocessable", "You cannot message yourself", { fields: { recipient: "Choose someone else" } });
  if (await eitherBlocks(ctx, actorId, recipientId)) throw new DomainError("not_found", "Record not found");
  const key = directKey(actorId, recipientId);
  const existing = await ctx.db.query.conversations.findFirst({ where: eq(conversations.directKey, key) });
  const members = existing ? await membersOf(ctx, existing.id) : [];
  const recipientHolds = members.some((member) => member.userId === recipientId);
  const arrival = recipientHolds ? undefined : await arrivalFor(ctx, actorId, recipientId);
  if (existing && recipientHolds && members.some((member) => member.userId === actorId)) return existing;
  const now = new Date();
  const id = existing?.id ?? newId(now.getTime());
  const statements = [];
  if (!existing) {
    statements.push(
      ctx.db.insert(conversations).values({ id, kind: "direct", directKey: key, createdBy: actorId, createdAt: now, updatedAt: now }),
    );
  }
  const rows = [{ userId: actorId, state: "active" as const }, ...(arrival ? [{ userId: recipientId, state: arrival }] : [])];
  statements.push(
    ctx.db
      .insert(conversationMembers)
      .values(rows.map((row) => ({ conversationId: id, role: "member" as const, joinedAt: now, ...row })))
      .onConflictDoNothing(),
  );
  await commit(ctx, statements, []);
  return (await ctx.db.query.conversations.findFirst({ where: eq(conversations.id, id) }))!;
}

export async function createGroup(
  ctx: DomainContext,
  actorId: string,
  input: { name: string; memberIds: string[]; access?: "invite" | "link" },
): Promise<Conversation> {
  const name = checkedName(input.name);
  const invited = [...new Set(input.memberIds)].filter((id) => id !== actorId);
  if (invited.length + 1 > MAX_GROUP_MEMBERS) {
    throw new DomainError("unprocessable", `A group has at most ${MAX_GROUP_MEMBERS} members`, { fields: { members: "Too many" } });
  }
  const arrivals = await groupArrivals(ctx, actorId, invited, [actorId, ...invited]);
  const now = new Date();
  const id = newId(now.getTime());
  await commit(
    ctx,
    [
      ctx.db
        .insert(conversations)
        .values({ id, kind: "group", name, access: input.access ?? "invite", createdBy: actorId, createdAt: now, updatedAt: now }),
      ...memberInserts(ctx, [
        { conversationId: id, userId: actorId, role: "owner", state: "active", joinedAt: now },
        ...arrivals.map((row) => ({ conversationId: id, userId: row.userId, role: "member" as const, state: row.state, joinedAt: now })),
      ]),
    ],
    [],
  );
  return (await ctx.db.query.conversations.findFirst({ where: eq(conversations.id, id) }))!;
}

/**
 * Member rows in runs that fit D1's 100 bound parameters per statement (up to eight a row), for one batch: a group of
 * 100 in a single INSERT would be refused.
 */
function memberInserts(ctx: DomainContext, rows: (typeof conversationMembers.$inferInsert)[]) {
  return chunks(rows, 12).map((run) => ctx.db.insert(conversationMembers).values(run).onConflictDoNothing());
}

function checkedName(value: string): string {
  const name = value.trim();
  if (name.length === 0 || name.length > MAX_GROUP_NAME_LENGTH) {
    throw new DomainError("unprocessable", `A group's name is 1 to ${MAX_GROUP_NAME_LENGTH} characters`, {
      fields: { name: "1 to 100 characters" },
    });
  }
  return name;
}

const rank: Record<MemberRole, number> = { owner: 2, admin: 1, member: 0 };

/** The acting member of a group, at least an admin (or the owner, when asked). */
export async function managerOf(ctx: DomainContext, conversationId: string, actorId: string, least: MemberRole = "admin") {
  const found = await membershipOf(ctx, conversationId, actorId, { active: true });
  if (found.conversation.kind !== "group") throw new DomainError("unprocessable", "A one-to-one conversation has no members to manage");
  if (rank[found.member.role] < rank[least])
    throw new DomainError("forbidden", `Only the group's ${least === "owner" ? "owner" : "admins"} may do that`);
  return found;
}

export async function renameGroup(ctx: DomainContext, conversationId: string, actorId: string, name: string): Promise<Conversation> {
  await managerOf(ctx, conversationId, actorId);
  await ctx.db
    .update(conversations)
    .set({ name: checkedName(name), updatedAt: new Date() })
    .where(eq(conversations.id, conversationId));
  return (await ctx.db.query.conversations.findFirst({ where: eq(conversations.id, conversationId) }))!;
}

export async function inviteMembers(ctx: DomainContext, conversationId: string, actorId: string, userIds: string[]): Promise<Member[]> {
  await managerOf(ctx, conversationId, actorId);
  const current = await membersOf(ctx, conversationId);
  const fresh = [...new Set(userIds)].filter((id) => !current.some((member) => member.userId === id));
  if (current.length + fresh.length > MAX_GROUP_MEMBERS)
    throw new DomainError("unprocessable", `A group has at most ${MAX_GROUP_MEMBERS} members`);
  const arrivals = await groupArrivals(ctx, actorId, fresh, [...current.map((member) => member.userId), ...fresh]);
  if (arrivals.length > 0) {
    const now = new Date();
    const inserts = memberInserts(
      ctx,
      arrivals.map((row) => ({ conversationId, userId: row.userId, state: row.state, role: "member" as const, joinedAt: now })),
    );
    await ctx.db.batch(inserts as [(typeof inserts)[number], ...typeof inserts]);
  }
  return membersOf(ctx, conversationId);
}

/** A group anyone may join by its link ("link" access), with how many are in it; anything else is not found. */
export async function joinableGroup(
  ctx: DomainContext,
  conversationId: string,
): Promise<{ conversation: Conversation; members: Member[] }> {
  const conversation = await ctx.db.query.conversations.findFirst({ where: eq(conversations.id, conversationId) });
  if (!conversation || conversation.kind !== "group" || conversation.access !== "link") throw notFound();
  return { conversation, members: await membersOf(ctx, conversationId) };
}

/** Anyone may join a group whose access is "link" by its id, unless someone in it blocks them or they block someone. */
export async function joinByLink(ctx: DomainContext, conversationId: string, userId: string): Promise<Conversation> {
  const { conversation, members } = await joinableGroup(ctx, conversationId);
  if (members.some((member) => member.userId === userId)) return conversation;
  if (members.length >= MAX_GROUP_MEMBERS) throw new DomainError("unprocessable", `A group has at most ${MAX_GROUP_MEMBERS} members`);
  // The one joining is one of the pair: refusing them tells them only of their own block.
  if (
    (
      await blockedAmong(
        ctx,
        [userId],
        members.map((member) => member.userId),
      )
    ).size > 0
  )
    throw notFound();
  await ctx.db
    .insert(conversationMembers)
    .values({ conversationId, userId, state: "active", role: "member", joinedAt: new Date() })
    .onConflictDoNothing();
  return conversation;
}

/**
 * How invitees arrive in a group: as `arrivalFor` says (a block between the inviter and an invitee refuses, since the
 * inviter is one of the pair), except that anyone who blocks, or is blocked by, someone else in the group (a member,
 * someone invited and yet to accept, or another invitee) arrives as a request. Refusing them would tell the inviter of
 * a block between two other people; as a request, they meet the rule themselves when they accept (`mayBecomeActive`).
 */
async function groupArrivals(ctx: DomainContext, actorId: string, invited: string[], present: string[]) {
  const arrivals = await Promise.all(invited.map(async (userId) => ({ userId, state: await arrivalFor(ctx, actorId, userId) })));
  const blocked = await blockedAmong(ctx, invited, present);
  return arrivals.map((row) => (blocked.has(row.userId) ? { ...row, state: "request" as const } : row));
}

/** Which of `joining` block, or are blocked by, anyone in `present` (other than themselves). */
async function blockedAmong(ctx: DomainContext, joining: string[], present: string[]): Promise<Set<string>> {
  if (joining.length === 0 || present.length === 0) return new Set();
  const rows = await ctx.db
    .select({ blockerId: blocks.blockerId, blockedId: blocks.blockedId })
    .from(blocks)
    .where(
      sql`(${blocks.blockerId} IN ${inIds(joining)} AND ${blocks.blockedId} IN ${inIds(present)})
          OR (${blocks.blockedId} IN ${inIds(joining)} AND ${blocks.blockerId} IN ${inIds(present)})`,
    );
  const joiningIds = new Set(joining);
  return new Set(rows.flatMap((row) => [row.blockerId, row.blockedId].filter((id) => joiningIds.has(id))));
}

/**
 * A request becomes membership (accepted, or by sending into it): in a group, not for someone who blocks, or is blocked
 * by, an active member. They are one of the pair, so the refusal tells them nothing they do not know.
 */
export async function assertMayBecomeActive(ctx: DomainContext, conversation: Conversation, userId: string): Promise<void> {
  if (conversation.kind !== "group") return;
  const active = (await membersOf(ctx, conversation.id)).filter((member) => member.state === "active").map((member) => member.userId);
  if ((await blockedAmong(ctx, [userId], active)).size > 0) {
    throw new DomainError("forbidden", "You cannot join this group: you block someone in it, or someone in it blocks you", {
      code: "blocked",
    });
  }
}

/** Removes a member: admins remove members, the owner removes anyone; the owner cannot be removed. */
export async function removeMember(ctx: DomainContext, conversationId: string, actorId: string, userId: string): Promise<void> {
  const { member: actor } = await managerOf(ctx, conversationId, actorId);
  const target = await ctx.db.query.conversationMembers.findFirst({
    where: and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)),
  });
  if (!target) throw new DomainError("not_found", "Not a member");
  if (rank[target.role] >= rank[actor.role]) throw new DomainError("forbidden", "You may only remove members below your role");
  await dropMember(ctx, conversationId, userId);
}

/**
 * Leaves a conversation (or declines its request): the room stops delivering to the leaver at once. An owner leaving
 * hands the group to its longest-standing admin, or member; a group nobody is left in is deleted.
 */
export async function leaveConversation(ctx: DomainContext, conversationId: string, userId: string): Promise<void> {
  const { member } = await membershipOf(ctx, conversationId, userId);
  if (member.role === "owner") await commit(ctx, [succession(ctx, sql`${conversationId}`, userId)], []);
  await dropMember(ctx, conversationId, userId);
}

/**
 * Declines a message request from one person and blocks them in one step, as a request's "Block" offers: they can
 * neither write again nor see the member's posts. A group's invitation is declined by leaving.
 */
export async function blockRequester(ctx: DomainContext, conversationId: string, userId: string): Promise<void> {
  const { conversation, member } = await membershipOf(ctx, conversationId, userId);
  if (member.state !== "request" || conversation.kind !== "direct") {
    throw new DomainError("unprocessable", "Only a message request from one person is declined with a block");
  }
  const sender = (await membersOf(ctx, conversationId)).find((other) => other.userId !== userId);
  if (sender) await block(ctx, userId, sender.userId);
  await leaveConversation(ctx, conversationId, userId);
}

/**
 * Makes the heir of `leaverId` the owner of the groups `conversationIds` selects that the leaver owns: the
 * longest-standing active admin, else the longest-standing active member. A group with no one else active gets none.
 */
function succession(ctx: DomainContext, conversationIds: SQL, leaverId: string) {
  return ctx.db.update(conversationMembers).set({ role: "owner" }).where(sql`(conversation_id, user_id) IN (
      SELECT o.conversation_id, (
        SELECT m.user_id FROM conversation_members m
        WHERE m.conversation_id = o.conversation_id AND m.user_id != o.user_id AND m.state = 'active'
        ORDER BY m.role = 'admin' DESC, m.joined_at, m.user_id LIMIT 1)
      FROM conversation_members o
      WHERE o.user_id = ${leaverId} AND o.role = 'owner' AND o.conversation_id IN (${conversationIds}))`);
}

/**
 * What deleting an account does to its groups, as statements for the deletion's batch (before the user row goes, whose
 * memberships then cascade): each group it owned passes to its heir (succession), and a group left with no active
 * member is dissolved.
 */
export async function groupsAfterAccountDeletion(ctx: DomainContext, userId: string) {
  const groups = await ctx.db
    .select({ id: conversationMembers.conversationId })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(and(eq(conversationMembers.userId, userId), eq(conversations.kind, "group")));
  const ids = groups.map((group) => group.id);
  if (ids.length === 0) return { before: [], after: [], events: [] };
  const idList = sql`SELECT value FROM json_each(${JSON.stringify(ids)})`;
  const staying = await ctx.db
    .selectDistinct({ id: conversationMembers.conversationId })
    .from(conversationMembers)
    .where(
      and(
        inArray(conversationMembers.conversationId, ids),
        ne(conversationMembers.userId, userId),
        eq(conversationMembers.state, "active"),
      ),
    );
  return {
    events: await filesOfEndingGroups(
      ctx,
      ids.filter((id) => !staying.some((row) => row.id === id)),
    ),
    before: [succession(ctx, idList, userId)],
    after: [
      ctx.db
        .delete(conversations)
        .where(
          and(
            inArray(conversations.id, ids),
            sql`NOT EXISTS (SELECT 1 FROM conversation_members m WHERE m.conversation_id = ${conversations.id} AND m.state = 'active')`,
          ),
        ),
    ],
  };
}

/**
 * The events removing the attachment files of groups a change is about to dissolve (their rows go by cascade). Read
 * before the change, so a group may yet survive it (someone joined meanwhile): removeDiscardedFiles keeps any file a
 * row still uses, so naming it then deletes nothing.
 */
async function filesOfEndingGroups(ctx: DomainContext, conversationIds: string[]) {
  if (conversationIds.length === 0) return [];
  const files = await ctx.db
    .select({ key: messageAttachments.key, previewKey: messageAttachments.previewKey })
    .from(messageAttachments)
    .where(inArray(messageAttachments.conversationId, conversationIds));
  return discardedFiles({ attachments: files });
}

async function dropMember(ctx: DomainContext, conversationId: string, userId: string): Promise<void> {
  const others = await ctx.db
    .select({ userId: conversationMembers.userId })
    .from(conversationMembers)
    .where(and(eq(conversationMembers.conversationId, conversationId), ne(conversationMembers.userId, userId)))
    .limit(1);
  const ending = others.length === 0 ? await filesOfEndingGroups(ctx, [conversationId]) : [];
  await commit(
    ctx,
    [
      ctx.db
        .delete(conversationMembers)
        .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId))),
      ctx.db
        .delete(conversations)
        .where(
          and(
            eq(conversations.id, conversationId),
            eq(conversations.kind, "group"),
            sql`NOT EXISTS (SELECT 1 FROM conversation_members m WHERE m.conversation_id = ${conversationId})`,
          ),
        ),
    ],
    [{ type: "conversation.member_left", payload: { conversationId, userId } }, ...ending],
  );
}

/** Makes a member an admin or a plain member again (the owner's right). */
export async function setRole(
  ctx: DomainContext,
  conversationId: string,
  actorId: string,
  userId: string,
  role: "admin" | "member",
): Promise<Member> {
  await managerOf(ctx, conversationId, actorId, "owner");
  if (userId === actorId) throw new DomainError("unprocessable", "Transfer ownership to change your own role");
  const [updated] = await ctx.db
    .update(conversationMembers)
    .set({ role })
    .where(
      and(
        eq(conversationMembers.conversationId, conversationId),
        eq(conversationMembers.userId, userId),
        eq(conversationMembers.state, "active"),
      ),
    )
    .returning();
  if (!updated) throw new DomainError("not_found", "Not a member");
  return updated;
}

/** Hands the group to another active member; the former owner becomes an admin. */
export async function transferOwnership(ctx: DomainContext, conversationId: string, actorId: string, userId: string): Promise<void> {
  await managerOf(ctx, conversationId, actorId, "owner");
  const target = await ctx.db.query.conversationMembers.findFirst({
    where: and(
      eq(conversationMembers.conversationId, conversationId),
      eq(conversationMembers.userId, userId),
      eq(conversationMembers.state, "active"),
    ),
  });
  if (!target || userId === actorId) throw new DomainError("not_found", "Not a member");
  const of = (id: string) => and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, id));
  await commit(
    ctx,
    [
      ctx.db.update(conversationMembers).set({ role: "admin" }).where(of(actorId)),
      ctx.db.update(conversationMembers).set({ role: "owner" }).where(of(userId)),
    ],
    [],
  );
}

/** Accepts a message request: the conversation moves to the inbox and the sender may see the member read it. */
export async function acceptRequest(ctx: DomainContext, conversationId: string, userId: string): Promise<void> {
  const { conversation, member } = await membershipOf(ctx, conversationId, userId);
  if (member.state === "request") await assertMayBecomeActive(ctx, conversation, userId);
  await ctx.db
    .update(conversationMembers)
    .set({ state: "active" })
    .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)));
}

/** Mutes (no badges or notifications) or archives (out of the inbox until the next message) a conversation for oneself. */
export async function setConversationFlags(
  ctx: DomainContext,
  conversationId: string,
  userId: string,
  flags: { muted?: boolean; archived?: boolean },
): Promise<void> {
  await membershipOf(ctx, conversationId, userId);
  if (flags.muted === undefined && flags.archived === undefined) return;
  await ctx.db
    .update(conversationMembers)
    .set(flags)
    .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)));
}

/** A conversation in someone's list: how many messages they have not read, and who else is in it. */
export interface ConversationSummary {
  conversation: Conversation;
  member: Member;
  unread: number;
  memberIds: string[];
  /** When the other members were last seen, for those who show their presence. */
  lastSeen: { userId: string; at: Date }[];
}

/** Unread messages are counted up to this many per conversation ("99+"). */
export const UNREAD_CAP = 100;

const unreadSql = (userId: string) => sql<number>`(SELECT count(*) FROM (
  SELECT 1 FROM messages msg
  WHERE msg.conversation_id = ${conversationMembers.conversationId}
    AND msg.id > coalesce(${conversationMembers.lastReadId}, '')
    AND msg.sender_id != ${userId} AND msg.deleted_at IS NULL AND msg.moderation_state IS NULL
    AND NOT EXISTS (SELECT 1 FROM message_deletions d WHERE d.user_id = ${userId} AND d.message_id = msg.id)
  LIMIT ${UNREAD_CAP}))`;

/**
 * Someone's conversations, newest activity first: the inbox (accepted), the requests, or the archive. A new message
 * brings an archived conversation back (the member's flag is cleared when it is sent).
 */
export async function listConversations(
  ctx: DomainContext,
  userId: string,
  folder: "inbox" | "requests" | "archived" = "inbox",
  limit = 50,
): Promise<ConversationSummary[]> {
  const where = and(
    eq(conversationMembers.userId, userId),
    eq(conversationMembers.state, folder === "requests" ? "request" : "active"),
    folder === "requests" ? undefined : eq(conversationMembers.archived, folder === "archived"),
  );
  const rows = await ctx.db
    .select({ conversation: conversations, member: conversationMembers, unread: unreadSql(userId) })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(where)
    .orderBy(desc(sql`coalesce(${conversations.lastMessageId}, ${conversations.id})`))
    .limit(limit);
  const memberRows =
    rows.length === 0
      ? []
      : await ctx.db
          .select({ conversationId: conversationMembers.conversationId, userId: conversationMembers.userId })
          .from(conversationMembers)
          .where(
            inArray(
              conversationMembers.conversationId,
              rows.map((row) => row.conversation.id),
            ),
          );
  const seen = await lastSeenOf(
    ctx,
    [...new Set(memberRows.map((m) => m.userId))].filter((id) => id !== userId),
  );
  return rows.map((row) => {
    const memberIds = memberRows.filter((m) => m.conversationId === row.conversation.id).map((m) => m.userId);
    return { ...row, unread: Number(row.unread), memberIds, lastSeen: seen.filter((item) => memberIds.includes(item.userId)) };
  });
}

/** Unread messages across someone's accepted, unmuted, unarchived conversations: the badge in the navigation. */
export async function totalUnread(ctx: DomainContext, userId: string): Promise<number> {
  const [row] = await ctx.db
    .select({ total: sql<number>`coalesce(sum(${unreadSql(userId)}), 0)` })
    .from(conversationMembers)
    .where(
      and(
        eq(conversationMembers.userId, userId),
        eq(conversationMembers.state, "active"),
        eq(conversationMembers.muted, false),
        eq(conversationMembers.archived, false),
      ),
    );
  return Number(row?.total ?? 0);
}

/** How many message requests wait for someone. */
export async function requestCount(ctx: DomainContext, userId: string): Promise<number> {
  const [row] = await ctx.db
    .select({ count: sql<number>`count(*)` })
    .from(conversationMembers)
    .where(and(eq(conversationMembers.userId, userId), eq(conversationMembers.state, "request")));
  return Number(row?.count ?? 0);
}

/** One of the member's conversations, as their list shows it; anyone else's is not found. */
export async function conversationOf(ctx: DomainContext, userId: string, conversationId: string): Promise<ConversationSummary> {
  const [row] = await ctx.db
    .select({ conversation: conversations, member: conversationMembers, unread: unreadSql(userId) })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(and(eq(conversationMembers.userId, userId), eq(conversationMembers.conversationId, conversationId)));
  if (!row) throw notFound();
  const memberIds = (await membersOf(ctx, conversationId)).map((member) => member.userId);
  const lastSeen = await lastSeenOf(
    ctx,
    memberIds.filter((id) => id !== userId),
  );
  return { ...row, unread: Number(row.unread), memberIds, lastSeen };
}

/** The names to show beside messages: each member's username and display name. */
export async function peopleIn(
  ctx: DomainContext,
  userIds: string[],
): Promise<{ id: string; username: string; displayName: string; avatarKey: string | null }[]> {
  if (userIds.length === 0) return [];
  return ctx.db
    .select({ id: users.id, username: users.username, displayName: shownDisplayName, avatarKey: publicUserColumns.avatarKey })
    .from(users)
    .where(inArray(users.id, userIds));
}
