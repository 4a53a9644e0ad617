import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { notifications, polls, posts } from "#db/schema/index.ts";
import { makeFollow, makeUser } from "#db/seed/factories.ts";
import { closeEndedPolls } from "#domain/posts/polls.ts";
import { vote } from "#domain/posts/voting.ts";
import { callApi, deliverEvents, eventually, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let count = 0;

async function person() {
  count += 1;
  const user = await makeUser(ctx, { username: `pollster${count}`, password: "a long enough password" });
  return { user, token: await tokenFor(user.id, ["read", "write"]) };
}

const json = (method: string, body: unknown) => ({ method, body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });
const post = (token: string, body: Record<string, unknown>) => callApi("/api/v1/statuses", token, json("POST", body));
const voteIn = (token: string, pollId: string, choices: unknown) =>
  callApi(`/api/v1/polls/${pollId}/votes`, token, json("POST", { choices }));

async function pollBy(token: string, poll: Record<string, unknown> = {}) {
  const created = await post(token, { status: "Which one?", poll: { options: ["Tea", "Coffee", "Water"], expires_in: 3600, ...poll } });
  expect(created.response.status).toBe(200);
  return created.body;
}

describe("polls", () => {
  it("hide results until you vote, show them to the author, and count each vote once", async () => {
    const author = await person();
    const voter = await person();
    const status = await pollBy(author.token);
    expect(status.poll).toMatchObject({
      multiple: false,
      expired: false,
      votes_count: 0,
      options: [{ title: "Tea", votes_count: 0 }, {}, {}],
    });

    const before = await callApi(`/api/v1/polls/${status.poll.id}`, voter.token);
    expect(before.body).toMatchObject({
      voted: false,
      own_votes: [],
      options: [{ title: "Tea", votes_count: null }, { votes_count: null }, { votes_count: null }],
    });
    const anonymous = await callApi(`/api/v1/polls/${status.poll.id}`, null);
    expect(anonymous.body.options[0].votes_count).toBeNull();
    expect(anonymous.body).not.toHaveProperty("voted");

    const voted = await voteIn(voter.token, status.poll.id, [1]);
    expect(voted.response.status).toBe(200);
    expect(voted.body).toMatchObject({
      voted: true,
      own_votes: [1],
      votes_count: 1,
      voters_count: 1,
      options: [{ votes_count: 0 }, { votes_count: 1 }, { votes_count: 0 }],
    });
    const again = await voteIn(voter.token, status.poll.id, [0]);
    expect(again.response.status).toBe(422);
    expect(again.body.error).toContain("already voted");
    const seen = await callApi(`/api/v1/statuses/${status.id}`, voter.token);
    expect(seen.body.poll).toMatchObject({ voted: true, own_votes: [1], votes_count: 1 });

    // As on Mastodon, the author asked the question: they see the results and do not vote.
    const own = await voteIn(author.token, status.poll.id, [0]);
    expect(own.response.status).toBe(422);
    expect(own.body.error).toContain("your own poll");
    const asAuthor = await callApi(`/api/v1/polls/${status.poll.id}`, author.token);
    expect(asAuthor.body).toMatchObject({
      voted: true,
      own_votes: [],
      options: [{ votes_count: 0 }, { votes_count: 1 }, { votes_count: 0 }],
    });
  });

  it("counts a person once in a multiple-choice poll, and refuses a double vote sent twice at once", async () => {
    const author = await person();
    const voter = await person();
    const status = await pollBy(author.token, { multiple: true });
    const answers = await Promise.all([voteIn(voter.token, status.poll.id, [0, 2]), voteIn(voter.token, status.poll.id, [1])]);
    expect(answers.map((answer) => answer.response.status).sort()).toEqual([200, 422]);
    const [row] = await ctx.db.select().from(polls).where(eq(polls.id, status.poll.id));
    expect(row!.votersCount).toBe(1);
    const winner = answers.find((answer) => answer.response.status === 200)!.body;
    expect(row!.votesCount).toBe(winner.own_votes.length);
  });

  it("accepts a poll as form fields, as Mastodon clients send it", async () => {
    const me = await person();
    const form = new URLSearchParams([
      ["status", "Form poll"],
      ["poll[options][]", "Yes"],
      ["poll[options][]", "No"],
      ["poll[expires_in]", "300"],
      ["poll[multiple]", "true"],
    ]);
    const created = await callApi("/api/v1/statuses", me.token, { method: "POST", body: form });
    expect(created.response.status).toBe(200);
    expect(created.body.poll).toMatchObject({ multiple: true, options: [{ title: "Yes" }, { title: "No" }] });
    const voter = await person();
    const formVote = await callApi(`/api/v1/polls/${created.body.poll.id}/votes`, voter.token, {
      method: "POST",
      body: new URLSearchParams([["choices[]", "0"]]),
    });
    expect(formVote.body.own_votes).toEqual([0]);
  });

  it.each([
    ["one option", { options: ["Only"], expires_in: 3600 }, "at least 2 options"],
    ["five options", { options: ["a", "b", "c", "d", "e"], expires_in: 3600 }, "at most 4 options"],
    ["a duplicate option", { options: ["Same", "same "], expires_in: 3600 }, "all be different"],
    ["an empty option", { options: ["Fine", " "], expires_in: 3600 }, "cannot be empty"],
    ["a long option", { options: ["x".repeat(51), "y"], expires_in: 3600 }, "at most 50 characters"],
    ["one minute", { options: ["a", "b"], expires_in: 60 }, "at least 5 minutes"],
    ["eight days", { options: ["a", "b"], expires_in: 8 * 24 * 3600 }, "at most 7 days"],
  ])("refuses a poll with %s and writes nothing", async (_, poll, message) => {
    const me = await person();
    const answer = await post(me.token, { status: "Bad poll", poll });
    expect(answer.response.status).toBe(422);
    expect(answer.body.error).toContain(message);
    expect(await ctx.db.select().from(posts).where(eq(posts.authorId, me.user.id))).toEqual([]);
  });

  it.each([
    [
      "after it ended",
      async (pollId: string) =>
        ctx.db
          .update(polls)
          .set({ expiresAt: new Date(Date.now() - 1000) })
          .where(eq(polls.id, pollId)),
      [0],
      422,
      "ended",
    ],
    ["for two options in a single-choice poll", async () => undefined, [0, 1], 422, "one choice"],
    ["for an option it does not have", async () => undefined, [7], 422, "not in the poll"],
    ["with no choice", async () => undefined, [], 422, "Choose an option"],
  ])("refuses a vote %s", async (_, prepare, choices, status, message) => {
    const author = await person();
    const voter = await person();
    const created = await pollBy(author.token);
    await prepare(created.poll.id);
    const answer = await voteIn(voter.token, created.poll.id, choices);
    expect(answer.response.status).toBe(status);
    expect(answer.body.error).toContain(message);
    const [row] = await ctx.db.select().from(polls).where(eq(polls.id, created.poll.id));
    expect(row!.votersCount).toBe(0);
  });

  it("hides a followers-only poll from everyone else, voting included", async () => {
    const author = await person();
    const follower = await person();
    const stranger = await person();
    await makeFollow(ctx, follower.user, author.user);
    const status = await pollBy(author.token);
    const privatePoll = (
      await post(author.token, { status: "Followers only", visibility: "private", poll: { options: ["a", "b"], expires_in: 600 } })
    ).body;
    expect((await callApi(`/api/v1/polls/${privatePoll.poll.id}`, stranger.token)).response.status).toBe(404);
    expect((await voteIn(stranger.token, privatePoll.poll.id, [0])).response.status).toBe(404);
    expect((await voteIn(follower.token, privatePoll.poll.id, [0])).response.status).toBe(200);
    expect((await callApi(`/api/v1/polls/${status.poll.id}`, stranger.token)).response.status).toBe(200);
  });

  it("tells every voter of a busy poll that it ended, more than one statement's worth", async () => {
    const author = await person();
    const created = await pollBy(author.token);
    const voters = await Promise.all(Array.from({ length: 30 }, (_, index) => makeUser(ctx, { username: `busyvoter${index}` })));
    await Promise.all(voters.map((voter, index) => vote(ctx, voter.id, created.poll.id, [index % 3])));
    await ctx.db
      .update(polls)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(polls.id, created.poll.id));
    await closeEndedPolls(ctx);
    await deliverEvents();
    const told = await ctx.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.type, "poll"), eq(notifications.postId, created.id)));
    expect(told).toHaveLength(31);
  });

  it("keeps the counts from voters until the end when the author hides the totals", async () => {
    const author = await person();
    const voter = await person();
    const status = await pollBy(author.token, { hide_totals: true });
    const voted = await voteIn(voter.token, status.poll.id, [0]);
    expect(voted.body).toMatchObject({
      voted: true,
      own_votes: [0],
      voters_count: 1,
      options: [{ votes_count: null }, { votes_count: null }, { votes_count: null }],
    });
    expect((await callApi(`/api/v1/polls/${status.poll.id}`, author.token)).body.options[0].votes_count).toBe(1);
    await ctx.db
      .update(polls)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(polls.id, status.poll.id));
    expect((await callApi(`/api/v1/polls/${status.poll.id}`, voter.token)).body.options[0].votes_count).toBe(1);
  });

  it("tells voters and the author when a poll ends, once", async () => {
    const author = await person();
    const voter = await person();
    const created = await pollBy(author.token);
    await voteIn(voter.token, created.poll.id, [2]);
    await ctx.db
      .update(polls)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(polls.id, created.poll.id));
    expect(await closeEndedPolls(ctx)).toBeGreaterThanOrEqual(1);
    expect(await closeEndedPolls(ctx)).toBe(0);
    await deliverEvents();
    const told = await ctx.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.type, "poll"), eq(notifications.postId, created.id)));
    expect(told.map((row) => row.userId).sort()).toEqual([author.user.id, voter.user.id].sort());
    const afterEnd = await callApi(`/api/v1/polls/${created.poll.id}`, null);
    expect(afterEnd.body).toMatchObject({ expired: true, options: [{ votes_count: 0 }, { votes_count: 0 }, { votes_count: 1 }] });
  });

  it("change in edits: the same question runs on with its votes, a new one starts afresh and tells the voters, null removes it", async () => {
    const author = await person();
    const voter = await person();
    const created = await pollBy(author.token);
    await voteIn(voter.token, created.poll.id, [1]);
    const edit = (poll: unknown) =>
      callApi(`/api/v1/statuses/${created.id}`, author.token, json("PUT", { status: "Which one, really?", poll }));

    const extended = await edit({ options: ["Tea", "Coffee", "Water"], expires_in: 86400 });
    expect(extended.response.status).toBe(200);
    expect(extended.body.poll).toMatchObject({ id: created.poll.id, votes_count: 1 });
    expect(Date.parse(extended.body.poll.expires_at)).toBeGreaterThan(Date.parse(created.poll.expires_at));
    const updates = () =>
      ctx.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.type, "update"), eq(notifications.postId, created.id)));
    expect(await updates()).toEqual([]);

    const asked = await edit({ options: ["Tea", "Juice"], expires_in: 3600, multiple: true });
    expect(asked.body.poll).toMatchObject({
      multiple: true,
      votes_count: 0,
      voters_count: 0,
      options: [{ title: "Tea" }, { title: "Juice" }],
    });
    expect(asked.body.poll.id).not.toBe(created.poll.id);
    await eventually(async () => expect((await updates()).map((row) => row.userId)).toEqual([voter.user.id]));
    expect((await voteIn(voter.token, asked.body.poll.id, [0, 1])).response.status).toBe(200);

    const refused = await edit({ options: ["Only one"], expires_in: 3600 });
    expect(refused.response.status).toBe(422);
    expect((await callApi(`/api/v1/statuses/${created.id}`, author.token)).body.poll).toMatchObject({ votes_count: 2 });

    const removed = await edit(null);
    expect(removed.body.poll).toBeNull();
    expect(await ctx.db.select().from(polls).where(eq(polls.postId, created.id))).toEqual([]);
    const history = await callApi(`/api/v1/statuses/${created.id}/history`, null);
    expect(
      history.body.map(
        (version: { poll: { options: { title: string }[] } | null }) => version.poll?.options.map((option) => option.title) ?? null,
      ),
    ).toEqual([["Tea", "Coffee", "Water"], ["Tea", "Coffee", "Water"], ["Tea", "Juice"], null]);
  });
});
