import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { liveListeners } from "#db/schema/index.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { favourite, reblog, unfavourite, unreblog } from "#domain/posts/engagement.ts";
import { deletePost } from "#domain/posts/removal.ts";
import { REPLAY_MAX_EVENTS } from "#workers/sockets/replay-buffer.ts";
import { userHub } from "#workers/sockets/connect.ts";
import type { UserHub } from "#workers/sockets/user-hub.ts";
import { deliverEvents, eventually, fetchWorker, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let count = 0;
const person = () => makeUser(ctx, { username: `resumer${(count += 1)}` });

const openSockets: WebSocket[] = [];

afterEach(() => {
  for (const socket of openSockets.splice(0)) if (socket.readyState === WebSocket.OPEN) socket.close(1000, "test over");
});

interface Frame {
  stream?: string[];
  event?: string;
  payload?: string;
  event_id?: string;
  error?: string;
  status?: number;
}

async function connect(path: string) {
  const response = await fetchWorker(path, { headers: { Upgrade: "websocket" } });
  expect(response.status).toBe(101);
  const socket = response.webSocket!;
  socket.accept();
  openSockets.push(socket);
  const frames: Frame[] = [];
  const closed = new Promise<number>((resolve) => socket.addEventListener("close", (event) => resolve(event.code)));
  socket.addEventListener("message", (event) => {
    frames.push(JSON.parse(String(event.data)) as Frame);
  });
  return { socket, frames, closed };
}

/** Opens an event stream and reads it event by event (after the opening comment). */
async function eventStream(path: string, headers: Record<string, string> = {}) {
  const response = await fetchWorker(path, { headers });
  expect(response.headers.get("Content-Type")).toBe("text/event-stream");
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const nextEvent = async () => {
    while (!text.includes("\n\n")) text += (await reader.read()).value ?? "";
    const end = text.indexOf("\n\n") + 2;
    const event = text.slice(0, end).replace(/^:\)\n/, "");
    text = text.slice(end);
    return event;
  };
  return { reader, nextEvent };
}

/** Someone likes one of the user's posts (a new post each time), and the notification is pushed. */
async function likedBy(owner: { id: string }, fan: { id: string }) {
  const post = await makePost(ctx, owner, { text: "Like me" });
  await favourite(ctx, fan.id, post.id);
  await deliverEvents();
  return post;
}

const ids = (frames: Frame[]) => frames.map((frame) => Number(frame.event_id));
const favouriteOf = (frame: Frame) => JSON.parse(frame.payload!).status.id as string;

describe("resuming a stream after a reconnect (docs/decisions/0034)", () => {
  it("numbers every frame and sends a reconnecting socket what it missed, in order, then live events", async () => {
    const ana = await person();
    const fan = await person();
    const token = await tokenFor(ana.id, ["read"]);
    const first = await connect(`/api/v1/streaming?stream=user:notification&access_token=${token}`);
    await likedBy(ana, fan);
    await eventually(async () => expect(first.frames).toHaveLength(1));
    const seen = first.frames[0]!.event_id!;
    expect(seen).toMatch(/^\d+$/);

    // The train enters a tunnel: the connection is lost without a close frame, as the runtime then reports it.
    await runInDurableObject(userHub(env, ana.id), (instance: UserHub, state) => instance.webSocketClose(state.getWebSockets()[0]!, 1006));
    // The hub keeps listening for the replay window, so what happens meanwhile is buffered for the client.
    const missedPosts = [await likedBy(ana, fan), await likedBy(ana, fan)];
    const rows = await ctx.db.select().from(liveListeners).where(eq(liveListeners.userId, ana.id));
    expect(rows.map((row) => row.channel)).toEqual(["notifications"]);

    const again = await connect(`/api/v1/streaming?stream=user:notification&last_event_id=${seen}&access_token=${token}`);
    await eventually(async () => expect(again.frames).toHaveLength(2));
    expect(again.frames.map(favouriteOf)).toEqual(missedPosts.map((post) => post.id));
    expect(again.frames.every((frame) => frame.event === "notification" && frame.stream?.[0] === "user:notification")).toBe(true);
    const [one, two] = ids(again.frames);
    expect(one).toBeGreaterThan(Number(seen));
    expect(two).toBeGreaterThan(one!);

    const live = await likedBy(ana, fan);
    await eventually(async () => expect(again.frames).toHaveLength(3));
    expect(favouriteOf(again.frames[2]!)).toBe(live.id);
  });

  it("keeps the buffer through an eviction that drops the sockets, and resumes a stream subscribed by message", async () => {
    const ana = await person();
    const fan = await person();
    const token = await tokenFor(ana.id, ["read"]);
    const first = await connect(`/api/v1/streaming?access_token=${token}`);
    first.socket.send(JSON.stringify({ type: "subscribe", stream: "user:notification" }));
    await eventually(async () => {
      const rows = await ctx.db.select().from(liveListeners).where(eq(liveListeners.userId, ana.id));
      expect(rows).toHaveLength(1);
    });
    await likedBy(ana, fan);
    await eventually(async () => expect(first.frames).toHaveLength(1));
    const seen = first.frames[0]!.event_id!;

    // A restart: the object's memory is gone and its sockets with it; only its storage remains.
    await evictDurableObject(userHub(env, ana.id), { webSockets: "close" });
    await first.closed;
    const missed = await likedBy(ana, fan);

    const again = await connect(`/api/v1/streaming?last_event_id=${seen}&access_token=${token}`);
    expect(again.frames).toEqual([]);
    again.socket.send(JSON.stringify({ type: "subscribe", stream: "user:notification" }));
    await eventually(async () => expect(again.frames).toHaveLength(1));
    expect(favouriteOf(again.frames[0]!)).toBe(missed.id);
    expect(Number(again.frames[0]!.event_id)).toBeGreaterThan(Number(seen));
  });

  it("tells a client whose id is older than the buffer, or not one the hub gave, to refetch", async () => {
    const ana = await person();
    const token = await tokenFor(ana.id, ["read"]);
    const hub = userHub(env, ana.id);
    for (let i = 0; i < REPLAY_MAX_EVENTS + 5; i += 1) {
      await hub.publish(ana.id, "notifications", "notification", JSON.stringify({ n: i }));
    }
    const latest = await runInDurableObject(hub, (_, state) =>
      Number(state.storage.sql.exec<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'replay_events'").one().seq),
    );

    const recent = await connect(`/api/v1/streaming?stream=user:notification&last_event_id=${latest - 3}&access_token=${token}`);
    await eventually(async () => expect(recent.frames).toHaveLength(3));
    expect(ids(recent.frames)).toEqual([latest - 2, latest - 1, latest]);

    const stale = await connect(`/api/v1/streaming?stream=user:notification&last_event_id=1&access_token=${token}`);
    const foreign = await connect(`/api/v1/streaming?stream=user:notification&last_event_id=${latest + 50}&access_token=${token}`);
    await eventually(async () => expect([...stale.frames, ...foreign.frames]).toHaveLength(2));
    for (const frames of [stale.frames, foreign.frames]) {
      expect(frames).toEqual([{ stream: ["user:notification"], event: "perch.refetch", event_id: String(latest) }]);
    }
  });

  it("resumes server-sent events from Last-Event-ID, with id lines, and sends heartbeat comments", async () => {
    const ana = await person();
    const fan = await person();
    const token = await tokenFor(ana.id, ["read"]);
    const path = `/api/v1/streaming/user/notification?access_token=${token}`;
    const first = await eventStream(path);
    await likedBy(ana, fan);
    const seen = /^id: (\d+)\nevent: notification\n/.exec(await first.nextEvent())![1]!;
    await first.reader.cancel();

    const missed = await likedBy(ana, fan);
    const again = await eventStream(path, { "Last-Event-ID": seen });
    const resumed = await again.nextEvent();
    expect(resumed).toMatch(new RegExp(`^id: ${Number(seen) + 1}\nevent: notification\ndata: \\{.*\\}\n\n$`, "s"));
    expect(JSON.parse(resumed.split("data: ")[1]!).status.id).toBe(missed.id);

    const heartbeat = again.reader.read();
    expect(await runInDurableObject(userHub(env, ana.id), (instance: UserHub) => instance.sendHeartbeats())).toBe(1);
    expect((await heartbeat).value).toBe(":thump\n");
    await again.reader.cancel();
  });

  it("refuses a malformed last_event_id with a 400", async () => {
    const ana = await person();
    const token = await tokenFor(ana.id, ["read"]);
    const response = await fetchWorker(`/api/v1/streaming?stream=user&last_event_id=yesterday&access_token=${token}`, {
      headers: { Upgrade: "websocket" },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "last_event_id must be an event id the stream sent" });
  });
});

describe("a post's live counts (perch:status)", () => {
  it("sends a page watching a post its counts when it is liked, unliked and replied to", async () => {
    const author = await person();
    const fan = await person();
    const viewer = await person();
    const post = await makePost(ctx, author, { text: "Count me" });
    await deliverEvents();
    const token = await tokenFor(viewer.id, ["read"]);
    const page = await connect(`/api/v1/streaming?stream=perch:status&status=${post.id}&access_token=${token}`);

    await favourite(ctx, fan.id, post.id);
    await deliverEvents();
    await makePost(ctx, fan, { text: "A reply", inReplyToId: post.id });
    await deliverEvents();
    await unfavourite(ctx, fan.id, post.id);
    await deliverEvents();
    await eventually(async () => expect(page.frames).toHaveLength(3));
    expect(page.frames.map((frame) => [frame.stream, frame.event])).toEqual(
      Array(3).fill([["perch:status", post.id], "perch.status.counts"]),
    );
    expect(page.frames.map((frame) => JSON.parse(frame.payload!))).toEqual([
      { id: post.id, replies_count: 0, reblogs_count: 0, favourites_count: 1 },
      { id: post.id, replies_count: 1, reblogs_count: 0, favourites_count: 1 },
      { id: post.id, replies_count: 1, reblogs_count: 0, favourites_count: 0 },
    ]);
  });

  it("sends the counts after an unrepost and a deleted reply too, and no status.update: Mastodon sends that for edits only", async () => {
    const author = await person();
    const fan = await person();
    const post = await makePost(ctx, author, { text: "Count me down" });
    await deliverEvents();
    const page = await connect(
      `/api/v1/streaming?stream=perch:status&status=${post.id}&access_token=${await tokenFor(author.id, ["read"])}`,
    );
    const home = await connect(`/api/v1/streaming?stream=user&access_token=${await tokenFor(fan.id, ["read"])}`);

    await reblog(ctx, fan.id, post.id);
    await deliverEvents();
    const reply = await makePost(ctx, fan, { text: "A reply", inReplyToId: post.id });
    await deliverEvents();
    await unreblog(ctx, fan.id, post.id);
    await deliverEvents();
    await deletePost(testDomain({ id: fan.id, role: fan.role }), reply.id);
    await deliverEvents();
    await eventually(async () => expect(page.frames).toHaveLength(4));
    expect(page.frames.map((frame) => JSON.parse(frame.payload!))).toEqual([
      { id: post.id, replies_count: 0, reblogs_count: 1, favourites_count: 0 },
      { id: post.id, replies_count: 1, reblogs_count: 1, favourites_count: 0 },
      { id: post.id, replies_count: 1, reblogs_count: 0, favourites_count: 0 },
      { id: post.id, replies_count: 0, reblogs_count: 0, favourites_count: 0 },
    ]);
    // The fan's own home stream had their repost and reply, then their deletions; never a status.update.
    await eventually(async () => expect(home.frames.filter((frame) => frame.event === "delete")).toHaveLength(2));
    expect(home.frames.some((frame) => frame.event === "status.update")).toBe(false);
  });

  it("refuses to stream the counts of a post the viewer may not see", async () => {
    const author = await person();
    const stranger = await person();
    const hidden = await makePost(ctx, author, { text: "Followers only", visibility: "private" });
    const token = await tokenFor(stranger.id, ["read"]);
    const refused = await fetchWorker(`/api/v1/streaming?stream=perch:status&status=${hidden.id}&access_token=${token}`, {
      headers: { Upgrade: "websocket" },
    });
    expect(refused.status).toBe(404);
    const { socket, frames } = await connect(`/api/v1/streaming?access_token=${token}`);
    socket.send(JSON.stringify({ type: "subscribe", stream: "perch:status", status: hidden.id }));
    await eventually(async () => expect(frames).toEqual([{ error: "Record not found", status: 404 }]));
    expect(await ctx.db.select().from(liveListeners).where(eq(liveListeners.userId, stranger.id))).toEqual([]);
  });
});
