import { beforeAll, describe, expect, it } from "vitest";
import { makeFollow, makePost, makeUser } from "#db/seed/factories.ts";
import type { User } from "#domain/accounts/users.ts";
import { react, reblog } from "#domain/posts/engagement.ts";
import type { Post } from "#domain/posts/posts.ts";
import { callApi, getPage, testDomain, tokenFor } from "./support.ts";

/**
 * How many D1 round trips the busiest reads take, from the count Server-Timing gives its "db" entry (a statement or a
 * batch is one). Each round trip costs milliseconds, so these are exact: a read that starts going back to D1 per
 * post, per repost or per level of a thread fails here.
 */
const ctx = testDomain();

let author: User;
let replier: User;
let follower: User;
let followerToken: string;
let root: Post;
let focus: Post;
let deep: Post;
const ancestors: Post[] = [];
const branches: Post[][] = [];

function roundTrips(response: Response): number {
  const count = response.headers.get("Server-Timing")?.match(/(?:^|, )db;dur=[\d.]+;desc="(\d+)x"/)?.[1];
  expect(count, "Server-Timing counts the database calls").toBeDefined();
  return Number(count);
}

beforeAll(async () => {
  author = await makeUser(ctx, { username: "trips_author" });
  replier = await makeUser(ctx, { username: "trips_replier" });
  follower = await makeUser(ctx, { username: "trips_follower" });
  await makeFollow(ctx, follower, author);
  followerToken = await tokenFor(follower.id);

  // A thread longer than a context shows, with more posts than D1 binds parameters in one statement: 44 posts above
  // one of them, and under it five branches of 15 (75 descendants).
  let above = await makePost(ctx, replier, { text: "Deep: 0" });
  for (let depth = 1; depth < 45; depth += 1) {
    ancestors.push(above);
    above = await makePost(ctx, depth % 2 ? author : replier, { text: `Deep: ${depth}`, inReplyToId: above.id });
  }
  deep = above;
  for (let branch = 0; branch < 5; branch += 1) {
    const chain: Post[] = [];
    for (let depth = 0; depth < 15; depth += 1) {
      const parent = chain.at(-1) ?? deep;
      chain.push(await makePost(ctx, branch % 2 ? author : replier, { text: `Deep: branch ${branch}.${depth}`, inReplyToId: parent.id }));
    }
    branches.push(chain);
  }

  // Newest, so the first pages show them: a short thread with what hydration reads besides the posts (a quote, a
  // repost, reactions, a hidden branch).
  root = await makePost(ctx, author, { text: "Round trips: root" });
  const answer = await makePost(ctx, replier, { text: "Round trips: answer", inReplyToId: root.id });
  focus = await makePost(ctx, author, { text: "Round trips: focus", inReplyToId: answer.id });
  const quoting = await makePost(ctx, replier, { text: "Round trips: a quote", inReplyToId: focus.id, quoteOfId: root.id });
  const secret = await makePost(ctx, author, { text: "Round trips: followers only", inReplyToId: focus.id, visibility: "private" });
  await makePost(ctx, follower, { text: "Round trips: under the hidden one", inReplyToId: secret.id });
  await makePost(ctx, author, { text: "Round trips: answering the quote", inReplyToId: quoting.id });
  await makePost(ctx, replier, { text: "Round trips: quoting the root", quoteOfId: root.id });
  await reblog(ctx, author.id, answer.id);
  await react(ctx, replier.id, focus.id, "🎉", true);
  // A token's first use in an hour also notes the time; the counts below are for the uses after it.
  await callApi("/api/v1/timelines/public", followerToken);
});

describe("D1 round trips per read", () => {
  it("a visitor's public timeline: the page of posts, then one batch for everything shown with them", async () => {
    const { response, body } = await callApi("/api/v1/timelines/public?limit=40", null);
    expect(body.some((status: { quote: unknown }) => status.quote)).toBe(true);
    expect(roundTrips(response)).toBe(2);
  });

  it("an account's statuses, reposts and quotes included: the account, the page, one batch", async () => {
    const { response, body } = await callApi(`/api/v1/accounts/${author.id}/statuses?limit=40`, null);
    expect(body.some((status: { reblog: unknown }) => status.reblog)).toBe(true);
    expect(roundTrips(response)).toBe(3);
  });

  it("a post: the row, one batch", async () => {
    expect(roundTrips((await callApi(`/api/v1/statuses/${focus.id}`, null)).response)).toBe(2);
  });

  it("a post's context: one query for the thread, one batch, whatever the thread's length", async () => {
    const short = await callApi(`/api/v1/statuses/${focus.id}/context`, null);
    const texts = (statuses: { content: string }[]) => statuses.map((status) => status.content.replace(/<[^>]+>/g, ""));
    expect(texts(short.body.ancestors)).toEqual(["Round trips: root", "Round trips: answer"]);
    expect(texts(short.body.descendants)).toEqual(["Round trips: a quote", "Round trips: answering the quote"]);
    expect(roundTrips(short.response)).toBe(2);

    const long = await callApi(`/api/v1/statuses/${deep.id}/context`, null);
    const ids = (statuses: { id: string }[]) => statuses.map((status) => status.id);
    // Mastodon's limits: the 40 nearest ancestors, root-most first; the first 60 descendants depth first.
    expect(ids(long.body.ancestors)).toEqual(ancestors.slice(-40).map((post) => post.id));
    expect(ids(long.body.descendants)).toEqual(branches.slice(0, 4).flatMap((chain) => chain.map((post) => post.id)));
    expect(roundTrips(long.response)).toBe(2);
  });

  it("the post page reads its thread the same way", async () => {
    expect(roundTrips((await getPage(`/trips_author/status/${focus.id}`)).response)).toBe(2);
  });

  it("a signed-in reader adds the token's lookup and their filters: relationships and their own marks come in the same batch", async () => {
    const extra = async (path: string) =>
      roundTrips((await callApi(path, followerToken)).response) - roundTrips((await callApi(path, null)).response);
    // The token, then the reader's active filters (filters/apply.ts reads them once per list of posts; visitors have none).
    expect(await extra("/api/v1/timelines/public?limit=40")).toBe(2);
    expect(await extra(`/api/v1/accounts/${author.id}/statuses?limit=40`)).toBe(2);
    expect(await extra(`/api/v1/statuses/${focus.id}/context`)).toBe(2);
    expect(await extra(`/api/v1/statuses/${focus.id}`)).toBe(2);
    const asFollower = await callApi(`/api/v1/statuses/${focus.id}/context`, followerToken);
    expect(asFollower.body.descendants).toHaveLength(4);
  });

  it("the For-you feed: ranking what is new costs two batches; paging on ranks nothing", async () => {
    const ranking = await callApi("/api/v1/perch/timelines/for_you?limit=1", followerToken);
    // The token, the cursors' places, the candidates and history, the ranked rows with the trim, the page, its batch,
    // the reader's home filters (one read per page, as on every timeline).
    expect(roundTrips(ranking.response)).toBe(7);
    const older = ranking.body.at(-1).id as string;
    const paging = await callApi(`/api/v1/perch/timelines/for_you?limit=1&max_id=${older}`, followerToken);
    expect(paging.body.length).toBeGreaterThan(0);
    expect(roundTrips(paging.response)).toBe(5);
  });
});
