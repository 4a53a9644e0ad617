import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { makeFollow, makePost, makeUser } from "#db/seed/factories.ts";
import { deadLetters } from "#db/schema/index.ts";
import type { User } from "#domain/accounts/users.ts";
import { recentDeadLetters } from "#domain/dead-letters.ts";
import { block, mute } from "#domain/graph/blocks.ts";
import { unfollow } from "#domain/graph/follows.ts";
import { setTagFollowed } from "#domain/graph/followed-tags.ts";
import { addToList, createList, listMembersOf, removeFromList, updateList, type List } from "#domain/graph/lists.ts";
import { dayOf } from "#domain/home-feed/audience.ts";
import { fanOutPost, trimHomeFeeds, type FanOutCursor } from "#domain/home-feed/fan-out.ts";
import { noteVisit } from "#domain/home-feed/readers.ts";
import { reblog } from "#domain/posts/engagement.ts";
import { editPost } from "#domain/posts/edit.ts";
import { deletePost } from "#domain/posts/removal.ts";
import { homeTimeline, listTimeline } from "#domain/timelines.ts";
import { processBatch } from "#workers/background/queues.ts";
import { asUser, callApi, deliverEvents, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
const page = { limit: 40 };

/** The texts (or "repost of <text>") of a list's timeline, newest first. */
async function listFeedOf(list: List): Promise<string[]> {
  const { items } = await listTimeline(ctx, list.ownerId, list.id, page);
  return items.map((item) => (item.reblog ? `repost of ${item.reblog.post.text}` : item.post.text));
}

async function homeFeedOf(user: Pick<User, "id">): Promise<string[]> {
  const { items } = await homeTimeline(ctx, user.id, page);
  return items.map((item) => (item.reblog ? `repost of ${item.reblog.post.text}` : item.post.text));
}

async function count(query: string, ...params: string[]): Promise<number> {
  return (await env.DB.prepare(query)
    .bind(...params)
    .first<{ n: number }>())!.n;
}
const listEntries = (list: List) => count("SELECT count(*) AS n FROM list_feed_entries WHERE list_id = ?", list.id);
const homeEntries = (user: Pick<User, "id">) => count("SELECT count(*) AS n FROM home_feed_entries WHERE owner_id = ?", user.id);

const fanoutMessage = (id: string, type: string, payload: unknown) => ({
  id,
  timestamp: new Date(),
  attempts: 1,
  body: { id, type, payload, occurredAt: Date.now() },
});

/** Hands messages to the fan-out consumer as one real queue batch; returns what it acknowledged and retried. */
async function runFanoutBatch(messages: ReturnType<typeof fanoutMessage>[]) {
  const batch = createMessageBatch("perch-fanout", messages);
  await processBatch(batch, testDomain());
  return getQueueResult(batch, createExecutionContext());
}

let owner: User;
let member: User;
let outsider: User;
let other: User;
let birds: List;

beforeAll(async () => {
  owner = await makeUser(ctx, { username: "Lists_Owner", password: "a long enough password" });
  member = await makeUser(ctx, { username: "Lists_Member" });
  outsider = await makeUser(ctx, { username: "Lists_Outsider" });
  other = await makeUser(ctx, { username: "Lists_Other" });
  await makeFollow(ctx, owner, member);
  await makeFollow(ctx, owner, outsider);
  birds = await createList(ctx, owner.id, { title: "Birds" });
  await addToList(ctx, owner.id, birds.id, [member.id]);
  await deliverEvents();
});

describe("list timelines by fan-out", () => {
  it("delivers a member's posts to the list, and a followed non-member's only to home", async () => {
    await makePost(ctx, member, { text: "Lists: a heron today" });
    await makePost(ctx, outsider, { text: "Lists: not about birds" });
    await deliverEvents();
    expect(await listFeedOf(birds)).toEqual(["Lists: a heron today"]);
    expect(await homeFeedOf(owner)).toEqual(expect.arrayContaining(["Lists: a heron today", "Lists: not about birds"]));
  });

  it("does not repeat a post a member reposts when the list has it already", async () => {
    const second = await makeUser(ctx, { username: "Lists_Second" });
    await makeFollow(ctx, owner, second);
    await addToList(ctx, owner.id, birds.id, [second.id]);
    await deliverEvents();
    const [heron] = (await listTimeline(ctx, owner.id, birds.id, page)).items;
    await reblog(asUser(second), second.id, heron!.post.id);
    await deliverEvents();
    expect((await listFeedOf(birds)).filter((text) => text.endsWith("a heron today"))).toEqual(["Lists: a heron today"]);
    await removeFromList(ctx, owner.id, birds.id, [second.id]);
    await deliverEvents();
  });

  it("back-fills a member's latest posts when added and removes them when removed", async () => {
    const latecomer = await makeUser(ctx, { username: "Lists_Latecomer" });
    await makeFollow(ctx, owner, latecomer);
    await makePost(ctx, latecomer, { text: "Lists: before joining" });
    await makePost(ctx, latecomer, { text: "Lists: direct, never in a list @Lists_Owner", visibility: "direct" });
    await deliverEvents();
    const garden = await createList(ctx, owner.id, { title: "Garden" });
    await addToList(ctx, owner.id, garden.id, [latecomer.id]);
    await deliverEvents();
    expect(await listFeedOf(garden)).toEqual(["Lists: before joining"]);
    await removeFromList(ctx, owner.id, garden.id, [latecomer.id]);
    await deliverEvents();
    expect(await listEntries(garden)).toBe(0);
    expect(await listFeedOf(garden)).toEqual([]);
  });

  it("keeps the members of an exclusive list out of the Following feed, and only theirs", async () => {
    const reader = await makeUser(ctx, { username: "Lists_Exclusive" });
    const loud = await makeUser(ctx, { username: "Lists_Loud" });
    await makeFollow(ctx, reader, loud);
    await makeFollow(ctx, reader, member);
    const quiet = await createList(ctx, reader.id, { title: "Loud ones", exclusive: true });
    await addToList(ctx, reader.id, quiet.id, [loud.id]);
    await deliverEvents();
    await makePost(ctx, loud, { text: "Lists: shouted" });
    await makePost(ctx, member, { text: "Lists: spoken" });
    await deliverEvents();
    expect(await listFeedOf(quiet)).toEqual(["Lists: shouted"]);
    const home = await homeFeedOf(reader);
    expect(home).toContain("Lists: spoken");
    expect(home).not.toContain("Lists: shouted");
    expect(await count("SELECT count(*) AS n FROM home_feed_entries WHERE owner_id = ? AND author_id = ?", reader.id, loud.id)).toBe(0);
    // No longer exclusive: the member's posts from then on come home again.
    await updateList(ctx, reader.id, quiet.id, { exclusive: false });
    await makePost(ctx, loud, { text: "Lists: shouted again" });
    await deliverEvents();
    expect(await homeFeedOf(reader)).toContain("Lists: shouted again");
  });

  it("shows replies to others as each list's replies_policy says", async () => {
    const reader = await makeUser(ctx, { username: "Lists_Replies" });
    const talker = await makeUser(ctx, { username: "Lists_Talker" });
    const friendOfList = await makeUser(ctx, { username: "Lists_InList" });
    const followedOnly = await makeUser(ctx, { username: "Lists_Followed" });
    for (const account of [talker, friendOfList, followedOnly]) await makeFollow(ctx, reader, account);
    const policies = ["list", "followed", "none"] as const;
    const made: Record<string, List> = {};
    for (const repliesPolicy of policies) {
      made[repliesPolicy] = await createList(ctx, reader.id, { title: `Replies ${repliesPolicy}`, repliesPolicy });
      await addToList(ctx, reader.id, made[repliesPolicy].id, [talker.id, friendOfList.id]);
    }
    await deliverEvents();
    const parents = {
      member: await makePost(ctx, friendOfList, { text: "Lists: a member asks" }),
      followed: await makePost(ctx, followedOnly, { text: "Lists: someone followed asks" }),
      stranger: await makePost(ctx, other, { text: "Lists: a stranger asks" }),
      owner: await makePost(ctx, reader, { text: "Lists: the owner asks" }),
    };
    for (const [to, parent] of Object.entries(parents)) {
      await makePost(ctx, talker, { text: `Lists: reply to ${to}`, inReplyToId: parent.id });
    }
    await deliverEvents();
    const repliesIn = async (list: List) => (await listFeedOf(list)).filter((text) => text.startsWith("Lists: reply")).sort();
    expect(await repliesIn(made.list!)).toEqual(["Lists: reply to member", "Lists: reply to owner"]);
    expect(await repliesIn(made.followed!)).toEqual(["Lists: reply to followed", "Lists: reply to member", "Lists: reply to owner"]);
    expect(await repliesIn(made.none!)).toEqual(["Lists: reply to owner"]);
  });

  it("takes a list's entries away on unfollow (which leaves the list), mute, block and delete", async () => {
    const reader = await makeUser(ctx, { username: "Lists_Leaver" });
    const [a, b, c] = await Promise.all(["A", "B", "C"].map((n) => makeUser(ctx, { username: `Lists_Gone${n}` })));
    for (const account of [a!, b!, c!]) await makeFollow(ctx, reader, account);
    const list = await createList(ctx, reader.id, { title: "Soon empty" });
    await addToList(ctx, reader.id, list.id, [a!.id, b!.id, c!.id]);
    await deliverEvents();
    const doomed = await makePost(ctx, a!, { text: "Lists: deleted soon" });
    for (const account of [a!, b!, c!]) await makePost(ctx, account, { text: `Lists: by ${account.username}` });
    await deliverEvents();
    expect(await listEntries(list)).toBe(4);

    // An edit changes what the list shows, not its entries; a delete takes its entry with it.
    await editPost(asUser(a!), doomed.id, { text: "Lists: edited, then deleted" });
    await deliverEvents();
    expect(await listFeedOf(list)).toContain("Lists: edited, then deleted");
    expect(await listEntries(list)).toBe(4);
    await deletePost(asUser(a!), doomed.id);
    expect(await listEntries(list)).toBe(3);
    await unfollow(ctx, reader.id, a!.id);
    await mute(ctx, reader.id, b!.id, {});
    await block(ctx, c!.id, reader.id);
    expect(await listFeedOf(list)).toEqual([]);
    await deliverEvents();
    expect(await listEntries(list)).toBe(0);
    expect((await listMembersOf(ctx, list.id)).map((account) => account.id)).toEqual([b!.id]);
  });

  it("keeps each list to its newest entries", async () => {
    const reader = await makeUser(ctx, { username: "Lists_Trimmed" });
    await makeFollow(ctx, reader, member);
    const list = await createList(ctx, reader.id, { title: "Short" });
    await addToList(ctx, reader.id, list.id, [member.id]);
    await deliverEvents();
    expect(await listEntries(list)).toBeGreaterThan(1);
    const [newest] = await listFeedOf(list);
    await trimHomeFeeds({ ...ctx, config: { ...ctx.config, HOME_FEED_SIZE: 1 } });
    expect(await listEntries(list)).toBe(1);
    expect(await listFeedOf(list)).toEqual([newest]);
  });
});

describe("large fan-outs through further messages", () => {
  it("stops after its chunks, continues from the cursor in a fanout.continued message, and reaches every follower and list", async () => {
    const author = await makeUser(ctx, { username: "Lists_Big" });
    const readers = await Promise.all([1, 2, 3, 4, 5].map((n) => makeUser(ctx, { username: `Lists_BigReader${n}` })));
    const lists: List[] = [];
    for (const reader of readers) {
      await makeFollow(ctx, reader, author);
      lists.push(await createList(ctx, reader.id, { title: "Big" }));
      await addToList(ctx, reader.id, lists.at(-1)!.id, [author.id]);
    }
    await deliverEvents();
    const post = await makePost(ctx, author, { text: "Lists: to many" });
    const limits = { chunkSize: 2, chunksPerRun: 2 };
    const first = await fanOutPost(ctx, post.id, undefined, limits);
    expect(first).toEqual({ delivered: 4, continuesAfter: { stage: "followers", after: expect.any(String) } });

    let cursor = first.continuesAfter;
    const cursors: FanOutCursor[] = [];
    while (cursor) {
      cursors.push(cursor);
      cursor = (await fanOutPost(ctx, post.id, cursor, limits)).continuesAfter;
    }
    expect(cursors.map((each) => each.stage)).toEqual(["followers", "lists"]);
    const delivered = () => count("SELECT count(*) AS n FROM home_feed_entries WHERE post_id = ?", post.id);
    const listed = () => count("SELECT count(*) AS n FROM list_feed_entries WHERE post_id = ?", post.id);
    for (const reader of readers) expect(await homeFeedOf(reader)).toEqual(["Lists: to many"]);
    expect([await delivered(), await listed()]).toEqual([5, 5]);

    // Redelivered, twice in one batch, with the post.created event: real queue messages that add nothing twice.
    const again = cursors.map((each, n) => fanoutMessage(`again-${n}`, "fanout.continued", { postId: post.id, ...each }));
    const created = fanoutMessage("again-created", "post.created", { postId: post.id, authorId: author.id, mentioned: [] });
    const result = await runFanoutBatch([...again, ...again.map((message) => ({ ...message, id: `${message.id}-2` })), created]);
    expect(result.explicitAcks).toHaveLength(5);
    expect([await delivered(), await listed()]).toEqual([5, 5]);
  });

  it("runs the continuation through the consumer: the fanout.continued event a run commits finishes the fan-out", async () => {
    const author = await makeUser(ctx, { username: "Lists_Chain" });
    const readers = await Promise.all([1, 2, 3].map((n) => makeUser(ctx, { username: `Lists_ChainReader${n}` })));
    for (const reader of readers) await makeFollow(ctx, reader, author);
    await deliverEvents();
    // Its own post.created event is left undelivered, so only the continuation can reach the other readers.
    const post = await makePost({ ...ctx, afterCommit: () => undefined }, author, { text: "Lists: in a chain" });
    const first = await fanOutPost(ctx, post.id, undefined, { chunkSize: 1, chunksPerRun: 1 });
    expect(first).toMatchObject({ delivered: 1, continuesAfter: { stage: "followers" } });
    const continued = await count(
      "SELECT count(*) AS n FROM domain_events WHERE type = 'fanout.continued' AND json_extract(payload, '$.postId') = ?",
      post.id,
    );
    expect(continued).toBe(1);
    await deliverEvents();
    for (const reader of readers) expect(await homeFeedOf(reader)).toEqual(["Lists: in a chain"]);
  });

  it("dead-letters a poison message with its error while the rest of the batch lands, visible on /admin", async () => {
    await ctx.db.delete(deadLetters);
    const reader = await makeUser(ctx, { username: "Lists_Batch" });
    await makeFollow(ctx, reader, member);
    await deliverEvents();
    const one = await makePost(ctx, member, { text: "Lists: first of the batch" });
    const two = await makePost(ctx, member, { text: "Lists: last of the batch" });
    const created = (postId: string) => ({ postId, authorId: member.id, mentioned: [] });
    const result = await runFanoutBatch([
      fanoutMessage("good-1", "post.created", created(one.id)),
      fanoutMessage("poison", "fanout.continued", { postId: one.id, stage: "everywhere", after: "" }),
      fanoutMessage("good-2", "post.created", created(two.id)),
    ]);
    expect(result.explicitAcks.sort()).toEqual(["good-1", "good-2", "poison"]);
    expect(result.retryMessages).toEqual([]);
    expect(await homeFeedOf(reader)).toEqual(expect.arrayContaining(["Lists: first of the batch", "Lists: last of the batch"]));
    const [letter] = await recentDeadLetters(ctx, 1);
    expect(letter!.reason).toMatch(/^Malformed fanout\.continued payload: stage/);

    await makeUser(ctx, { username: "Lists_Admin", password: "a long enough password", role: "admin" });
    const cookie = sessionOf(
      await postForm("/login", { identifier: "Lists_Admin", password: "a long enough password" }, { ip: "192.0.2.91" }),
    );
    const admin = await getPage("/admin", cookie);
    expect(admin.html).toContain("Malformed fanout.continued payload");
  });
});

describe("inactive readers", () => {
  it("are skipped by fan-out, served by a pull query when they return, and get their feeds rebuilt in the background", async () => {
    const sleeper = await makeUser(ctx, { username: "Lists_Sleeper" });
    await makeFollow(ctx, sleeper, member);
    const sleeperList = await createList(ctx, sleeper.id, { title: "While away" });
    await addToList(ctx, sleeper.id, sleeperList.id, [member.id]);
    await setTagFollowed(ctx, sleeper.id, "whileaway", true);
    await deliverEvents();
    const longAgo = dayOf(Date.now()) - ctx.config.HOME_INACTIVE_DAYS - 1;
    await env.DB.prepare("UPDATE users SET last_active_day = ? WHERE id = ?").bind(longAgo, sleeper.id).run();
    await env.DB.prepare("DELETE FROM home_feed_entries WHERE owner_id = ?").bind(sleeper.id).run();
    await env.DB.prepare("DELETE FROM list_feed_entries WHERE list_id = ?").bind(sleeperList.id).run();

    const reposted = await makePost(ctx, outsider, { text: "Lists: reposted while away" });
    await makePost(ctx, member, { text: "Lists: posted while away" });
    await reblog(asUser(member), member.id, reposted.id);
    await makePost(ctx, outsider, { text: "Lists: a #WhileAway tag" });
    await deliverEvents();
    expect(await homeEntries(sleeper)).toBe(0);
    expect(await listEntries(sleeperList)).toBe(0);

    // The return: the first visit of the day marks the feeds stale and commits reader.returned.
    await noteVisit(ctx, { id: sleeper.id, lastActiveDay: longAgo });
    const servedMeanwhile = await homeFeedOf(sleeper);
    expect(servedMeanwhile.slice(0, 3)).toEqual([
      "Lists: a #WhileAway tag",
      "repost of Lists: reposted while away",
      "Lists: posted while away",
    ]);
    expect(await listFeedOf({ ...sleeperList })).toEqual(servedMeanwhile.slice(1));
    expect(await homeEntries(sleeper)).toBe(0);

    await deliverEvents();
    expect(await homeEntries(sleeper)).toBeGreaterThan(1);
    expect(await listEntries(sleeperList)).toBe((await homeEntries(sleeper)) - 1);
    expect(await count("SELECT home_feed_stale AS n FROM users WHERE id = ?", sleeper.id)).toBe(0);
    expect(await homeFeedOf(sleeper)).toEqual(servedMeanwhile);
    expect(await listFeedOf(sleeperList)).toEqual(servedMeanwhile.slice(1));
    // Fan-out reaches them again.
    await makePost(ctx, member, { text: "Lists: back in time" });
    await deliverEvents();
    expect(await count("SELECT count(*) AS n FROM list_feed_entries WHERE list_id = ?", sleeperList.id)).toBe(servedMeanwhile.length);
  });

  it("records a signed-in visit once a day, through the API", async () => {
    const visitor = await makeUser(ctx, { username: "Lists_Visitor" });
    await env.DB.prepare("UPDATE users SET last_active_day = 1 WHERE id = ?").bind(visitor.id).run();
    const token = await tokenFor(visitor.id, ["read"]);
    expect((await callApi("/api/v1/timelines/home", token)).response.status).toBe(200);
    expect(await count("SELECT last_active_day AS n FROM users WHERE id = ?", visitor.id)).toBe(dayOf(Date.now()));
  });
});

describe("GET /api/v1/timelines/list/:list_id", () => {
  it("answers the owner's list as Statuses with Link pagination", async () => {
    const token = await tokenFor(owner.id, ["read"]);
    const first = await callApi(`/api/v1/timelines/list/${birds.id}?limit=1`, token);
    expect(first.response.status).toBe(200);
    const [newest] = first.body as { id: string }[];
    expect(newest!.id).toBe((await listTimeline(ctx, owner.id, birds.id, { limit: 1 })).items[0]!.post.id);
    expect(first.response.headers.get("link")).toContain(`max_id=${newest!.id}`);
  });

  it("is 404 for an unknown list or someone else's, 401 without a token, 400 for a bad limit", async () => {
    const stranger = await tokenFor(other.id, ["read"]);
    const mine = await tokenFor(owner.id, ["read"]);
    for (const [path, token] of [
      [`/api/v1/timelines/list/${birds.id}`, stranger],
      ["/api/v1/timelines/list/no-such-list", mine],
    ] as const) {
      const { response, body } = await callApi(path, token);
      expect(response.status).toBe(404);
      expect(body).toEqual({ error: expect.any(String) });
    }
    expect((await callApi(`/api/v1/timelines/list/${birds.id}`, null)).response.status).toBe(401);
    expect((await callApi(`/api/v1/timelines/list/${birds.id}?limit=abc`, mine)).response.status).toBe(400);
  });
});

describe("the list page", () => {
  it("shows the list's timeline to its owner, with its settings", async () => {
    await makePost(ctx, member, { text: "Lists: on the page" });
    await makePost(ctx, outsider, { text: "Lists: not on the page" });
    await deliverEvents();
    const cookie = sessionOf(
      await postForm("/login", { identifier: owner.username, password: "a long enough password" }, { ip: "192.0.2.92" }),
    );
    const { html } = await getPage(`/lists/${birds.id}`, cookie);
    expect(html).toContain("Lists: on the page");
    expect(html).not.toContain("Lists: not on the page");
    expect(html).toContain('name="repliesPolicy"');
  });
});
