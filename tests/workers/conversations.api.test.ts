import { and, eq } from "drizzle-orm";
import { createRestAPIClient, type mastodon } from "masto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { liveListeners } from "#db/schema/index.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { block } from "#domain/graph/blocks.ts";
import { fileDirectPost } from "#domain/posts/direct-conversations.ts";
import { deletePost } from "#domain/posts/removal.ts";
import { actingAs } from "#domain/context.ts";
import { callApi, deliverEvents, eventually, fetchWorker, ORIGIN, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let count = 0;
const person = () => makeUser(ctx, { username: `dmer${(count += 1)}` });

// masto sends its requests with the global fetch; those for our origin go to this Worker (everything else fails).
const networkFetch = globalThis.fetch;
beforeAll(() => {
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(ORIGIN)) throw new Error(`No network in tests: ${request.url}`);
    const body = ["GET", "HEAD"].includes(request.method) ? null : await request.arrayBuffer();
    return fetchWorker(request.url.slice(ORIGIN.length), { method: request.method, headers: request.headers, body });
  };
});
afterAll(() => {
  globalThis.fetch = networkFetch;
});

const masto = async (userId: string, scopes = ["read", "write"]) =>
  createRestAPIClient({ url: ORIGIN, accessToken: await tokenFor(userId, scopes) });

async function list(client: mastodon.rest.Client, params: mastodon.DefaultPaginationParams = {}) {
  return client.v1.conversations.list(params);
}

const openSockets: WebSocket[] = [];
afterEach(() => {
  for (const socket of openSockets.splice(0)) if (socket.readyState === WebSocket.OPEN) socket.close(1000, "test over");
});

describe("Mastodon's /api/v1/conversations, through masto", () => {
  it("groups a direct post for its author and whom it mentions; read, unread again on a reply, removed until the next post", async () => {
    const ana = await person();
    const ben = await person();
    const anaClient = await masto(ana.id);
    const benClient = await masto(ben.id);
    const posted = await anaClient.v1.statuses.create({ status: `@${ben.username} are you coming?`, visibility: "direct" });

    const [benView] = await eventually(async () => {
      const found = await list(benClient);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(benView).toMatchObject({ unread: true, accounts: [{ id: ana.id }], lastStatus: { id: posted.id, visibility: "direct" } });
    const [anaView] = await list(anaClient);
    expect(anaView).toMatchObject({ unread: false, accounts: [{ id: ben.id }], lastStatus: { id: posted.id } });

    const read = await benClient.v1.conversations.$select(benView!.id).read();
    expect(read).toMatchObject({ id: benView!.id, unread: false });

    const reply = await benClient.v1.statuses.create({
      status: `@${ana.username} yes`,
      visibility: "direct",
      inReplyToId: posted.id,
    });
    await eventually(async () => {
      const [again] = await list(anaClient);
      expect(again).toMatchObject({ id: anaView!.id, unread: true, lastStatus: { id: reply.id } });
    });
    expect(await list(benClient)).toMatchObject([{ id: benView!.id, unread: false, lastStatus: { id: reply.id } }]);

    await benClient.v1.conversations.$select(benView!.id).remove();
    expect(await list(benClient)).toEqual([]);
    const another = await anaClient.v1.statuses.create({
      status: `@${ben.username} see you`,
      visibility: "direct",
      inReplyToId: reply.id,
    });
    await eventually(async () => expect(await list(benClient)).toMatchObject([{ unread: true, lastStatus: { id: another.id } }]));
  });

  it("pages by the newest post with max_id, since_id and min_id and follows the Link header", async () => {
    const ana = await person();
    const ben = await person();
    const anaClient = await masto(ana.id);
    const ids: string[] = [];
    for (const text of ["one", "two", "three"]) {
      // Posts that reply to nothing each start their own conversation, as on Mastodon.
      ids.push((await anaClient.v1.statuses.create({ status: `@${ben.username} ${text}`, visibility: "direct" })).id);
    }
    await eventually(async () => expect(await list(anaClient)).toHaveLength(3));
    const newestFirst = [...ids].reverse();

    const pages: string[][] = [];
    for await (const page of anaClient.v1.conversations.list({ limit: 2 })) {
      pages.push(page.map((conversation) => conversation.lastStatus!.id));
    }
    expect(pages.flat()).toEqual(newestFirst);
    expect(pages[0]).toEqual(newestFirst.slice(0, 2));

    expect((await list(anaClient, { maxId: ids[2] })).map((c) => c.lastStatus!.id)).toEqual([ids[1], ids[0]]);
    expect((await list(anaClient, { sinceId: ids[0], limit: 1 })).map((c) => c.lastStatus!.id)).toEqual([ids[2]]);
    expect((await list(anaClient, { minId: ids[0], limit: 1 })).map((c) => c.lastStatus!.id)).toEqual([ids[1]]);

    const token = await tokenFor(ana.id, ["read"]);
    const first = await callApi("/api/v1/conversations?limit=1", token);
    expect(first.response.headers.get("Link")).toContain(`max_id=${ids[2]}`);
    expect((await callApi("/api/v1/conversations?limit=0", token)).response.status).toBe(400);
    expect((await callApi("/api/v1/conversations?max_id=abc", token)).response.status).toBe(400);
  });

  it("answers 404 for someone else's conversation and checks scopes as Mastodon does", async () => {
    const ana = await person();
    const ben = await person();
    const eve = await person();
    await makePost(ctx, ana, { text: `@${ben.username} private`, visibility: "direct" });
    await deliverEvents();
    const [anaView] = await list(await masto(ana.id));
    const eveToken = await tokenFor(eve.id);
    expect((await callApi(`/api/v1/conversations/${anaView!.id}/read`, eveToken, { method: "POST" })).response.status).toBe(404);
    const removed = await callApi(`/api/v1/conversations/${anaView!.id}`, eveToken, { method: "DELETE" });
    expect(removed).toMatchObject({ response: { status: 404 }, body: { error: expect.any(String) } });

    const readOnly = await tokenFor(ana.id, ["read"]);
    expect((await callApi(`/api/v1/conversations/${anaView!.id}/read`, readOnly, { method: "POST" })).response.status).toBe(403);
    const narrow = await tokenFor(ana.id, ["write:conversations"]);
    expect((await callApi("/api/v1/conversations", narrow)).response.status).toBe(403);
    expect((await callApi(`/api/v1/conversations/${anaView!.id}/read`, narrow, { method: "POST" })).response.status).toBe(200);
    expect((await callApi("/api/v1/conversations", null)).response.status).toBe(401);
  });

  it("leaves out a mentioned account that blocks the author, and is idempotent under redelivery", async () => {
    const ana = await person();
    const ben = await person();
    const cleo = await person();
    await block(ctx, cleo.id, ana.id);
    const post = await makePost(ctx, ana, { text: `@${ben.username} @${cleo.username} hello both`, visibility: "direct" });
    await deliverEvents();
    expect(await list(await masto(cleo.id))).toEqual([]);
    const [benView] = await list(await masto(ben.id));
    // Ben sees everyone else the post names, as Mastodon lists participants.
    expect(benView!.accounts.map((account) => account.id).sort()).toEqual([ana.id, cleo.id].sort());
    await masto(ben.id).then((client) => client.v1.conversations.$select(benView!.id).read());

    expect(await fileDirectPost(ctx, post.id)).toEqual([]);
    expect(await list(await masto(ben.id))).toMatchObject([{ id: benView!.id, unread: false }]);
    // Not a direct post: nothing to file.
    const open = await makePost(ctx, ana, { text: `@${ben.username} in public` });
    expect(await fileDirectPost(ctx, open.id)).toEqual([]);
  });

  it("falls back to the previous post when the newest is deleted, and drops a conversation with none left", async () => {
    const ana = await person();
    const ben = await person();
    const first = await makePost(ctx, ana, { text: `@${ben.username} first`, visibility: "direct" });
    await deliverEvents();
    const second = await makePost(ctx, ana, { text: `@${ben.username} second`, visibility: "direct", inReplyToId: first.id });
    await deliverEvents();
    const benClient = await masto(ben.id);
    expect(await list(benClient)).toMatchObject([{ lastStatus: { id: second.id } }]);

    await deletePost(actingAs(ctx, { id: ana.id, role: "user" }), second.id);
    await deliverEvents();
    expect(await list(benClient)).toMatchObject([{ lastStatus: { id: first.id } }]);
    await deletePost(actingAs(ctx, { id: ana.id, role: "user" }), first.id);
    await deliverEvents();
    expect(await list(benClient)).toEqual([]);
  });

  it("pushes the `conversation` event on the direct stream", async () => {
    const ana = await person();
    const ben = await person();
    const token = await tokenFor(ben.id, ["read"]);
    const response = await fetchWorker(`/api/v1/streaming?stream=direct&access_token=${token}`, { headers: { Upgrade: "websocket" } });
    expect(response.status).toBe(101);
    const socket = response.webSocket!;
    socket.accept();
    openSockets.push(socket);
    const frames: { stream: string[]; event: string; payload: string }[] = [];
    socket.addEventListener("message", (event) => {
      frames.push(JSON.parse(String(event.data)));
    });
    await eventually(async () => {
      const rows = await ctx.db
        .select()
        .from(liveListeners)
        .where(and(eq(liveListeners.userId, ben.id), eq(liveListeners.channel, "direct")));
      expect(rows).toHaveLength(1);
    });

    const post = await makePost(ctx, ana, { text: `@${ben.username} live`, visibility: "direct" });
    await deliverEvents();
    await eventually(async () => expect(frames.filter((frame) => frame.event === "conversation")).toHaveLength(1));
    const frame = frames.find((item) => item.event === "conversation")!;
    expect(frame.stream).toEqual(["direct"]);
    expect(JSON.parse(frame.payload)).toMatchObject({ unread: true, accounts: [{ id: ana.id }], last_status: { id: post.id } });
  });
});
