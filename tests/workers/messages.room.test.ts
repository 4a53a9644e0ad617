import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { messages } from "#db/schema/index.ts";
import { identiconPng } from "#db/seed/artwork.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { block } from "#domain/graph/blocks.ts";
import { uploadMessageAttachment } from "#domain/messages/attachments.ts";
import { follow } from "#domain/graph/follows.ts";
import { createGroup, leaveConversation } from "#domain/messages/conversations.ts";
import { history } from "#domain/messages/messages.ts";
import { updateChatSettings } from "#domain/messages/settings.ts";
import { conversationRoom } from "#workers/sockets/connect.ts";
import { deliverEvents, eventually, fetchWorker, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let count = 0;
const person = () => makeUser(ctx, { username: `roomie${(count += 1)}` });
const openSockets: WebSocket[] = [];

afterEach(() => {
  for (const socket of openSockets.splice(0)) if (socket.readyState === WebSocket.OPEN) socket.close(1000, "test over");
});

/** A group of three who follow its owner. */
async function room() {
  const [owner, b, c] = [await person(), await person(), await person()];
  for (const user of [b, c]) await follow(ctx, user.id, owner.id);
  const group = await createGroup(ctx, owner.id, { name: "Room", memberIds: [b.id, c.id] });
  return { owner, b, c, group };
}

interface Frame {
  event?: string;
  payload?: string;
  error?: string;
  status?: number;
  client_id?: string;
}

/** Joins a conversation's socket through the whole Worker, as a client would, and collects its frames. */
async function join(conversationId: string, userId: string) {
  const token = await tokenFor(userId, ["read", "write"]);
  const response = await fetchWorker(`/api/v1/perch/chats/${conversationId}/stream?access_token=${token}`, {
    headers: { Upgrade: "websocket" },
  });
  expect(response.status).toBe(101);
  const socket = response.webSocket!;
  socket.accept();
  openSockets.push(socket);
  const frames: Frame[] = [];
  const closed = new Promise<number>((resolve) => socket.addEventListener("close", (event) => resolve(event.code)));
  socket.addEventListener("message", (event) => frames.push(JSON.parse(String(event.data)) as Frame));
  return { socket, frames, closed };
}

const payloads = (frames: Frame[], event: string) =>
  frames.filter((f) => f.event === event).map((f) => JSON.parse(f.payload!) as Record<string, unknown>);

describe("the conversation room", () => {
  it("orders messages from concurrent senders: everyone sees them in id order, none lost", async () => {
    const { owner, b, c, group } = await room();
    const listener = await join(group.id, c.id);
    const stub = conversationRoom(env, group.id);
    const sends = Array.from({ length: 20 }, (_, i) =>
      stub.send({ conversationId: group.id, senderId: i % 2 ? owner.id : b.id, clientId: `k${i}`, text: `m${i}` }),
    );
    const results = await Promise.all(sends);
    expect(results.every((result) => result.ok)).toBe(true);
    await eventually(async () => expect(payloads(listener.frames, "message")).toHaveLength(20));
    const seen = payloads(listener.frames, "message").map((m) => m.id as string);
    expect(seen).toEqual([...seen].sort());
    const stored = await ctx.db
      .select({ id: messages.id })
      .from(messages)
      .where(eq(messages.conversationId, group.id))
      .orderBy(messages.id);
    expect(stored.map((row) => row.id)).toEqual(seen);
  });

  it("stores a retried client id once and broadcasts it once", async () => {
    const { owner, c, group } = await room();
    const listener = await join(group.id, c.id);
    const stub = conversationRoom(env, group.id);
    const input = { conversationId: group.id, senderId: owner.id, clientId: "same", text: "once" };
    const [first, second] = [await stub.send(input), await stub.send(input)];
    expect(first.ok && second.ok && first.message.id === second.message.id && second.duplicate).toBe(true);
    await eventually(async () => expect(payloads(listener.frames, "message")).toHaveLength(1));
    expect(await ctx.db.select().from(messages).where(eq(messages.conversationId, group.id))).toHaveLength(1);
  });

  it("has stored an acknowledged message before it answers: a restarted room loses nothing", async () => {
    const { owner, b, group } = await room();
    const stub = conversationRoom(env, group.id);
    const ack = await stub.send({ conversationId: group.id, senderId: owner.id, clientId: "before-restart", text: "durable" });
    expect(ack.ok).toBe(true);
    await runInDurableObject(stub, (_instance, state) => state.abort("forced restart")).catch(() => undefined);
    const restarted = conversationRoom(env, group.id);
    const retry = await restarted.send({ conversationId: group.id, senderId: owner.id, clientId: "before-restart", text: "durable" });
    expect(retry).toMatchObject({ ok: true, duplicate: true });
    expect((await history(ctx, b.id, group.id, { limit: 5 })).items.map((m) => m.text)).toEqual(["durable"]);
  });

  it("is closed to non-members: the socket door answers 404", async () => {
    const { group } = await room();
    const outsider = await person();
    const token = await tokenFor(outsider.id, ["read"]);
    const response = await fetchWorker(`/api/v1/perch/chats/${group.id}/stream?access_token=${token}`, {
      headers: { Upgrade: "websocket" },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "Conversation not found" });
  });

  it("answers a malformed frame or a bad message with an error frame, and goes on", async () => {
    const { owner, group } = await room();
    const me = await join(group.id, owner.id);
    me.socket.send("not json");
    me.socket.send(JSON.stringify({ type: "send", client_id: "x", text: "   " }));
    me.socket.send(JSON.stringify({ type: "send", client_id: "ok", text: "fine" }));
    await eventually(async () => expect(me.frames.filter((f) => f.event === "ack")).toHaveLength(1));
    expect(me.frames.filter((f) => f.error).map((f) => f.status)).toEqual([400, 422]);
    expect(payloads(me.frames, "ack")[0]).toMatchObject({ client_id: "ok", message: { text: "fine" } });
  });

  it("relays typing and presence as members come and go, hides the presence of who hides it, and closes a leaver's socket", async () => {
    const { owner, b, c, group } = await room();
    await updateChatSettings(ctx, c.id, { showPresence: false });
    const first = await join(group.id, owner.id);
    const second = await join(group.id, b.id);
    const hidden = await join(group.id, c.id);
    second.socket.send(JSON.stringify({ type: "typing" }));
    await eventually(async () => expect(payloads(first.frames, "typing")).toEqual([{ user_id: b.id }]));
    expect(await conversationRoom(env, group.id).presentUserIds()).toEqual([owner.id, b.id].sort());
    // Each arrival tells those here who is here now, as a list of ids (the hidden member never in it).
    const told = payloads(first.frames, "presence") as { present: string[] }[];
    expect(told[0]).toEqual({ present: [owner.id] });
    expect(told.at(-1)).toEqual({ present: [owner.id, b.id].sort() });
    expect(payloads(hidden.frames, "presence").at(-1)).toEqual({ present: [owner.id, b.id].sort() });
    second.socket.close(1000, "page left");
    await eventually(async () => expect(payloads(first.frames, "presence").at(-1)).toEqual({ present: [owner.id] }));
    await leaveConversation(ctx, group.id, c.id);
    await deliverEvents();
    expect(await hidden.closed).toBe(4404);
  });

  it("stops delivery at once for a leaver: an edit published before member_left is handled closes their socket and is not sent to it", async () => {
    const { owner, b, c, group } = await room();
    const stub = conversationRoom(env, group.id);
    const sent = await stub.send({ conversationId: group.id, senderId: owner.id, clientId: "before-leaving", text: "hello" });
    if (!sent.ok) throw new Error(sent.error);
    const [staying, leaving] = [await join(group.id, b.id), await join(group.id, c.id)];
    // Left in D1; the queued conversation.member_left event that closes sockets has not run.
    await leaveConversation(ctx, group.id, c.id);
    const edited = { ...sent.message, content: "<p>edited after c left</p>" };
    await stub.publishUpdate(edited);
    expect(await leaving.closed).toBe(4404);
    await eventually(async () => expect(payloads(staying.frames, "message.updated")).toHaveLength(1));
    expect(payloads(leaving.frames, "message.updated")).toEqual([]);
  });

  it("applies a member's new privacy settings to their open sockets: hidden presence leaves who is here, receipts off stop reaching them", async () => {
    const { owner, b, group } = await room();
    const stub = conversationRoom(env, group.id);
    const sent = await stub.send({ conversationId: group.id, senderId: b.id, clientId: "read-me", text: "read me" });
    if (!sent.ok) throw new Error(sent.error);
    const [first, second] = [await join(group.id, owner.id), await join(group.id, b.id)];
    await eventually(async () => expect(payloads(first.frames, "presence").at(-1)).toEqual({ present: [owner.id, b.id].sort() }));

    await updateChatSettings(ctx, b.id, { showPresence: false });
    await updateChatSettings(ctx, owner.id, { readReceipts: false });
    await deliverEvents();
    await eventually(async () => expect(payloads(first.frames, "presence").at(-1)).toEqual({ present: [owner.id] }));
    expect(await stub.presentUserIds()).toEqual([owner.id]);
    await stub.receipt(group.id, b.id, sent.message.id);
    await eventually(async () => expect(payloads(second.frames, "read")).toEqual([{ user_id: b.id, message_id: sent.message.id }]));
    expect(payloads(first.frames, "read")).toEqual([]);

    // Saving the same settings again (the privacy page saves them with its other choices) tells no room.
    const changes = async () =>
      (await env.DB.prepare("SELECT count(*) AS n FROM domain_events WHERE type = 'chat.settings_changed'").first<{ n: number }>())!.n;
    const before = await changes();
    await updateChatSettings(ctx, b.id, { showPresence: false, readReceipts: true });
    expect(await changes()).toBe(before);
  });

  it("sends attachments in message frames as the API has them, and each reader their own card of a shared post", async () => {
    const { owner, b, c, group } = await room();
    const [forB, forC] = [await join(group.id, b.id), await join(group.id, c.id)];
    const author = await person();
    const shared = await makePost(ctx, author, { text: "Worth a look" });
    await block(ctx, author.id, c.id);
    const upload = await uploadMessageAttachment(
      ctx,
      group.id,
      owner.id,
      { bytes: await identiconPng("frame", 32), name: "a.png" },
      "A tile",
    );
    const sent = await conversationRoom(env, group.id).send({
      conversationId: group.id,
      senderId: owner.id,
      clientId: "with-files",
      text: "",
      mediaIds: [upload.id],
      sharedPostId: shared.id,
    });
    expect(sent.ok).toBe(true);
    await eventually(async () => expect(payloads(forC.frames, "message")).toHaveLength(1));
    await eventually(async () => expect(payloads(forB.frames, "message")).toHaveLength(1));
    const [toB] = payloads(forB.frames, "message");
    const [toC] = payloads(forC.frames, "message");
    expect(toB).toMatchObject({
      media_attachments: [{ id: upload.id, description: "A tile", url: `/media/chats/${group.id}/${upload.id}/original` }],
      shared_status: { id: shared.id, available: true, excerpt: "Worth a look" },
    });
    expect(toC).toMatchObject({
      media_attachments: [{ id: upload.id }],
      shared_status: { id: shared.id, available: false, excerpt: null },
    });
  });
});

describe("a room restarted in the middle of sends", () => {
  it("acknowledged only what it stored, and the senders' retries store each message exactly once", async () => {
    const { owner, b, group } = await room();
    const stub = conversationRoom(env, group.id);
    const inputs = Array.from({ length: 40 }, (_, i) => ({
      conversationId: group.id,
      senderId: i % 2 ? owner.id : b.id,
      clientId: `mid-${i}`,
      text: `mid ${i}`,
    }));
    const inFlight = inputs.map((input) =>
      stub.send(input).then(
        (result) => (result.ok ? result.message.id : null),
        () => null,
      ),
    );
    // The restart lands once the first is answered (the room stores in order), while the rest are queued or being
    // stored: those fail, or were stored without their answer arriving.
    await inFlight[0];
    await runInDurableObject(stub, (_instance, state) => state.abort("forced restart mid-send")).catch(() => undefined);
    const acknowledged = (await Promise.all(inFlight)).filter((id): id is string => id !== null);
    expect(acknowledged.length).toBeGreaterThanOrEqual(1);

    const stored = async () =>
      (await ctx.db.select({ id: messages.id }).from(messages).where(eq(messages.conversationId, group.id))).map((row) => row.id);
    // Nothing acknowledged is missing after the restart.
    expect(await stored()).toEqual(expect.arrayContaining(acknowledged));

    const restarted = conversationRoom(env, group.id);
    const retried = [];
    for (const input of inputs) retried.push(await restarted.send(input));
    expect(retried.every((result) => result.ok)).toBe(true);
    const ids = await stored();
    expect(ids).toHaveLength(inputs.length);
    expect(new Set(ids).size).toBe(inputs.length);
    expect(ids).toEqual(expect.arrayContaining(acknowledged));
  });
});
