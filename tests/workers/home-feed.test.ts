import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { makeFollow, makePost, makeUser } from "#db/seed/factories.ts";
import type { User } from "#domain/accounts/users.ts";
import type { DomainContext } from "#domain/context.ts";
import { block, mute } from "#domain/graph/blocks.ts";
import { unfollow } from "#domain/graph/follows.ts";
import { acceptFriendship, requestFriendship, unfriend } from "#domain/graph/friends.ts";
import { fanOutPost, trimHomeFeeds } from "#domain/home-feed/fan-out.ts";
import { reblog } from "#domain/posts/engagement.ts";
import { deletePost } from "#domain/posts/removal.ts";
import { homeTimeline } from "#domain/timelines.ts";
import { asUser, callApi, deliverEvents, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
const page = { limit: 40 };

/** The texts (or "repost of <text>") of a user's Following feed, newest first. */
async function feedOf(user: Pick<User, "id">, context: DomainContext = ctx): Promise<string[]> {
  const { items } = await homeTimeline(context, user.id, page);
  return items.map((item) => (item.reblog ? `repost of ${item.reblog.post.text}` : item.post.text));
}

async function entriesOf(user: Pick<User, "id">): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM home_feed_entries WHERE owner_id = ?").bind(user.id).first<{ n: number }>();
  return row!.n;
}

let author: User;
let follower: User;
let friend: User;
let stranger: User;

beforeAll(async () => {
  author = await makeUser(ctx, { username: "Feed_Author" });
  follower = await makeUser(ctx, { username: "Feed_Follower" });
  friend = await makeUser(ctx, { username: "Feed_Friend" });
  stranger = await makeUser(ctx, { username: "Feed_Stranger" });
  await makeFollow(ctx, follower, author);
  await makeFollow(ctx, friend, author);
  await requestFriendship(ctx, friend.id, author.id);
  await acceptFriendship(ctx, author.id, friend.id);
  await deliverEvents();
});

describe("fan-out on write", () => {
  it("delivers a post to its author and every follower, and to nobody else", async () => {
    await makePost(ctx, author, { text: "Hello followers", visibility: "public" });
    await deliverEvents();
    for (const reader of [author, follower, friend]) expect((await feedOf(reader))[0]).toBe("Hello followers");
    expect(await feedOf(stranger)).not.toContain("Hello followers");
  });

  it("delivers friends-only posts to friends and direct posts only to the people they mention", async () => {
    await makePost(ctx, author, { text: "Only for friends", visibility: "friends" });
    await makePost(ctx, author, { text: "Psst @Feed_Stranger", visibility: "direct" });
    await deliverEvents();
    expect(await feedOf(friend)).toContain("Only for friends");
    expect(await feedOf(follower)).not.toContain("Only for friends");
    expect(await feedOf(stranger)).toEqual(["Psst @Feed_Stranger"]);
    expect(await feedOf(follower)).not.toContain("Psst @Feed_Stranger");
  });

  it("adds nothing when the same post is fanned out again (a redelivered message)", async () => {
    const post = await makePost(ctx, author, { text: "Delivered twice" });
    await deliverEvents();
    const before = await entriesOf(follower);
    expect(await fanOutPost(ctx, post.id)).toEqual({ delivered: 0 });
    expect(await entriesOf(follower)).toBe(before);
  });

  it("walks followers in chunks, so every follower gets the post whatever the chunk size", async () => {
    const readers = await Promise.all([1, 2, 3, 4, 5].map((n) => makeUser(ctx, { username: `Feed_Chunk${n}` })));
    const popular = await makeUser(ctx, { username: "Feed_Popular" });
    for (const reader of readers) await makeFollow(ctx, reader, popular);
    await deliverEvents();
    const post = await makePost(ctx, popular, { text: "In chunks of two" });
    expect(await fanOutPost(ctx, post.id, undefined, { chunkSize: 2, chunksPerRun: 10 })).toEqual({ delivered: 5 });
    for (const reader of readers) expect(await feedOf(reader)).toEqual(["In chunks of two"]);
  });

  it("does not repeat a post that a repost brings again, but delivers reposts of posts not yet seen", async () => {
    const reposter = await makeUser(ctx, { username: "Feed_Reposter" });
    await makeFollow(ctx, follower, reposter);
    const seen = await makePost(ctx, author, { text: "Seen already" });
    const unseen = await makePost(ctx, stranger, { text: "Not seen yet" });
    await deliverEvents();
    await reblog(asUser(reposter), reposter.id, seen.id);
    await reblog(asUser(reposter), reposter.id, unseen.id);
    await deliverEvents();
    const feed = await feedOf(follower);
    expect(feed.filter((text) => text.endsWith("Seen already"))).toEqual(["Seen already"]);
    expect(feed[0]).toBe("repost of Not seen yet");
  });

  it("leaves accounts with more followers than the threshold to be merged in when the feed is read", async () => {
    const small = { ...ctx, config: { ...ctx.config, HOME_FANOUT_MAX_FOLLOWERS: 1 } };
    const post = await makePost(small, author, { text: "Merged at read time" });
    expect(await fanOutPost(small, post.id)).toEqual({ delivered: 0 });
    expect(await feedOf(follower, small)).toContain("Merged at read time");
    expect(await feedOf(stranger, small)).not.toContain("Merged at read time");
    const { items } = await homeTimeline(small, follower.id, { limit: 2 });
    const older = await homeTimeline(small, follower.id, { limit: 40, max_id: items.at(-1)!.post.id });
    const ids = [...items, ...older.items].map((item) => item.post.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it("keeps replies to people the reader does not follow out of Following, in fan-out, back-fill and the read-time merge", async () => {
    const outsider = await makeUser(ctx, { username: "Feed_Outsider" });
    const question = await makePost(ctx, outsider, { text: "Anyone there?" });
    const known = await makePost(ctx, friend, { text: "A friend asks" });
    await makePost(ctx, author, { text: "Reply to an outsider", inReplyToId: question.id });
    await makePost(ctx, author, { text: "Reply to a followed account", inReplyToId: known.id });
    await makePost(ctx, author, { text: "Reply to the follower", inReplyToId: (await makePost(ctx, follower, { text: "Mine" })).id });
    await deliverEvents();
    const shown = ["Reply to the follower", "Reply to a followed account", "Reply to an outsider"];
    await makeFollow(ctx, follower, friend);
    await deliverEvents();
    expect((await feedOf(follower)).filter((text) => shown.includes(text))).toEqual(shown.slice(0, 1));
    const late = await makeUser(ctx, { username: "Feed_Late" });
    await makeFollow(ctx, late, friend);
    await makeFollow(ctx, late, author);
    await deliverEvents();
    expect((await feedOf(late)).filter((text) => shown.includes(text))).toEqual(shown.slice(1, 2));
    const small = { ...ctx, config: { ...ctx.config, HOME_FANOUT_MAX_FOLLOWERS: 1 } };
    expect((await feedOf(late, small)).filter((text) => shown.includes(text))).toEqual(shown.slice(1, 2));
  });
});

describe("the feed follows the graph", () => {
  it("back-fills a new follow with the account's latest posts and empties them on unfollow", async () => {
    const newcomer = await makeUser(ctx, { username: "Feed_Newcomer" });
    await makeFollow(ctx, newcomer, author);
    await deliverEvents();
    const feed = await feedOf(newcomer);
    expect(feed).toContain("Hello followers");
    expect(feed).not.toContain("Only for friends");
    await unfollow(ctx, newcomer.id, author.id);
    await deliverEvents();
    expect(await entriesOf(newcomer)).toBe(0);
  });

  it("hides a muted or blocked account at once and removes its entries once the event is handled", async () => {
    const muter = await makeUser(ctx, { username: "Feed_Muter" });
    await makeFollow(ctx, muter, author);
    await deliverEvents();
    expect(await feedOf(muter)).toContain("Hello followers");
    await mute(ctx, muter.id, author.id, {});
    expect(await feedOf(muter)).not.toContain("Hello followers");
    await deliverEvents();
    expect(await entriesOf(muter)).toBe(0);

    const blocker = await makeUser(ctx, { username: "Feed_Blocker" });
    await makeFollow(ctx, blocker, author);
    await deliverEvents();
    await block(ctx, author.id, blocker.id);
    expect(await feedOf(blocker)).toEqual([]);
    await deliverEvents();
    expect(await entriesOf(blocker)).toBe(0);
  });

  it("takes friends-only posts away when a friendship ends, and deleted posts at once", async () => {
    const goodbye = await makePost(ctx, author, { text: "Soon deleted" });
    await deliverEvents();
    expect(await feedOf(friend)).toContain("Soon deleted");
    await deletePost(asUser(author), goodbye.id);
    expect(await feedOf(friend)).not.toContain("Soon deleted");
    await unfriend(ctx, friend.id, author.id);
    await deliverEvents();
    const feed = await feedOf(friend);
    expect(feed).not.toContain("Only for friends");
    expect(feed).toContain("Hello followers");
  });

  it("keeps each feed to its newest entries", async () => {
    const reader = await makeUser(ctx, { username: "Feed_Trimmed" });
    await makeFollow(ctx, reader, author);
    await deliverEvents();
    expect(await entriesOf(reader)).toBeGreaterThan(2);
    const newest = (await feedOf(reader)).slice(0, 2);
    await trimHomeFeeds({ ...ctx, config: { ...ctx.config, HOME_FEED_SIZE: 2 } });
    expect(await entriesOf(reader)).toBe(2);
    expect(await feedOf(reader)).toEqual(newest);
  });
});

describe("GET /api/v1/timelines/home", () => {
  it("needs a signed-in token and answers the feed as Statuses with Link pagination", async () => {
    expect((await callApi("/api/v1/timelines/home", null)).response.status).toBe(401);
    const token = await tokenFor(follower.id, ["read"]);
    const first = await callApi("/api/v1/timelines/home?limit=1", token);
    expect(first.response.status).toBe(200);
    const [newest] = first.body as { id: string; content: string }[];
    expect(newest!.id).toBe((await homeTimeline(ctx, follower.id, { limit: 1 })).items[0]!.post.id);
    expect(first.response.headers.get("link")).toContain(`max_id=${newest!.id}`);
  });
});

describe("the home page", () => {
  it("shows a signed-in person the Following feed, own posts at once, and the public timeline a tab away", async () => {
    const reader = await makeUser(ctx, { username: "Feed_Reader", password: "a long enough password" });
    const cookie = sessionOf(
      await postForm("/login", { identifier: reader.username, password: "a long enough password" }, { ip: "192.0.2.77" }),
    );
    await makePost(ctx, stranger, { text: "Public but not followed" });
    await deliverEvents();
    await makePost(ctx, reader, { text: "My own, before any fan-out" });

    const following = await getPage("/", cookie);
    expect(following.html).toContain("<h1");
    expect(following.html).toMatch(/aria-current="page"[^>]*>Following</);
    expect(following.html).toContain("My own, before any fan-out");
    expect(following.html).not.toContain("Public but not followed");

    const latest = await getPage("/?feed=latest", cookie);
    expect(latest.html).toMatch(/aria-current="page"[^>]*>Latest</);
    expect(latest.html).toContain("Public but not followed");

    const visitor = await getPage("/");
    expect(visitor.html).toContain("Latest posts");
    expect(visitor.html).not.toContain('aria-label="Timelines"');
  });
});
