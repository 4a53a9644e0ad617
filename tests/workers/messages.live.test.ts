import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { conversationMembers, messages } from "#db/schema/index.ts";
import { makeUser } from "#db/seed/factories.ts";
import { follow } from "#domain/graph/follows.ts";
import { createGroup, openDirect } from "#domain/messages/conversations.ts";
import { readMarkersSeenBy } from "#domain/messages/receipts.ts";
import { updateChatSettings } from "#domain/messages/settings.ts";
import { conversationRoom } from "#workers/sockets/connect.ts";
import { SEND_RATE_KEY } from "#workers/sockets/conversation-room.ts";
import { eventually, fetchWorker, freshRateLimitWindow, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

/**
 * What a conversation page with JavaScript relies on (docs/decisions/0044): read markers moved over the socket and the
 * receipts that follow, who may see whose marker, and a room that answers whatever a client sends without falling over.
 */
const ctx = testDomain();
let count = 0;
const person = (options: { password?: string } = {}) =>
  makeUser(ctx, { username: `livechat${(count += 1)}`, displayName: `Live ${count}`, ...options });
const openSockets: WebSocket[] = [];

afterEach(() => {
  for (const socket of openSockets.splice(0)) if (socket.readyState === WebSocket.OPEN) socket.close(1000, "test over");
});

async function room() {
  const [owner, b, c] = [await person(), await person(), await person()];
  for (const user of [b, c]) await follow(ctx, user.id, owner.id);
  const group = await createGroup(ctx, owner.id, { name: "Live room", memberIds: [b.id, c.id] });
  return { owner, b, c, group };
}

interface Frame {
  event?: string;
  payload?: string;
  error?: string;
  status?: number;
  client_id?: string;
}

async function join(conversationId: string, userId: string, scopes = ["read", "write"], headers: Record<string, string> = {}) {
  const token = await tokenFor(userId, scopes);
  const response = await fetchWorker(`/api/v1/perch/chats/${conversationId}/stream?access_token=${token}`, {
    headers: { Upgrade: "websocket", ...headers },
  });
  expect(response.status).toBe(101);
  const socket = response.webSocket!;
  socket.accept();
  openSockets.push(socket);
  const frames: Frame[] = [];
  socket.addEventListener("message", (event) => {
    frames.push(JSON.parse(String(event.data)) as Frame);
  });
  return { socket, frames };
}

const payloads = (frames: Frame[], event: string) =>
  frames.filter((f) => f.event === event).map((f) => JSON.parse(f.payload!) as Record<string, unknown>);

const markerOf = async (conversationId: string, userId: string) =>
  (
    await ctx.db.query.conversationMembers.findFirst({
      where: and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)),
    })
  )?.lastReadId;

describe("live reading over the room's socket", () => {
  it("a read frame moves the reader's marker; the receipt reaches members who share theirs, not one who keeps them off", async () => {
    const { owner, b, c, group } = await room();
    await updateChatSettings(ctx, c.id, { readReceipts: false });
    const sent = await conversationRoom(env, group.id).send({
      conversationId: group.id,
      senderId: owner.id,
      clientId: "r1",
      text: "read me",
    });
    expect(sent.ok).toBe(true);
    const messageId = sent.ok ? sent.message.id : "";
    const sender = await join(group.id, owner.id);
    const private_ = await join(group.id, c.id);
    const reader = await join(group.id, b.id);
    reader.socket.send(JSON.stringify({ type: "read", message_id: messageId }));
    await eventually(async () => expect(await markerOf(group.id, b.id)).toBe(messageId));
    await eventually(async () => expect(payloads(sender.frames, "read")).toEqual([{ user_id: b.id, message_id: messageId }]));
    // The receipt went out before this ping's answer: the private member's socket has had its chance and got none.
    private_.socket.send(JSON.stringify({ type: "ping" }));
    await eventually(async () => expect(private_.frames.some((f) => f.event === "pong")).toBe(true));
    expect(payloads(private_.frames, "read")).toEqual([]);
  });

  it("shows each member the markers of those who share receipts, and nothing to one who keeps theirs off", async () => {
    const { owner, b, c, group } = await room();
    const sent = await conversationRoom(env, group.id).send({ conversationId: group.id, senderId: b.id, clientId: "m", text: "hi" });
    const messageId = sent.ok ? sent.message.id : "";
    expect(await readMarkersSeenBy(ctx, owner.id, group.id)).toEqual([{ userId: b.id, lastReadId: messageId }]);
    await updateChatSettings(ctx, b.id, { readReceipts: false });
    expect(await readMarkersSeenBy(ctx, owner.id, group.id)).toEqual([]);
    await updateChatSettings(ctx, b.id, { readReceipts: true });
    await updateChatSettings(ctx, owner.id, { readReceipts: false });
    expect(await readMarkersSeenBy(ctx, owner.id, group.id)).toEqual([]);
    const outsider = await person();
    await expect(readMarkersSeenBy(ctx, outsider.id, group.id)).rejects.toMatchObject({ kind: "not_found" });
    expect(await readMarkersSeenBy(ctx, c.id, group.id)).toEqual([{ userId: b.id, lastReadId: messageId }]);
  });

  it("leaves out a recipient who holds the conversation as a request: reading a request tells the sender nothing", async () => {
    const [sender, stranger] = [await person(), await person()];
    const direct = await openDirect(ctx, sender.id, stranger.id);
    const sent = await conversationRoom(env, direct.id).send({
      conversationId: direct.id,
      senderId: sender.id,
      clientId: "q",
      text: "hello?",
    });
    expect(sent.ok).toBe(true);
    await ctx.db
      .update(conversationMembers)
      .set({ lastReadId: sent.ok ? sent.message.id : "" })
      .where(and(eq(conversationMembers.conversationId, direct.id), eq(conversationMembers.userId, stranger.id)));
    expect(await readMarkersSeenBy(ctx, sender.id, direct.id)).toEqual([]);
  });
});

describe("bad input on the room's socket", () => {
  it("answers binary, unknown, oversized and misdirected frames with error frames, and keeps serving", async () => {
    const { owner, group } = await room();
    const other = await room();
    const foreign = await conversationRoom(env, other.group.id).send({
      conversationId: other.group.id,
      senderId: other.owner.id,
      clientId: "elsewhere",
      text: "not yours",
    });
    const me = await join(group.id, owner.id);
    me.socket.send(new Uint8Array([1, 2, 3]));
    me.socket.send(JSON.stringify({ type: "shout" }));
    me.socket.send(JSON.stringify({ type: "send", client_id: "big", text: "x".repeat(20_001) }));
    me.socket.send(JSON.stringify({ type: "send", client_id: "long", text: "x".repeat(4_001) }));
    me.socket.send(JSON.stringify({ type: "read" }));
    me.socket.send(JSON.stringify({ type: "read", message_id: foreign.ok ? foreign.message.id : "x" }));
    me.socket.send("[1,");
    me.socket.send(JSON.stringify({ type: "send", client_id: "fine", text: "still here" }));
    await eventually(async () => expect(me.frames.filter((f) => f.event === "ack")).toHaveLength(1));
    // Frames that wait on D1 may be answered after later ones: the statuses, in any order.
    await eventually(async () => expect(me.frames.filter((f) => f.error)).toHaveLength(7));
    expect(
      me.frames
        .filter((f) => f.error)
        .map((f) => f.status)
        .sort(),
    ).toEqual([400, 400, 400, 400, 404, 422, 422]);
    // Over-long text is the domain's 422 however long it is, as on the API, with the send's client id.
    expect(me.frames.filter((f) => f.status === 422).map((f) => f.client_id)).toEqual(expect.arrayContaining(["big", "long"]));
    expect(await markerOf(group.id, owner.id)).toBe((payloads(me.frames, "ack")[0]!.message as { id: string }).id);
  });

  it("relays one typing notice from a flood of them", async () => {
    const { owner, b, group } = await room();
    const listener = await join(group.id, owner.id);
    const typist = await join(group.id, b.id);
    for (let i = 0; i < 20; i += 1) typist.socket.send(JSON.stringify({ type: "typing" }));
    typist.socket.send(JSON.stringify({ type: "ping" }));
    await eventually(async () => expect(typist.frames.some((f) => f.event === "pong")).toBe(true));
    listener.socket.send(JSON.stringify({ type: "ping" }));
    await eventually(async () => expect(listener.frames.some((f) => f.event === "pong")).toBe(true));
    expect(payloads(listener.frames, "typing")).toEqual([{ user_id: b.id }]);
  });

  it("refuses a sender over their rate limit with a 429 error frame for that send, and stores nothing; others still send", async () => {
    const { owner, b, group } = await room();
    await freshRateLimitWindow();
    for (let i = 0; i < 300; i += 1) await env.API_RATE_LIMIT.limit({ key: SEND_RATE_KEY(owner.id) });
    const me = await join(group.id, owner.id);
    const other = await join(group.id, b.id);
    me.socket.send(JSON.stringify({ type: "send", client_id: "too-many", text: "one more" }));
    other.socket.send(JSON.stringify({ type: "send", client_id: "mine", text: "my turn" }));
    await eventually(async () => expect(me.frames.find((f) => f.error)).toMatchObject({ status: 429, client_id: "too-many" }));
    await eventually(async () => expect(payloads(other.frames, "ack")).toHaveLength(1));
    const stored = await ctx.db.select({ clientId: messages.clientId }).from(messages).where(eq(messages.conversationId, group.id));
    expect(stored.map((row) => row.clientId)).toEqual(["mine"]);
  });

  it("answers a retry of a stored send with the stored message even when the sender is over the rate limit", async () => {
    const { owner, group } = await room();
    await freshRateLimitWindow();
    const me = await join(group.id, owner.id);
    me.socket.send(JSON.stringify({ type: "send", client_id: "kept", text: "stored once" }));
    await eventually(async () => expect(payloads(me.frames, "ack")).toHaveLength(1));
    for (let i = 0; i < 300; i += 1) await env.API_RATE_LIMIT.limit({ key: SEND_RATE_KEY(owner.id) });
    me.socket.send(JSON.stringify({ type: "send", client_id: "kept", text: "stored once" }));
    me.socket.send(JSON.stringify({ type: "send", client_id: "new", text: "one too many" }));
    await eventually(async () => expect(payloads(me.frames, "ack")).toHaveLength(2));
    await eventually(async () => expect(me.frames.find((f) => f.error)).toMatchObject({ status: 429, client_id: "new" }));
    const [first, retry] = payloads(me.frames, "ack") as { message: { id: string } }[];
    expect(retry!.message.id).toBe(first!.message.id);
    const stored = await ctx.db.select({ clientId: messages.clientId }).from(messages).where(eq(messages.conversationId, group.id));
    expect(stored.map((row) => row.clientId)).toEqual(["kept"]);
  });

  it("lets a read-only token listen but answers its send, typing and read frames with 403, and keeps it open", async () => {
    const { owner, b, group } = await room();
    const writer = await join(group.id, b.id);
    // A client cannot grant itself writing by sending the header the worker sets.
    const reader = await join(group.id, owner.id, ["read"], { "X-Perch-May-Write": "1" });
    writer.socket.send(JSON.stringify({ type: "send", client_id: "w1", text: "from a writer" }));
    await eventually(async () => expect(payloads(reader.frames, "message")).toHaveLength(1));
    const messageId = (payloads(reader.frames, "message")[0] as { id: string }).id;
    reader.socket.send(JSON.stringify({ type: "send", client_id: "ro1", text: "from a reader" }));
    reader.socket.send(JSON.stringify({ type: "typing" }));
    reader.socket.send(JSON.stringify({ type: "read", message_id: messageId }));
    reader.socket.send(JSON.stringify({ type: "ping" }));
    await eventually(async () => expect(reader.frames.some((f) => f.event === "pong")).toBe(true));
    const refusals = reader.frames.filter((f) => f.error);
    expect(refusals).toHaveLength(3);
    expect(refusals.every((f) => f.status === 403)).toBe(true);
    expect(refusals.find((f) => f.client_id)).toMatchObject({ client_id: "ro1" });
    expect(reader.socket.readyState).toBe(WebSocket.OPEN);
    writer.socket.send(JSON.stringify({ type: "ping" }));
    await eventually(async () => expect(writer.frames.some((f) => f.event === "pong")).toBe(true));
    expect(payloads(writer.frames, "typing")).toEqual([]);
    expect(await markerOf(group.id, owner.id)).not.toBe(messageId);
    const stored = await ctx.db.select({ clientId: messages.clientId }).from(messages).where(eq(messages.conversationId, group.id));
    expect(stored.map((row) => row.clientId)).toEqual(["w1"]);
    // Still listening after the refusals.
    writer.socket.send(JSON.stringify({ type: "send", client_id: "w2", text: "again" }));
    await eventually(async () => expect(payloads(reader.frames, "message")).toHaveLength(2));
  });

  it("refuses what is not a member's upgrade: 426 without one, 401 without a token, 404 to a non-member", async () => {
    const { group } = await room();
    const plain = await fetchWorker(`/api/v1/perch/chats/${group.id}/stream`);
    expect(plain.status).toBe(426);
    const anonymous = await fetchWorker(`/api/v1/perch/chats/${group.id}/stream`, { headers: { Upgrade: "websocket" } });
    expect(anonymous.status).toBe(401);
    const outsider = await person();
    const token = await tokenFor(outsider.id, ["read"]);
    const missing = await fetchWorker(`/api/v1/perch/chats/0000000000000000/stream?access_token=${token}`, {
      headers: { Upgrade: "websocket" },
    });
    expect(missing.status).toBe(404);
  });
});

describe("the conversation page's read receipts, without JavaScript", () => {
  it("shows Seen under the sender's message once the other has read it, unless either keeps receipts off", async () => {
    const password = "a long enough password";
    const ana = await person({ password });
    const ben = await person({ password });
    await follow(ctx, ben.id, ana.id);
    const signIn = async (username: string, ip: string) => sessionOf(await postForm("/login", { identifier: username, password }, { ip }));
    const anaCookie = await signIn(ana.username, "192.0.2.231");
    const benCookie = await signIn(ben.username, "192.0.2.232");
    const path = (await postForm("/messages", { recipient: ben.id }, { cookie: anaCookie })).headers.get("Location")!;
    await postForm(path, { intent: "send", clientId: "seen-1", text: "Did you see this?" }, { cookie: anaCookie });
    expect((await getPage(path, anaCookie)).html).not.toContain(">Seen<");
    await getPage(path, benCookie);
    expect((await getPage(path, anaCookie)).html).toContain(">Seen<");
    await updateChatSettings(ctx, ben.id, { readReceipts: false });
    expect((await getPage(path, anaCookie)).html).not.toContain(">Seen<");
    await updateChatSettings(ctx, ben.id, { readReceipts: true });
    await updateChatSettings(ctx, ana.id, { readReceipts: false });
    expect((await getPage(path, anaCookie)).html).not.toContain(">Seen<");
  });
});
