import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { analyticsDaily } from "#db/schema/index.ts";
import { makeFollow, makePost, makeUser } from "#db/seed/factories.ts";
import { authorAnalytics, postAnalytics } from "#domain/analytics/author-stats.ts";
import { estimate, REGISTERS } from "#domain/analytics/sketch.ts";
import { dayOf, foldPastDays, noteViews } from "#domain/analytics/views.ts";
import { favourite } from "#domain/posts/engagement.ts";
import { callApi, deliverEvents, eventually, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
const PASSWORD = "a long enough password";
const visitor = (ip: string) => ({ viewerId: null, ip, userAgent: "test" });

describe("impressions", () => {
  it("count each viewer once a day per post, through the queue, never the author, and keep no viewer rows", async () => {
    const author = await makeUser(ctx, { username: "stats_author" });
    const [ana, ben] = [await makeUser(ctx, { username: "stats_ana" }), await makeUser(ctx, { username: "stats_ben" })];
    // One viewer per post: two viewers in one sketch may share a register and read as one (the estimate's known error).
    const [first, second, third] = [
      await makePost(ctx, author, { text: "Count me" }),
      await makePost(ctx, author, { text: "Count me too" }),
      await makePost(ctx, author, { text: "And me" }),
    ];
    const seen = (post: { id: string }) => ({ posts: [{ id: post.id, authorId: author.id }] });
    await noteViews(ctx, { viewerId: ana.id, ip: null, userAgent: null }, seen(first));
    await noteViews(ctx, { viewerId: ana.id, ip: null, userAgent: null }, seen(first));
    await noteViews(ctx, { viewerId: ben.id, ip: null, userAgent: null }, { ...seen(second), profileId: author.id });
    await noteViews(ctx, visitor("192.0.2.5"), seen(third));
    for (const post of [first, second, third]) {
      await noteViews(ctx, { viewerId: author.id, ip: null, userAgent: null }, { ...seen(post), profileId: author.id });
    }
    await deliverEvents();

    for (const post of [first, second, third]) expect((await postAnalytics(ctx, author.id, post.id)).totals.impressions).toBe(1);
    const stats = await authorAnalytics(ctx, author.id);
    expect(stats.totals.impressions).toBe(3);
    expect(stats.impressions.at(-1)).toEqual({ day: dayOf(new Date()), count: 3 });
    expect(stats.totals.profileVisits).toBe(1);
    const rows = await ctx.db.select().from(analyticsDaily).where(eq(analyticsDaily.ownerId, author.id));
    expect(rows).toHaveLength(4);
    expect(rows.every((row) => row.registers?.length === REGISTERS)).toBe(true);
  });

  it("fold past days into counts and drop their sketches", async () => {
    const author = await makeUser(ctx, { username: "stats_folded" });
    const post = await makePost(ctx, author, { text: "Yesterday's post" });
    const yesterday = new Date(Date.now() - 86_400_000);
    // The same visitor twice is one viewer (two different ones could share a register and read as one).
    for (let time = 0; time < 2; time += 1) {
      await noteViews(ctx, visitor("192.0.2.1"), { posts: [{ id: post.id, authorId: author.id }] }, yesterday);
    }
    await deliverEvents();
    expect(await foldPastDays(ctx)).toBeGreaterThanOrEqual(1);
    const [row] = await ctx.db.select().from(analyticsDaily).where(eq(analyticsDaily.subjectId, post.id));
    expect(row).toMatchObject({ registers: null, viewers: 1, day: dayOf(yesterday) });
    expect((await postAnalytics(ctx, author.id, post.id)).totals.impressions).toBe(1);
  });

  it("estimates large counts within a few percent", () => {
    const registers = new Array<number>(REGISTERS).fill(0);
    const viewers = 20_000;
    for (let i = 0; i < viewers; i += 1) {
      // A cheap deterministic 64-bit-ish mix standing in for the HMAC.
      const a = Math.imul(i + 1, 0x9e3779b1) >>> 0;
      const b = Math.imul(a ^ (a >>> 15), 0x85ebca6b) >>> 0;
      const index = b >>> 24;
      const rank = Math.clz32(Math.imul(b ^ (b >>> 13), 0xc2b2ae35) >>> 0) + 1;
      registers[index] = Math.max(registers[index]!, rank);
    }
    expect(Math.abs(estimate(registers) - viewers) / viewers).toBeLessThan(0.2);
  });
});

describe("where the numbers come from", () => {
  it("counts posts shown by API timelines, a post opened in a client and the search page, and the day series follow likes, reposts, replies and follows", async () => {
    // One viewer per post: a sketch of a single viewer reads exactly 1, where two could share a register and read 1.
    const viewedOnce = async (text: string, show: (post: { id: string; authorId: string }) => Promise<Response>) => {
      const author = await makeUser(ctx, { username: `stats_${text.split(" ")[0]!.toLowerCase()}` });
      const post = await makePost(ctx, author, { text });
      expect((await show(post)).status).toBe(200);
      await eventually(async () => expect((await postAnalytics(ctx, author.id, post.id)).totals.impressions).toBe(1));
      return { author, post };
    };
    const reader = async (username: string) => tokenFor((await makeUser(ctx, { username })).id);

    const { author, post } = await viewedOnce(
      "Timeline sighting",
      async () => (await callApi("/api/v1/timelines/public?limit=40", await reader("stats_timeline_reader"))).response,
    );
    await viewedOnce(
      "Opened sighting",
      async (shown) => (await callApi(`/api/v1/statuses/${shown.id}`, await reader("stats_opener"))).response,
    );
    await viewedOnce(
      "Profile sighting",
      async (shown) => (await callApi(`/api/v1/accounts/${shown.authorId}/statuses`, await reader("stats_profile_reader"))).response,
    );
    const searcher = await makeUser(ctx, { username: "stats_searcher", password: PASSWORD });
    const cookie = sessionOf(await postForm("/login", { identifier: searcher.username, password: PASSWORD }, { ip: "192.0.2.203" }));
    await viewedOnce("Zebrafinch sighting", async () => (await getPage("/search?q=zebrafinch&tab=latest", cookie)).response);

    const token = await reader("stats_engager");
    expect((await callApi(`/api/v1/statuses/${post.id}/favourite`, token, { method: "POST" })).response.status).toBe(200);
    expect((await callApi(`/api/v1/statuses/${post.id}/reblog`, token, { method: "POST" })).response.status).toBe(200);
    const reply = await callApi("/api/v1/statuses", token, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ status: "Lovely bird", in_reply_to_id: post.id }),
    });
    expect(reply.response.status).toBe(200);
    expect((await callApi(`/api/v1/accounts/${author.id}/follow`, token, { method: "POST" })).response.status).toBe(200);
    await deliverEvents();

    const stats = await authorAnalytics(ctx, author.id);
    const today = dayOf(new Date());
    expect(stats.totals).toMatchObject({ impressions: 1, likes: 1, reposts: 1, replies: 1, newFollowers: 1, followers: 1 });
    for (const series of [stats.likes, stats.reposts, stats.replies, stats.newFollowers])
      expect(series.at(-1)).toEqual({ day: today, count: 1 });
  });
});

describe("/analytics", () => {
  it("shows the author's charts with their tables, counts a post page view through the real queue, and hides others' posts", async () => {
    const author = await makeUser(ctx, { username: "stats_page", password: PASSWORD });
    const fan = await makeUser(ctx, { username: "stats_fan", password: PASSWORD });
    const post = await makePost(ctx, author, { text: "Look at my numbers" });
    await makeFollow(ctx, fan, author);
    await favourite(ctx, fan.id, post.id);
    await deliverEvents();
    const fanCookie = sessionOf(await postForm("/login", { identifier: fan.username, password: PASSWORD }, { ip: "192.0.2.201" }));
    expect((await getPage(`/${author.username}/status/${post.id}`, fanCookie)).response.status).toBe(200);
    await eventually(async () => expect((await postAnalytics(ctx, author.id, post.id)).totals.impressions).toBe(1));

    const cookie = sessionOf(await postForm("/login", { identifier: author.username, password: PASSWORD }, { ip: "192.0.2.202" }));
    const page = await getPage("/analytics", cookie);
    expect(page.response.status).toBe(200);
    expect(page.html).toContain('role="img"');
    expect(page.html).toContain("Show the numbers");
    expect(page.html).toContain("Profile visits");
    expect(page.html).toContain(`/analytics/${post.id}`);
    const single = await getPage(`/analytics/${post.id}`, cookie);
    expect(single.response.status).toBe(200);
    expect(single.html).toContain("Look at my numbers");
    expect((await getPage(`/analytics/${post.id}`, fanCookie)).response.status).toBe(404);
    expect((await getPage("/analytics")).response.status).toBe(302);
  });
});
