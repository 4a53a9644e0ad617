import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq, inArray } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { liveListeners } from "#db/schema/index.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { addKeyword, createFilter, deleteFilter, deleteKeyword } from "#domain/filters/filters.ts";
import { block, mute } from "#domain/graph/blocks.ts";
import { follow } from "#domain/graph/follows.ts";
import { userHub } from "#workers/sockets/connect.ts";
import { relayShardOf } from "#workers/sockets/relay-shards.ts";
import type { UserHub } from "#workers/sockets/user-hub.ts";
import { deliverEvents, eventually, fetchWorker, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let count = 0;
const person = () => makeUser(ctx, { username: `relayed${(count += 1)}` });

const openSockets: WebSocket[] = [];

afterEach(() => {
  for (const socket of openSockets.splice(0)) if (socket.readyState === WebSocket.OPEN) socket.close(1000, "test over");
});

interface Frame {
  stream?: string[];
  event?: string;
  payload?: string;
  event_id?: string;
}

async function connect(path: string) {
  const response = await fetchWorker(path, { headers: { Upgrade: "websocket" } });
  expect(response.status).toBe(101);
  const socket = response.webSocket!;
  socket.accept();
  openSockets.push(socket);
  const frames: Frame[] = [];
  const closed = new Promise<number>((resolve) => socket.addEventListener("close", (event) => resolve(event.code)));
  socket.addEventListener("message", (event) => frames.push(JSON.parse(String(event.data)) as Frame));
  return { socket, frames, closed };
}

const channelsOf = async (userId: string) =>
  (await ctx.db.select({ channel: liveListeners.channel }).from(liveListeners).where(eq(liveListeners.userId, userId)))
    .map((row) => row.channel)
    .sort();

describe("public streams through the stream relays (docs/decisions/0048)", () => {
  it("reaches listeners on every shard, never one who blocked or muted the author, and keeps nothing to replay", async () => {
    const author = await person();
    const listeners: Awaited<ReturnType<typeof person>>[] = [];
    for (let i = 0; i < 24; i += 1) listeners.push(await person());
    const [blocker, muter, ...readers] = listeners;
    await block(ctx, blocker!.id, author.id);
    await mute(ctx, muter!.id, author.id);
    // The ids spread over several shards, so more than one relay takes part.
    expect(new Set(listeners.map((listener) => relayShardOf(listener.id))).size).toBeGreaterThan(3);
    const sockets = [];
    for (const listener of listeners) {
      sockets.push(await connect(`/api/v1/streaming?stream=public&access_token=${await tokenFor(listener.id, ["read"])}`));
    }
    await eventually(async () => {
      const rows = await ctx.db
        .select()
        .from(liveListeners)
        .where(
          inArray(
            liveListeners.userId,
            listeners.map((listener) => listener.id),
          ),
        );
      expect(rows).toHaveLength(listeners.length);
    });

    const post = await makePost(ctx, author, { text: "To everyone" });
    await deliverEvents();
    const [blocked, muted, ...reading] = sockets;
    await eventually(async () => expect(reading.every((socket) => socket.frames.length === 1)).toBe(true));
    for (const { frames } of reading) {
      expect(frames[0]).toEqual({ stream: ["public"], event: "update", payload: expect.any(String) });
      expect(JSON.parse(frames[0]!.payload!).id).toBe(post.id);
    }
    expect(blocked!.frames).toEqual([]);
    expect(muted!.frames).toEqual([]);
    expect(readers).toHaveLength(22);

    // Nothing of the public stream is buffered: a hub passing it on writes no replay row.
    const buffered = await runInDurableObject(userHub(env, readers[0]!.id), (_, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM replay_events").one(),
    );
    expect(buffered.n).toBe(0);
  });

  it("tells a client resuming a public stream to refetch: its events are not kept", async () => {
    const reader = await person();
    const token = await tokenFor(reader.id, ["read"]);
    await userHub(env, reader.id).publish(reader.id, "notifications", "notification", "{}");
    const resumed = await connect(`/api/v1/streaming?stream=public&last_event_id=1&access_token=${token}`);
    await eventually(async () => expect(resumed.frames).toEqual([{ stream: ["public"], event: "perch.refetch", event_id: "1" }]));
  });
});

describe("each listener's filters on streamed posts", () => {
  it("covers a post for a listener whose warn filter matches, leaves it out for a hide filter, and spares everyone else", async () => {
    const author = await person();
    const [warned, hidden, homeOnly, plain, follower] = [await person(), await person(), await person(), await person(), await person()];
    await createFilter(ctx, warned.id, { title: "Spoilers", contexts: ["public"], action: "warn", keywords: [{ keyword: "finale" }] });
    await createFilter(ctx, hidden.id, { title: "Gone", contexts: ["public"], action: "hide", keywords: [{ keyword: "finale" }] });
    await createFilter(ctx, homeOnly.id, { title: "Home only", contexts: ["home"], action: "hide", keywords: [{ keyword: "finale" }] });
    await createFilter(ctx, follower.id, { title: "At home", contexts: ["home"], action: "blur", keywords: [{ keyword: "finale" }] });
    await follow(ctx, follower.id, author.id);
    const sockets = new Map<string, Awaited<ReturnType<typeof connect>>>();
    for (const listener of [warned, hidden, homeOnly, plain]) {
      sockets.set(listener.id, await connect(`/api/v1/streaming?stream=public&access_token=${await tokenFor(listener.id, ["read"])}`));
    }
    const home = await connect(`/api/v1/streaming?stream=user&access_token=${await tokenFor(follower.id, ["read"])}`);
    await eventually(async () => expect(await channelsOf(follower.id)).toEqual(["notifications", "user"]));
    await eventually(async () => expect((await channelsOf(hidden.id)).length).toBe(1));

    const post = await makePost(ctx, author, { text: "The finale was something" });
    await deliverEvents();
    const payloadOf = (socket: Awaited<ReturnType<typeof connect>> | undefined) => {
      const frame = socket?.frames.find((item) => item.event === "update");
      return frame
        ? (JSON.parse(frame.payload!) as { id: string; filtered?: { filter: { title: string }; keyword_matches: string[] | null }[] })
        : undefined;
    };
    await eventually(async () => {
      for (const listener of [warned, homeOnly, plain]) expect(payloadOf(sockets.get(listener.id))?.id).toBe(post.id);
      expect(payloadOf(home)?.id).toBe(post.id);
    });
    expect(payloadOf(sockets.get(warned.id))!.filtered).toEqual([
      expect.objectContaining({ filter: expect.objectContaining({ title: "Spoilers" }), keyword_matches: ["finale"] }),
    ]);
    expect(payloadOf(home)!.filtered).toEqual([expect.objectContaining({ filter: expect.objectContaining({ title: "At home" }) })]);
    expect(payloadOf(sockets.get(homeOnly.id))!.filtered).toBeUndefined();
    expect(payloadOf(sockets.get(plain.id))!.filtered).toBeUndefined();
    expect(sockets.get(hidden.id)!.frames).toEqual([]);
  });
});

describe("listener rows of closed sockets", () => {
  it("are deleted when a tab closes (a close frame), and a later resume is told to refetch", async () => {
    const reader = await person();
    const author = await person();
    const token = await tokenFor(reader.id, ["read"]);
    const tab = await connect(`/api/v1/streaming?stream=user&access_token=${token}`);
    tab.socket.send(JSON.stringify({ type: "subscribe", stream: "public" }));
    await eventually(async () => expect(await channelsOf(reader.id)).toEqual(["notifications", "public", "user"]));
    await userHub(env, reader.id).publish(reader.id, "notifications", "notification", "{}");
    await eventually(async () => expect(tab.frames).toHaveLength(1));

    tab.socket.close(1001, "tab closed");
    await tab.closed;
    await eventually(async () => expect(await channelsOf(reader.id)).toEqual([]));
    // Publishers no longer find this hub; what happened meanwhile was never buffered, and the client is told so.
    await makePost(ctx, author, { text: "While away" });
    await deliverEvents();
    const again = await connect(`/api/v1/streaming?stream=user&last_event_id=${tab.frames[0]!.event_id}&access_token=${token}`);
    await eventually(async () => expect(again.frames.map((frame) => frame.event)).toEqual(["perch.refetch"]));
  });

  it("stay for the replay window when the connection broke without a close frame, except the public stream's", async () => {
    const reader = await person();
    const token = await tokenFor(reader.id, ["read"]);
    const dropped = await connect(`/api/v1/streaming?stream=user&access_token=${token}`);
    dropped.socket.send(JSON.stringify({ type: "subscribe", stream: "public" }));
    await eventually(async () => expect(await channelsOf(reader.id)).toEqual(["notifications", "public", "user"]));

    // What the runtime reports for a connection lost without a close frame.
    await runInDurableObject(userHub(env, reader.id), async (instance: UserHub, state) => {
      await instance.webSocketClose(state.getWebSockets()[0]!, 1006);
    });
    expect(await channelsOf(reader.id)).toEqual(["notifications", "user"]);
  });

  it("stay for the replay window after a socket error, as for a broken connection", async () => {
    const reader = await person();
    const token = await tokenFor(reader.id, ["read"]);
    const broken = await connect(`/api/v1/streaming?stream=user:notification&access_token=${token}`);
    await eventually(async () => expect(await channelsOf(reader.id)).toEqual(["notifications"]));
    await runInDurableObject(userHub(env, reader.id), async (instance: UserHub, state) => {
      await instance.webSocketError(state.getWebSockets()[0]!);
      const [released] = state.storage.sql.exec<{ channel: string }>("SELECT channel FROM released_channels").toArray();
      expect(released).toEqual({ channel: "notifications" });
    });
    expect(broken.frames).toEqual([]);
    expect(await channelsOf(reader.id)).toEqual(["notifications"]);
  });
});

describe("filters_changed", () => {
  it("reaches the owner's user stream after each filter command, with no payload, and nobody else's", async () => {
    const owner = await person();
    const other = await person();
    const mine = await connect(`/api/v1/streaming?stream=user&access_token=${await tokenFor(owner.id, ["read"])}`);
    const theirs = await connect(`/api/v1/streaming?stream=user&access_token=${await tokenFor(other.id, ["read"])}`);
    await eventually(async () => expect(await channelsOf(owner.id)).toEqual(["notifications", "user"]));
    await eventually(async () => expect(await channelsOf(other.id)).toEqual(["notifications", "user"]));

    const filter = await createFilter(ctx, owner.id, { title: "Spoilers", contexts: ["home"], keywords: [{ keyword: "finale" }] });
    await deliverEvents();
    const keyword = await addKeyword(ctx, owner.id, filter.id, { keyword: "ending" });
    await deliverEvents();
    await deleteKeyword(ctx, owner.id, keyword.id);
    await deliverEvents();
    await deleteFilter(ctx, owner.id, filter.id);
    await deliverEvents();
    await eventually(async () => expect(mine.frames).toHaveLength(4));
    for (const frame of mine.frames) expect(frame).toMatchObject({ stream: ["user"], event: "filters_changed" });
    expect(mine.frames.every((frame) => frame.payload === undefined)).toBe(true);
    expect(theirs.frames).toEqual([]);
  });
});
