import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { liveListeners } from "#db/schema/index.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { block } from "#domain/graph/blocks.ts";
import { follow } from "#domain/graph/follows.ts";
import { createList } from "#domain/graph/lists.ts";
import { favourite } from "#domain/posts/engagement.ts";
import { deletePost } from "#domain/posts/removal.ts";
import { userHub } from "#workers/sockets/connect.ts";
import { MAX_FRAME_BYTES, MAX_MESSAGES_PER_MINUTE } from "#workers/sockets/user-hub.ts";
import { deliverEvents, eventually, fetchWorker, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let count = 0;
const person = () => makeUser(ctx, { username: `streamer${(count += 1)}` });

const openSockets: WebSocket[] = [];

// No socket outlives its test: one still open when the runtime shuts down ends as a lost connection, not a close.
afterEach(() => {
  for (const socket of openSockets.splice(0)) if (socket.readyState === WebSocket.OPEN) socket.close(1000, "test over");
});

interface Frame {
  stream?: string[];
  event?: string;
  payload?: string;
  error?: string;
  status?: number;
}

/** Connects through the whole Worker as a Mastodon client does, and collects frames and the close. */
async function connect(path: string, headers: Record<string, string> = {}) {
  const response = await fetchWorker(path, { headers: { Upgrade: "websocket", ...headers } });
  expect(response.status).toBe(101);
  const socket = response.webSocket!;
  socket.accept();
  openSockets.push(socket);
  const frames: Frame[] = [];
  const closed = new Promise<number>((resolve) => socket.addEventListener("close", (event) => resolve(event.code)));
  socket.addEventListener("message", (event) => {
    frames.push(JSON.parse(String(event.data)) as Frame);
  });
  return { socket, frames, closed, response };
}

/** Waits until a user's hub has recorded that it listens to these channels (subscribing writes to D1). */
async function listening(userId: string, channels: string[]) {
  await eventually(async () => {
    const rows = await ctx.db.select({ channel: liveListeners.channel }).from(liveListeners).where(eq(liveListeners.userId, userId));
    expect(rows.map((row) => row.channel).sort()).toEqual([...channels].sort());
  });
}

/** Frames in a stable order: events published in parallel to several channels may arrive in any order. */
const byStream = (frames: Frame[]) => [...frames].sort((a, b) => String(a.stream).localeCompare(String(b.stream)));

describe("the Mastodon streaming API", () => {
  it("echoes the token offered as the subprotocol, and delivers a followed account's new post on the user stream", async () => {
    const ana = await person();
    const bob = await person();
    await follow(ctx, ana.id, bob.id);
    const token = await tokenFor(ana.id, ["read"]);
    const { frames, response } = await connect("/api/v1/streaming?stream=user", { "Sec-WebSocket-Protocol": token });
    expect(response.headers.get("Sec-WebSocket-Protocol")).toBe(token);

    const post = await makePost(ctx, bob, { text: "Hello, followers" });
    await deliverEvents();
    await eventually(async () => expect(frames).toHaveLength(1));
    expect(frames[0]).toMatchObject({ stream: ["user"], event: "update" });
    const status = JSON.parse(frames[0]!.payload!);
    expect(status).toMatchObject({ id: post.id, account: { id: bob.id } });
    // One status for every listener, as Mastodon sends it: no one's marks on it.
    expect(status).not.toHaveProperty("favourited");
  });

  it("pushes a notification to the user stream and to user:notification, once each", async () => {
    const ana = await person();
    const bob = await person();
    const token = await tokenFor(ana.id, ["read"]);
    const user = await connect(`/api/v1/streaming?stream=user&access_token=${token}`);
    const notifications = await connect(`/api/v1/streaming?stream=user:notification&access_token=${token}`);
    const post = await makePost(ctx, ana, { text: "Like this" });
    await deliverEvents();
    await favourite(ctx, bob.id, post.id);
    await deliverEvents();
    await eventually(async () => expect(notifications.frames).toHaveLength(1));
    expect(notifications.frames[0]).toMatchObject({ stream: ["user:notification"], event: "notification" });
    const entity = JSON.parse(notifications.frames[0]!.payload!);
    expect(entity).toMatchObject({
      type: "favourite",
      account: { id: bob.id },
      status: { id: post.id },
      group_key: `favourite-${post.id}`,
    });
    // Ana's own post came to her user stream too, as on Mastodon.
    expect(user.frames.map((frame) => frame.event)).toEqual(["update", "notification"]);
  });

  it("streams public and hashtag posts to subscribers, but not from someone they block; deletions follow", async () => {
    const listener = await person();
    const author = await person();
    const blocked = await person();
    await block(ctx, listener.id, blocked.id);
    const token = await tokenFor(listener.id, ["read"]);
    const { socket, frames } = await connect(`/api/v1/streaming?access_token=${token}`);
    socket.send(JSON.stringify({ type: "subscribe", stream: "public:local" }));
    socket.send(JSON.stringify({ type: "subscribe", stream: "hashtag", tag: "Birds" }));
    await listening(listener.id, ["public", "hashtag:birds"]);

    const tagged = await makePost(ctx, author, { text: "Look #birds" });
    await makePost(ctx, blocked, { text: "You cannot see me #birds" });
    await makePost(ctx, author, { text: "Only followers", visibility: "private" });
    await deliverEvents();
    await eventually(async () => expect(frames).toHaveLength(2));
    expect(byStream(frames).map((frame) => [frame.stream, frame.event, JSON.parse(frame.payload!).id])).toEqual([
      [["hashtag", "Birds"], "update", tagged.id],
      [["public:local"], "update", tagged.id],
    ]);

    await deletePost(testDomain({ id: author.id, role: author.role }), tagged.id);
    await deliverEvents();
    await eventually(async () => expect(frames).toHaveLength(4));
    expect(byStream(frames.slice(2))).toMatchObject([
      { stream: ["hashtag", "Birds"], event: "delete", payload: tagged.id },
      { stream: ["public:local"], event: "delete", payload: tagged.id },
    ]);

    socket.send(JSON.stringify({ type: "unsubscribe", stream: "hashtag", tag: "birds" }));
    await listening(listener.id, ["public"]);
    await makePost(ctx, author, { text: "Again #birds" });
    await deliverEvents();
    await eventually(async () => expect(frames).toHaveLength(5));
    expect(frames[4]!.stream).toEqual(["public:local"]);
  });

  it("answers a list the token may not read with an error frame and sends it nothing", async () => {
    const owner = await person();
    const other = await person();
    const list = await createList(ctx, owner.id, { title: "Mine" });
    const token = await tokenFor(other.id, ["read"]);
    const refused = await fetchWorker(`/api/v1/streaming?stream=list&list=${list.id}&access_token=${token}`, {
      headers: { Upgrade: "websocket" },
    });
    expect(refused.status).toBe(401);
    const { socket, frames } = await connect(`/api/v1/streaming?access_token=${token}`);
    socket.send(JSON.stringify({ type: "subscribe", stream: "list", list: list.id }));
    socket.send(JSON.stringify({ type: "subscribe", stream: "nonsense" }));
    socket.send(JSON.stringify({ type: "subscribe", stream: "hashtag" }));
    await eventually(async () => expect(frames).toHaveLength(3));
    expect(frames).toEqual([
      { error: "Not authorized to stream this list", status: 401 },
      { error: "Unknown stream type", status: 400 },
      { error: "Missing tag name parameter", status: 400 },
    ]);
    const rows = await ctx.db.select().from(liveListeners).where(eq(liveListeners.userId, other.id));
    expect(rows).toEqual([]);
  });

  it("closes a socket that sends binary, oversized or too many frames, and survives it", async () => {
    const user = await person();
    const token = await tokenFor(user.id, ["read"]);
    const binary = await connect(`/api/v1/streaming?access_token=${token}`);
    binary.socket.send(new Uint8Array([1, 2, 3]));
    expect(await binary.closed).toBe(1003);

    const oversized = await connect(`/api/v1/streaming?access_token=${token}`);
    oversized.socket.send(JSON.stringify({ type: "subscribe", stream: "public", tag: "x".repeat(MAX_FRAME_BYTES) }));
    expect(await oversized.closed).toBe(1009);

    const flood = await connect(`/api/v1/streaming?access_token=${token}`);
    for (let i = 0; i <= MAX_MESSAGES_PER_MINUTE; i += 1) flood.socket.send(JSON.stringify({ type: "subscribe", stream: "public" }));
    expect(await flood.closed).toBe(1008);

    const still = await connect(`/api/v1/streaming?stream=public&access_token=${token}`);
    const post = await makePost(ctx, user, { text: "Still standing" });
    await deliverEvents();
    await eventually(async () => expect(still.frames.map((frame) => frame.event)).toEqual(["update"]));
    expect(JSON.parse(still.frames[0]!.payload!).id).toBe(post.id);
  });

  it("serves the per-stream paths: a WebSocket on upgrade, server-sent events otherwise, 404 for an unknown one", async () => {
    const user = await person();
    const token = await tokenFor(user.id, ["read"]);
    expect((await fetchWorker(`/api/v1/streaming/nonsense?access_token=${token}`)).status).toBe(404);
    expect((await fetchWorker(`/api/v1/streaming/hashtag?access_token=${token}`)).status).toBe(400);
    const socket = await connect(`/api/v1/streaming/public/local?access_token=${token}`);

    const events = await fetchWorker(`/api/v1/streaming/hashtag/local?tag=owls&access_token=${token}`);
    expect(events.headers.get("Content-Type")).toBe("text/event-stream");
    const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).toBe(":)\n");

    const post = await makePost(ctx, user, { text: "Hoo #owls" });
    await deliverEvents();
    const { value } = await reader.read();
    expect(value).toMatch(/^event: update\ndata: \{.*\}\n\n$/s);
    expect(JSON.parse(value!.split("data: ")[1]!).id).toBe(post.id);
    await reader.cancel();
    await eventually(async () => expect(socket.frames.map((frame) => frame.stream)).toEqual([["public:local"]]));
  });

  it("refuses an upgrade without a token (401) and with a token lacking read scopes (403)", async () => {
    const user = await person();
    const writeOnly = await tokenFor(user.id, ["write"]);
    expect((await fetchWorker("/api/v1/streaming?stream=user", { headers: { Upgrade: "websocket" } })).status).toBe(401);
    const narrow = await fetchWorker(`/api/v1/streaming?stream=user&access_token=${writeOnly}`, { headers: { Upgrade: "websocket" } });
    expect(narrow.status).toBe(403);
  });

  it("lets Perch's own pages connect with the session cookie, but not another site's", async () => {
    const user = await makeUser(ctx, { username: "cookie_streamer", password: "a long enough password" });
    const cookie = sessionOf(
      await postForm("/login", { identifier: user.username, password: "a long enough password" }, { ip: "192.0.2.77" }),
    );
    const own = await connect("/api/v1/streaming?stream=user:notification", { Cookie: cookie, Origin: "http://perch.test" });
    expect(own.response.status).toBe(101);
    const foreign = await fetchWorker("/api/v1/streaming?stream=user:notification", {
      headers: { Upgrade: "websocket", Cookie: cookie, Origin: "https://evil.example" },
    });
    expect(foreign.status).toBe(401);
  });

  it("forgets a listener whose hub has no socket left (an evicted hub) after the replay window, so publishers stop waking it", async () => {
    const user = await person();
    const hub = userHub(env, user.id);
    await ctx.db.insert(liveListeners).values({ channel: "notifications", userId: user.id, origin: "http://perch.test" });
    // The first event finding no socket is kept for a client that may reconnect within the replay window...
    expect(await hub.publish(user.id, "notifications", "notification", "{}")).toBe(0);
    expect(await ctx.db.select().from(liveListeners).where(eq(liveListeners.userId, user.id))).toHaveLength(1);
    // ...and once the window has passed, the hub stops listening (its alarm, here run early with the window over).
    await runInDurableObject(hub, (_, state) => state.storage.sql.exec("UPDATE released_channels SET until = 0"));
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    expect(await ctx.db.select().from(liveListeners).where(eq(liveListeners.userId, user.id))).toEqual([]);
  });

  it("forgets at once a public stream no socket hears: its events are not kept for a reconnect", async () => {
    const user = await person();
    await ctx.db.insert(liveListeners).values({ channel: "public", userId: user.id, origin: "http://perch.test" });
    expect(await userHub(env, user.id).publish(user.id, "public", "update", "{}")).toBe(0);
    const rows = await ctx.db
      .select()
      .from(liveListeners)
      .where(and(eq(liveListeners.userId, user.id), eq(liveListeners.channel, "public")));
    expect(rows).toEqual([]);
  });
});
