import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messageAttachments, messages, users } from "#db/schema/index.ts";
import { makeUser } from "#db/seed/factories.ts";
import { exportAccount } from "#domain/accounts/data-export.ts";
import { deleteAccount } from "#domain/accounts/deletion.ts";
import { uploadMessageAttachment } from "#domain/messages/attachments.ts";
import { block, unblock } from "#domain/graph/blocks.ts";
import { follow } from "#domain/graph/follows.ts";
import {
  acceptRequest,
  createGroup,
  leaveConversation,
  listConversations,
  openDirect,
  removeMember,
  setConversationFlags,
  totalUnread,
  transferOwnership,
  inviteMembers,
  joinByLink,
  membersOf,
} from "#domain/messages/conversations.ts";
import { decryptBody, keyRingOf, parseKeyRing } from "#domain/messages/encryption.ts";
import {
  deleteMessage,
  editMessage,
  history,
  markRead,
  MESSAGE_MAX_CHARACTERS,
  react,
  searchConversation,
  sendMessage,
} from "#domain/messages/messages.ts";
import { reencryptMessages } from "#domain/messages/rotation.ts";
import { updatePrivacy } from "#domain/profiles/settings.ts";
import { deliverEvents, testDomain } from "./support.ts";

const ctx = testDomain();
const PASSWORD = "a long enough password";
const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
let count = 0;
const person = () => makeUser(ctx, { username: `chatter${(count += 1)}` });
let clientCount = 0;
const say = (conversationId: string, senderId: string, text: string) =>
  sendMessage(ctx, { conversationId, senderId, clientId: `c${(clientCount += 1)}`, text });

/** Two people who follow each other, talking. */
async function pair() {
  const a = await person();
  const b = await person();
  await follow(ctx, a.id, b.id);
  await follow(ctx, b.id, a.id);
  return { a, b, conversation: await openDirect(ctx, a.id, b.id) };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: { kind: string; code: string }) => ({ kind: error.kind, code: error.code }),
  );

describe("who may message whom", () => {
  it("puts a message from someone the recipient does not follow in their requests, until accepted", async () => {
    const stranger = await person();
    const recipient = await person();
    const conversation = await openDirect(ctx, stranger.id, recipient.id);
    await say(conversation.id, stranger.id, "Hello there");
    expect((await listConversations(ctx, recipient.id, "inbox")).map((c) => c.conversation.id)).not.toContain(conversation.id);
    const [request] = await listConversations(ctx, recipient.id, "requests");
    expect(request).toMatchObject({ conversation: { id: conversation.id }, unread: 1 });
    await acceptRequest(ctx, conversation.id, recipient.id);
    expect((await listConversations(ctx, recipient.id, "inbox")).map((c) => c.conversation.id)).toContain(conversation.id);
  });

  it("reaches the inbox at once when the recipient follows the sender", async () => {
    const { b, conversation } = await pair();
    expect((await listConversations(ctx, b.id, "inbox")).map((c) => c.conversation.id)).toContain(conversation.id);
  });

  it("follows the recipient's setting: people they follow only, or nobody", async () => {
    const sender = await person();
    const picky = await person();
    const closed = await person();
    await updatePrivacy(ctx, picky.id, { messagePolicy: "following" });
    await updatePrivacy(ctx, closed.id, { messagePolicy: "nobody" });
    expect(await failure(openDirect(ctx, sender.id, picky.id))).toEqual({ kind: "forbidden", code: "messages_refused" });
    expect(await failure(openDirect(ctx, sender.id, closed.id))).toEqual({ kind: "forbidden", code: "messages_refused" });
    await follow(ctx, picky.id, sender.id);
    await expect(openDirect(ctx, sender.id, picky.id)).resolves.toMatchObject({ kind: "direct" });
  });

  it("with nobody, refuses even people the recipient follows, new conversations and groups alike; existing ones go on", async () => {
    const friend = await person();
    const closed = await person();
    await follow(ctx, closed.id, friend.id);
    const existing = await openDirect(ctx, friend.id, closed.id);
    const group = await createGroup(ctx, friend.id, { name: "Before nobody", memberIds: [closed.id] });
    await updatePrivacy(ctx, closed.id, { messagePolicy: "nobody" });
    const refused = { kind: "forbidden", code: "messages_refused" };
    const other = await person();
    await follow(ctx, closed.id, other.id);
    expect(await failure(openDirect(ctx, other.id, closed.id))).toEqual(refused);
    expect(await failure(createGroup(ctx, other.id, { name: "New", memberIds: [closed.id] }))).toEqual(refused);
    const another = await createGroup(ctx, other.id, { name: "Another", memberIds: [] });
    expect(await failure(inviteMembers(ctx, another.id, other.id, [closed.id]))).toEqual(refused);
    // What existed before the setting changed keeps working, both ways.
    await expect(openDirect(ctx, friend.id, closed.id)).resolves.toMatchObject({ id: existing.id });
    await expect(say(existing.id, friend.id, "Still here")).resolves.toBeDefined();
    await expect(say(existing.id, closed.id, "And me")).resolves.toBeDefined();
    await expect(say(group.id, friend.id, "Group too")).resolves.toBeDefined();
  });

  it("refuses blocked people both ways, also in a conversation that already exists", async () => {
    const { a, b, conversation } = await pair();
    await say(conversation.id, a.id, "Before");
    await block(ctx, b.id, a.id);
    expect(await failure(say(conversation.id, a.id, "After"))).toEqual({ kind: "forbidden", code: "blocked" });
    expect(await failure(say(conversation.id, b.id, "Nor me"))).toEqual({ kind: "forbidden", code: "blocked" });
    const other = await person();
    expect(await failure(openDirect(ctx, a.id, b.id))).toMatchObject({ kind: "not_found" });
    await block(ctx, other.id, a.id);
    expect(await failure(createGroup(ctx, a.id, { name: "Nope", memberIds: [other.id] }))).toMatchObject({ kind: "not_found" });
  });

  it("gives the same one-to-one conversation whoever starts it", async () => {
    const { a, b, conversation } = await pair();
    expect((await openDirect(ctx, b.id, a.id)).id).toBe(conversation.id);
  });
});

describe("messages", () => {
  it("are stored once per client id: a retry returns the first", async () => {
    const { a, conversation } = await pair();
    const input = { conversationId: conversation.id, senderId: a.id, clientId: "retry-1", text: "Only once" };
    const first = await sendMessage(ctx, input);
    const again = await sendMessage(ctx, input);
    const both = await Promise.all([sendMessage(ctx, { ...input, clientId: "race" }), sendMessage(ctx, { ...input, clientId: "race" })]);
    expect(again).toMatchObject({ duplicate: true, message: { id: first.message.id } });
    expect(both[0].message.id).toBe(both[1].message.id);
    const stored = await ctx.db.select().from(messages).where(eq(messages.conversationId, conversation.id));
    expect(stored).toHaveLength(2);
  });

  it("refuse empty and over-long text with 422, and accept the documented maximum", async () => {
    const { a, conversation } = await pair();
    expect(await failure(say(conversation.id, a.id, "   "))).toMatchObject({ kind: "unprocessable" });
    expect(await failure(say(conversation.id, a.id, "x".repeat(MESSAGE_MAX_CHARACTERS + 1)))).toMatchObject({ kind: "unprocessable" });
    await expect(say(conversation.id, a.id, "x".repeat(MESSAGE_MAX_CHARACTERS))).resolves.toMatchObject({ duplicate: false });
  });

  it("are not found by anyone outside the conversation", async () => {
    const { a, conversation } = await pair();
    const outsider = await person();
    const { message } = await say(conversation.id, a.id, "Private");
    expect(await failure(say(conversation.id, outsider.id, "Let me in"))).toMatchObject({ kind: "not_found" });
    expect(await failure(history(ctx, outsider.id, conversation.id, { limit: 20 }))).toMatchObject({ kind: "not_found" });
    expect(await failure(react(ctx, outsider.id, conversation.id, message.id, "👍"))).toMatchObject({ kind: "not_found" });
    expect(await failure(markRead(ctx, outsider.id, conversation.id, message.id))).toMatchObject({ kind: "not_found" });
  });

  it("are encrypted at rest: the stored bytes are not the text, and decrypt with the key", async () => {
    const { a, conversation } = await pair();
    const { message } = await say(conversation.id, a.id, "meet me at the old oak at noon");
    const row = (await ctx.db.query.messages.findFirst({ where: eq(messages.id, message.id) }))!;
    expect(row.body).not.toContain("oak");
    expect(atob(row.body!.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))).not.toContain("oak");
    expect(row.keyVersion).toBe(2);
    const ring = parseKeyRing(env.MESSAGE_ENCRYPTION_KEY);
    expect(await decryptBody(ring, { ...row, body: row.body! })).toBe("meet me at the old oak at noon");
    // Bound to its row: the same ciphertext under another id does not open.
    await expect(decryptBody(ring, { ...row, id: "1", body: row.body! })).rejects.toThrow();
  });

  it("are re-encrypted under the current key version by rotation", async () => {
    const { a, conversation } = await pair();
    const oldKey = env.MESSAGE_ENCRYPTION_KEY.split(",").find((entry) => entry.startsWith("1:"))!;
    const before = { ...ctx, config: { ...ctx.config, MESSAGE_ENCRYPTION_KEY: oldKey } };
    const { message } = await sendMessage(before, {
      conversationId: conversation.id,
      senderId: a.id,
      clientId: "old",
      text: "written under v1",
    });
    const old = (await ctx.db.query.messages.findFirst({ where: eq(messages.id, message.id) }))!;
    expect(old.keyVersion).toBe(1);
    let moved = 0;
    while ((await reencryptMessages(ctx, 50)) > 0) moved += 1;
    expect(moved).toBeGreaterThan(0);
    const row = (await ctx.db.query.messages.findFirst({ where: eq(messages.id, message.id) }))!;
    expect(row.keyVersion).toBe(2);
    expect(row.body).not.toBe(old.body);
    expect(await decryptBody(keyRingOf(env.MESSAGE_ENCRYPTION_KEY), { ...row, body: row.body! })).toBe("written under v1");
    expect((await history(ctx, a.id, conversation.id, { limit: 5 })).items[0]!.text).toBe("written under v1");
  });

  it("are edited by their sender, deleted for oneself or (by the sender) for everyone with a marker", async () => {
    const { a, b, conversation } = await pair();
    const { message } = await say(conversation.id, a.id, "tpyo");
    expect(await failure(editMessage(ctx, b.id, conversation.id, message.id, "mine now"))).toMatchObject({ kind: "forbidden" });
    expect(await editMessage(ctx, a.id, conversation.id, message.id, "typo")).toMatchObject({ text: "typo", editedAt: expect.any(Date) });
    const { message: second } = await say(conversation.id, b.id, "gone for me");
    await deleteMessage(ctx, b.id, conversation.id, second.id, false);
    expect((await history(ctx, b.id, conversation.id, { limit: 10 })).items.map((m) => m.id)).not.toContain(second.id);
    expect((await history(ctx, a.id, conversation.id, { limit: 10 })).items.map((m) => m.id)).toContain(second.id);
    expect(await failure(deleteMessage(ctx, b.id, conversation.id, message.id, true))).toMatchObject({ kind: "forbidden" });
    await deleteMessage(ctx, a.id, conversation.id, message.id, true);
    const shown = (await history(ctx, b.id, conversation.id, { limit: 10 })).items.find((m) => m.id === message.id);
    expect(shown).toMatchObject({ text: null, deletedAt: expect.any(Date) });
    expect((await ctx.db.query.messages.findFirst({ where: eq(messages.id, message.id) }))!.body).toBeNull();
  });

  it("carry reactions and replies, page by cursor and can be searched", async () => {
    const { a, b, conversation } = await pair();
    const sent = [];
    for (let i = 0; i < 5; i += 1) sent.push((await say(conversation.id, a.id, `number ${i}`)).message);
    const reply = await sendMessage(ctx, {
      conversationId: conversation.id,
      senderId: b.id,
      clientId: "r",
      text: "about two",
      replyToId: sent[2]!.id,
    });
    expect(reply.message.replyToId).toBe(sent[2]!.id);
    expect(await react(ctx, b.id, conversation.id, sent[0]!.id, "🎉")).toMatchObject({ reactions: [{ emoji: "🎉", count: 1, me: true }] });
    const first = await history(ctx, a.id, conversation.id, { limit: 4 });
    expect(first.items.map((m) => m.text)).toEqual(["about two", "number 4", "number 3", "number 2"]);
    const older = await history(ctx, a.id, conversation.id, { limit: 4, max_id: first.older! });
    expect(older.items.map((m) => m.text)).toEqual(["number 1", "number 0"]);
    expect(older.items[1]!.reactions).toEqual([{ emoji: "🎉", count: 1, me: false }]);
    expect((await searchConversation(ctx, b.id, conversation.id, "NUMBER 3")).matches.map((m) => m.id)).toEqual([sent[3]!.id]);
  });

  it("count unread per conversation and in total, leaving out muted ones, until read", async () => {
    const { a, b, conversation } = await pair();
    const group = await createGroup(ctx, a.id, { name: "Birders", memberIds: [b.id] });
    const before = await totalUnread(ctx, b.id);
    await say(conversation.id, a.id, "one");
    const { message: last } = await say(conversation.id, a.id, "two");
    await say(group.id, a.id, "group hello");
    expect((await listConversations(ctx, b.id)).find((c) => c.conversation.id === conversation.id)?.unread).toBe(2);
    expect(await totalUnread(ctx, b.id)).toBe(before + 3);
    await setConversationFlags(ctx, group.id, b.id, { muted: true });
    expect(await totalUnread(ctx, b.id)).toBe(before + 2);
    await markRead(ctx, b.id, conversation.id, last.id);
    expect((await listConversations(ctx, b.id)).find((c) => c.conversation.id === conversation.id)?.unread).toBe(0);
    expect(await totalUnread(ctx, a.id)).toBe(0);
  });
});

describe("groups", () => {
  it("let admins manage members, stop delivery to who left, and pass ownership on", async () => {
    const owner = await person();
    const [admin, member, later] = [await person(), await person(), await person()];
    for (const user of [admin, member, later]) await follow(ctx, user.id, owner.id);
    const group = await createGroup(ctx, owner.id, { name: "  Oak club ", memberIds: [admin.id, member.id] });
    expect(group.name).toBe("Oak club");
    expect(await failure(inviteMembers(ctx, group.id, member.id, [later.id]))).toMatchObject({ kind: "forbidden" });
    await transferOwnership(ctx, group.id, owner.id, admin.id);
    expect(await failure(removeMember(ctx, group.id, owner.id, admin.id))).toMatchObject({ kind: "forbidden" });
    await removeMember(ctx, group.id, admin.id, owner.id);
    expect(await failure(say(group.id, owner.id, "still here?"))).toMatchObject({ kind: "not_found" });
    await leaveConversation(ctx, group.id, member.id);
    expect(await failure(history(ctx, member.id, group.id, { limit: 5 }))).toMatchObject({ kind: "not_found" });
    await leaveConversation(ctx, group.id, admin.id);
    expect(await ctx.db.query.conversations.findFirst({ where: (c, { eq: equal }) => equal(c.id, group.id) })).toBeUndefined();
  });
});

describe("blocks in groups", () => {
  it("tell an inviter nothing of a block between others: such invitees arrive as requests they cannot accept while it stands", async () => {
    const owner = await person();
    const [member, blocker, blocked, joiner] = [await person(), await person(), await person(), await person()];
    for (const user of [member, blocker, blocked, joiner]) await follow(ctx, user.id, owner.id);
    const group = await createGroup(ctx, owner.id, { name: "Blocks", memberIds: [member.id], access: "link" });
    await block(ctx, blocker.id, member.id);
    await block(ctx, member.id, blocked.id);
    await block(ctx, joiner.id, member.id);
    const statesIn = async (id: string) => Object.fromEntries((await membersOf(ctx, id)).map((row) => [row.userId, row.state]));

    // Both follow the owner, so they would arrive as members; a refusal would tell the owner of someone else's block.
    await inviteMembers(ctx, group.id, owner.id, [blocker.id, blocked.id]);
    expect(await statesIn(group.id)).toMatchObject({ [member.id]: "active", [blocker.id]: "request", [blocked.id]: "request" });
    const refused = { kind: "forbidden", code: "blocked" };
    expect(await failure(acceptRequest(ctx, group.id, blocker.id))).toEqual(refused);
    expect(await failure(sendMessage(ctx, { conversationId: group.id, senderId: blocked.id, clientId: "in", text: "hi" }))).toEqual(
      refused,
    );
    // Joining by link, the joiner is one of the pair: refused, as a stranger probing ids would be.
    expect(await failure(joinByLink(ctx, group.id, joiner.id))).toEqual({ kind: "not_found", code: expect.any(String) });

    // A new group with both of a pair: both arrive as requests, and the first to accept is in.
    const both = await createGroup(ctx, owner.id, { name: "Both", memberIds: [member.id, blocked.id] });
    expect(await statesIn(both.id)).toMatchObject({ [member.id]: "request", [blocked.id]: "request" });
    await acceptRequest(ctx, both.id, member.id);
    expect(await failure(acceptRequest(ctx, both.id, blocked.id))).toEqual(refused);

    // Once the block is lifted, accepting works.
    await unblock(ctx, blocker.id, member.id);
    await acceptRequest(ctx, group.id, blocker.id);
    expect((await statesIn(group.id))[blocker.id]).toBe("active");
  });
});

describe("accounts", () => {
  it("export their own messages decrypted, and deleting the account removes its messages and files, not the other's", async () => {
    const a = await makeUser(ctx, { username: `chatter${(count += 1)}`, password: PASSWORD });
    const b = await person();
    await follow(ctx, b.id, a.id);
    const conversation = await openDirect(ctx, a.id, b.id);
    await say(conversation.id, a.id, "in my export");
    await say(conversation.id, b.id, "not in a's export");
    const attach = async (senderId: string, name: string) => {
      const upload = await uploadMessageAttachment(ctx, conversation.id, senderId, { bytes: PDF, name });
      await sendMessage(ctx, { conversationId: conversation.id, senderId, clientId: name, text: "", mediaIds: [upload.id] });
      return upload.id;
    };
    const [aFile, bFile] = [await attach(a.id, "a.pdf"), await attach(b.id, "b.pdf")];
    const filesIn = () =>
      ctx.db.select({ id: messageAttachments.id }).from(messageAttachments).where(eq(messageAttachments.conversationId, conversation.id));
    expect((await filesIn()).map((row) => row.id).sort()).toEqual([aFile, bFile].sort());
    const user = (await ctx.db.query.users.findFirst({ where: eq(users.id, a.id) }))!;
    const exported = await exportAccount(ctx, user);
    expect(exported.messages.map((m) => m.text)).toEqual(["in my export", ""]);
    // The way an account is deleted for real: confirmed with the password, then its events handled.
    await deliverEvents();
    await deleteAccount(ctx, user, { password: PASSWORD }, { ip: "192.0.2.1", userAgent: "test" });
    await deliverEvents();
    expect(await ctx.db.query.users.findFirst({ where: eq(users.id, a.id) })).toBeUndefined();
    const left = await ctx.db.select({ senderId: messages.senderId }).from(messages).where(eq(messages.conversationId, conversation.id));
    expect(left).toEqual([{ senderId: b.id }, { senderId: b.id }]);
    expect(await filesIn()).toEqual([{ id: bFile }]);
  });
});
