import { and, eq, gte } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { idAt } from "#db/ids.ts";
import { auditLog, favourites, posts, previewCards, trends } from "#db/schema/index.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import type { User } from "#domain/accounts/users.ts";
import { actingAs } from "#domain/context.ts";
import { createFilter } from "#domain/filters/filters.ts";
import { updateInstanceSettings } from "#domain/instance-settings.ts";
import { moderate } from "#domain/moderation/actions.ts";
import { refreshTrends, TREND_SPAM_CUTOFF } from "#domain/trends/refresh.ts";
import { decideTrend, trendsForReview } from "#domain/trends/review.ts";
import { DAY_MS, decayedScore, HALF_LIFE_MS, HOUR_MS, velocityScore } from "#domain/trends/scoring.ts";
import { trendingLinks, trendingPosts, trendingTags } from "#domain/trends/trending.ts";
import { asUser, callApi, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

/** Hashtags, posts and links trend by distinct accounts against their usual level; admins hide and review them. */
const NOW = Date.UTC(2026, 11, 3, 15, 0, 0);
const ctx = testDomain();
const people: User[] = [];
let admin: User;
let seq = 0;

/** A public post at a fixed time (hours before NOW). */
function postAt(author: User, hoursAgo: number, text: string) {
  const at = NOW - hoursAgo * HOUR_MS;
  seq += 1;
  return makePost(ctx, author, { text, id: idAt(at, seq), createdAt: new Date(at) });
}

const tagNames = async () => (await trendingTags(ctx, null, { limit: 20, offset: 0 })).map((tag) => tag.name);

beforeAll(async () => {
  admin = await makeUser(ctx, { username: "trends_admin", role: "admin", password: "a long enough password" });
  for (let i = 0; i < 12; i += 1) people.push(await makeUser(ctx, { username: `trender${i}` }));
  // #steady: the same six people every day for eight days, a higher volume than #rising ever has.
  for (let day = 0; day < 8; day += 1) {
    for (const person of people.slice(0, 6)) await postAt(person, day * 24 + 2, "My daily #steady");
  }
  // #rising: four people in the last hours, nobody before.
  for (const person of people.slice(6, 10)) await postAt(person, 3, "Look at #rising");
  // #spam: one account, forty times in the last hours.
  for (let i = 0; i < 40; i += 1) await postAt(people[11]!, 1 + i / 60, `Buy now #spam ${i}`);
  await refreshTrends(ctx, NOW);
});

describe("scoring", () => {
  it("scores observed against expected, zero at or below the baseline or under three accounts", () => {
    expect(velocityScore(6, 6)).toBe(0);
    expect(velocityScore(2, 0)).toBe(0);
    expect(velocityScore(4, 0)).toBe(9);
    expect(velocityScore(40, 20)).toBe(20);
    expect(velocityScore(4, 0)).toBeGreaterThan(velocityScore(30, 25));
  });

  it("lets a peak decay by half-life and a fresher, higher score replace it", () => {
    const peak = { peakScore: 16, peakAt: NOW };
    expect(decayedScore(peak, 0, NOW + HALF_LIFE_MS).score).toBeCloseTo(8);
    expect(decayedScore(peak, 0, NOW + 2 * HALF_LIFE_MS).peakAt).toBe(NOW);
    expect(decayedScore(peak, 10, NOW + HALF_LIFE_MS)).toEqual({ score: 10, peakScore: 10, peakAt: NOW + HALF_LIFE_MS });
  });
});

describe("trending hashtags", () => {
  it("ranks a hashtag by velocity, not volume", async () => {
    const names = await tagNames();
    expect(names).toContain("rising");
    expect(names).not.toContain("steady");
  });

  it("counts distinct accounts, so one account posting forty times does not trend", async () => {
    expect(await tagNames()).not.toContain("spam");
  });

  it("leaves limited and suspended accounts out of the count, without telling them", async () => {
    const posters = [];
    for (let i = 0; i < 4; i += 1) posters.push(await makeUser(ctx, { username: `trends_muffled${i}` }));
    for (const [index, command] of (["limit", "suspend"] as const).entries()) {
      await moderate(actingAs(ctx, admin), { command, accountId: posters[index]!.id, reason: "Coordinated spam" });
    }
    for (const person of posters) await postAt(person, 2, "All together #muffled");
    await refreshTrends(ctx, NOW);
    expect(await tagNames()).toContain("rising");
    expect(await tagNames()).not.toContain("muffled");
  });

  it("leaves out posts the moderation pipeline scored as likely spam", async () => {
    const posters = [];
    for (let i = 0; i < 4; i += 1) posters.push(await makeUser(ctx, { username: `trends_spammy${i}` }));
    const made = [];
    for (const person of posters) made.push(await postAt(person, 2, "Deals at #bargainbin"));
    for (const post of made.slice(0, 2)) {
      await ctx.db.update(posts).set({ spamScore: TREND_SPAM_CUTOFF, qualityScore: 0.7 }).where(eq(posts.id, post.id));
    }
    await refreshTrends(ctx, NOW);
    expect(await tagNames()).toContain("rising");
    expect(await tagNames(), "two accounts left: under the three a trend needs").not.toContain("bargainbin");
  });

  it("keeps seven days of history, newest first, with uses and distinct accounts", async () => {
    const [rising] = await trendingTags(ctx, null, { limit: 1, offset: 0 });
    expect(rising!.history).toHaveLength(7);
    expect(rising!.history[0]).toEqual({ day: Math.floor(NOW / DAY_MS) * 86_400, uses: 4, accounts: 4 });
    expect(rising!.history.slice(1).every((day) => day.uses === 0)).toBe(true);
  });

  it("decays a hashtag whose use stopped, and forgets it once the score is small", async () => {
    const scoreOf = async () => (await ctx.db.select().from(trends).where(eq(trends.kind, "tag")))[0]?.score ?? 0;
    const before = await scoreOf();
    await refreshTrends(ctx, NOW + 2 * DAY_MS);
    const later = await scoreOf();
    expect(later).toBeLessThan(before);
    await refreshTrends(ctx, NOW + 5 * DAY_MS);
    expect(await scoreOf()).toBe(0);
    await refreshTrends(ctx, NOW);
    expect(await tagNames()).toContain("rising");
  });
});

describe("admin decisions and review", () => {
  it("hides a hashtag from trends, only for admins, and allows it again", async () => {
    const [rising] = await trendingTags(ctx, null, { limit: 1, offset: 0 });
    await expect(decideTrend(asUser(people[0]!), "tag", rising!.id, "hidden")).rejects.toMatchObject({ kind: "forbidden" });
    await decideTrend(asUser(admin), "tag", rising!.id, "hidden");
    expect(await tagNames()).not.toContain("rising");
    const review = await trendsForReview(asUser(admin));
    expect(review.find((item) => item.key === rising!.id)).toMatchObject({ label: "#rising", decision: "hidden" });
    await decideTrend(asUser(admin), "tag", rising!.id, "allowed");
    expect(await tagNames()).toContain("rising");
    await expect(decideTrend(asUser(admin), "tag", "no-such-tag", "hidden")).rejects.toMatchObject({ kind: "not_found" });
  });

  it("writes an audit entry for each decision, whose actions the /admin/audit filter offers", async () => {
    const [rising] = await trendingTags(ctx, null, { limit: 1, offset: 0 });
    const since = new Date();
    const entries = () =>
      ctx.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.targetId, rising!.id), gte(auditLog.createdAt, since)))
        .orderBy(auditLog.id);
    await decideTrend(asUser(admin), "tag", rising!.id, "hidden");
    await decideTrend(asUser(admin), "tag", rising!.id, "allowed");
    await expect(decideTrend(asUser(people[0]!), "tag", rising!.id, "hidden")).rejects.toMatchObject({ kind: "forbidden" });
    expect((await entries()).map((entry) => [entry.action, entry.targetKind, entry.moderatorId])).toEqual([
      ["hide_trend", "tag", admin.id],
      ["allow_trend", "tag", admin.id],
    ]);
    const link = "https://news.example/audited";
    await ctx.db.insert(trends).values({
      kind: "link",
      key: link,
      score: 1,
      accounts: 3,
      peakScore: 1,
      peakAt: new Date(NOW),
      history: [],
      computedAt: new Date(NOW),
    });
    await decideTrend(asUser(admin), "link", link, "hidden");
    const [linkEntry] = await ctx.db.select().from(auditLog).where(eq(auditLog.targetId, link));
    expect(linkEntry).toMatchObject({ action: "hide_trend", targetKind: "link" });

    const cookie = sessionOf(
      await postForm("/login", { identifier: admin.username, password: "a long enough password" }, { ip: "192.0.2.204" }),
    );
    const audit = (await getPage("/admin/audit?action=hide_trend", cookie)).html;
    expect(audit).toContain('<option value="hide_trend">');
    expect(audit).toContain('<option value="allow_trend">');
    expect(audit).toContain(`link ${link}`);
  });

  it("holds back unreviewed hashtags when the instance asks for review, until approved", async () => {
    await expect(updateInstanceSettings(asUser(people[0]!), { trendsReviewNewTags: true })).rejects.toMatchObject({ kind: "forbidden" });
    for (let i = 0; i < 3; i += 1) await postAt(people[i]!, 1, "So #fresh");
    await refreshTrends(ctx, NOW);
    expect(await tagNames()).toContain("fresh");
    await updateInstanceSettings(asUser(admin), { trendsReviewNewTags: true });
    try {
      // #rising was allowed above; #fresh was never reviewed.
      expect(await tagNames()).toEqual(["rising"]);
      const fresh = (await trendsForReview(asUser(admin))).find((item) => item.label === "#fresh")!;
      expect(fresh.decision).toBeNull();
      await decideTrend(asUser(admin), "tag", fresh.key, "allowed");
      expect(await tagNames()).toContain("fresh");
    } finally {
      await updateInstanceSettings(asUser(admin), { trendsReviewNewTags: false });
    }
  });
});

describe("trending posts and links", () => {
  it("trends a post many distinct accounts engage with now, not one its author likes", async () => {
    const popular = await postAt(people[0]!, 5, "A post people like");
    const lonely = await postAt(people[1]!, 5, "A post only I like");
    // Liked an hour before the fixed NOW (the like command stamps the real time, which is after it).
    const likedAt = new Date(NOW - HOUR_MS);
    await ctx.db
      .insert(favourites)
      .values([
        ...people.slice(2, 7).map((person) => ({ userId: person.id, postId: popular.id, createdAt: likedAt })),
        { userId: people[1]!.id, postId: lonely.id, createdAt: likedAt },
      ]);
    await refreshTrends(ctx, NOW);
    const ids = (await trendingPosts(ctx, null, { limit: 20, offset: 0 })).map((post) => post.post.id);
    expect(ids).toContain(popular.id);
    expect(ids).not.toContain(lonely.id);
    await decideTrend(asUser(admin), "post", popular.id, "hidden");
    expect((await trendingPosts(ctx, null, { limit: 20, offset: 0 })).map((post) => post.post.id)).not.toContain(popular.id);
  });

  it("reads trending posts through the viewer's public filters, in the API and on the explore page too, not the admins'", async () => {
    const cabbages = await postAt(people[2]!, 4, "Cabbages are trending");
    const kale = await postAt(people[3]!, 4, "Kale is trending");
    const likedAt = new Date(NOW - HOUR_MS);
    await ctx.db
      .insert(favourites)
      .values(
        people
          .slice(4, 9)
          .flatMap((person) => [cabbages, kale].map((post) => ({ userId: person.id, postId: post.id, createdAt: likedAt }))),
      );
    await refreshTrends(ctx, NOW);
    const reader = await makeUser(ctx, { username: "trends_filtering", password: "a long enough password" });
    const idsFor = async (viewerId: string | null) =>
      (await trendingPosts(ctx, viewerId, { limit: 40, offset: 0 })).map((post) => post.post.id);
    expect(await idsFor(reader.id)).toEqual(expect.arrayContaining([cabbages.id, kale.id]));

    await createFilter(ctx, reader.id, { title: "Home only", contexts: ["home"], action: "hide", keywords: [{ keyword: "kale" }] });
    expect(await idsFor(reader.id), "a home filter does not reach trends").toContain(kale.id);
    await createFilter(ctx, reader.id, { title: "Brassicas", contexts: ["public"], action: "hide", keywords: [{ keyword: "cabbages" }] });
    await createFilter(ctx, reader.id, { title: "Greens", contexts: ["public"], action: "warn", keywords: [{ keyword: "kale" }] });
    const shown = await trendingPosts(ctx, reader.id, { limit: 40, offset: 0 });
    expect(shown.map((post) => post.post.id)).not.toContain(cabbages.id);
    expect(shown.find((post) => post.post.id === kale.id)?.filtered?.map((match) => match.filter.title)).toEqual(["Greens"]);
    expect(await idsFor(null), "visitors have no filters").toContain(cabbages.id);
    const review = await trendingPosts(actingAs(ctx, admin), reader.id, { limit: 40, offset: 0 }, "admins");
    expect(
      review.map((post) => post.post.id),
      "admins review every trending post",
    ).toContain(cabbages.id);

    const token = await tokenFor(reader.id, ["read"]);
    const statuses = (await callApi("/api/v1/trends/statuses?limit=40", token)).body as {
      id: string;
      filtered?: { filter: { title: string } }[];
    }[];
    expect(statuses.map((status) => status.id)).not.toContain(cabbages.id);
    expect(statuses.find((status) => status.id === kale.id)?.filtered?.[0]?.filter.title).toBe("Greens");
    const cookie = sessionOf(
      await postForm("/login", { identifier: reader.username, password: "a long enough password" }, { ip: "192.0.2.203" }),
    );
    const explore = (await getPage("/explore", cookie)).html;
    expect(explore).not.toContain("Cabbages are trending");
    expect(explore).toContain("Filtered: Greens");
  });

  it("trends a link shared by distinct accounts once its preview card is ready", async () => {
    const url = "https://news.example/birds-return";
    for (const person of people.slice(0, 4)) await postAt(person, 2, `Read ${url}`);
    await refreshTrends(ctx, NOW);
    expect(await trendingLinks(ctx, { limit: 10, offset: 0 })).toEqual([]);
    await ctx.db.update(previewCards).set({ state: "ready", title: "The birds return" }).where(eq(previewCards.url, url));
    await refreshTrends(ctx, NOW);
    const [link] = await trendingLinks(ctx, { limit: 10, offset: 0 });
    expect(link!.card.title).toBe("The birds return");
    expect(link!.history[0]).toMatchObject({ uses: 4, accounts: 4 });
  });
});

describe("the trends API", () => {
  it("answers Mastodon's Tag entities with history as strings, and pages by offset", async () => {
    const { response, body } = await callApi("/api/v1/trends/tags?limit=1", null);
    expect(response.status).toBe(200);
    expect(body).toHaveLength(1);
    expect(body[0].history).toHaveLength(7);
    for (const day of body[0].history) {
      expect(day).toEqual({
        day: expect.stringMatching(/^\d+$/),
        uses: expect.stringMatching(/^\d+$/),
        accounts: expect.stringMatching(/^\d+$/),
      });
    }
    expect(response.headers.get("Link")).toMatch(/offset=1>; rel="next"/);
    const second = await callApi("/api/v1/trends/tags?limit=1&offset=1", null);
    expect(second.body[0]?.name).not.toBe(body[0].name);
  });

  it("lists trending links with their history and refuses bad paging with 400", async () => {
    const links = await callApi("/api/v1/trends/links", null);
    expect(links.response.status).toBe(200);
    expect(links.body[0]).toMatchObject({ url: "https://news.example/birds-return", history: expect.any(Array) });
    expect(links.body[0].history[0].uses).toBe("4");
    const statuses = await callApi("/api/v1/trends/statuses", null);
    expect(statuses.response.status).toBe(200);
    expect(Array.isArray(statuses.body)).toBe(true);
    for (const bad of ["limit=0", "offset=-1", "limit=abc"]) {
      const { response, body } = await callApi(`/api/v1/trends/tags?${bad}`, null);
      expect(response.status, bad).toBe(400);
      expect(body.error).toEqual(expect.any(String));
    }
  });
});

describe("the admin trends API", () => {
  it("lists hidden items with their standing for admins, approves and rejects them, and refuses everyone else", async () => {
    const token = await tokenFor(admin.id, ["read", "admin:read", "admin:write"]);
    const [rising] = await trendingTags(ctx, null, { limit: 1, offset: 0 });
    const reject = await callApi(`/api/v1/admin/trends/tags/${rising!.id}/reject`, token, { method: "POST" });
    expect(reject.response.status).toBe(200);
    expect(await tagNames()).not.toContain(rising!.name);
    const listed = await callApi("/api/v1/admin/trends/tags?limit=20", token);
    expect(listed.response.status).toBe(200);
    expect(listed.body.find((tag: { id: string }) => tag.id === rising!.id)).toMatchObject({
      name: rising!.name,
      trendable: false,
      requires_review: false,
      usable: true,
      history: expect.any(Array),
    });
    expect((await callApi(`/api/v1/admin/trends/tags/${rising!.id}/approve`, token, { method: "POST" })).response.status).toBe(200);
    expect(await tagNames()).toContain(rising!.name);

    const links = await callApi("/api/v1/admin/trends/links", token);
    const link = links.body.find((item: { url: string }) => item.url === "https://news.example/birds-return");
    expect(link).toMatchObject({ requires_review: false, history: expect.any(Array) });
    expect((await callApi(`/api/v1/admin/trends/links/${link.id}/reject`, token, { method: "POST" })).response.status).toBe(200);
    expect((await trendingLinks(ctx, { limit: 10, offset: 0 })).map((item) => item.card.url)).not.toContain(link.url);
    expect((await callApi(`/api/v1/admin/trends/links/${link.id}/approve`, token, { method: "POST" })).response.status).toBe(200);
    expect((await trendingLinks(ctx, { limit: 10, offset: 0 })).map((item) => item.card.url)).toContain(link.url);
    expect((await callApi("/api/v1/admin/trends/statuses", token)).response.status).toBe(200);

    const missing = await callApi("/api/v1/admin/trends/links/bm90LWEtdHJlbmQ/approve", token, { method: "POST" });
    expect(missing.response.status).toBe(404);
    expect(missing.body.error).toEqual(expect.any(String));
    const notBase64 = await callApi("/api/v1/admin/trends/links/%FF%FE/approve", token, { method: "POST" });
    expect(notBase64.response.status).toBe(404);

    const member = await tokenFor(people[0]!.id, ["read", "admin:read", "admin:write"]);
    // Moderators work the reports and the queue; trends are the instance's, so admins' alone.
    const moderatorUser = await makeUser(ctx, { username: "trends_moderator", role: "moderator" });
    const moderator = await tokenFor(moderatorUser.id, ["read", "admin:read", "admin:write"]);
    const narrow = await tokenFor(admin.id, ["read", "write"]);
    const [popular] = await trendingPosts(ctx, null, { limit: 1, offset: 0 }, "public");
    const routes = [
      ["GET", "/api/v1/admin/trends/tags"],
      ["GET", "/api/v1/admin/trends/statuses"],
      ["GET", "/api/v1/admin/trends/links"],
      ...(["approve", "reject"] as const).flatMap((verb) => [
        ["POST", `/api/v1/admin/trends/tags/${rising!.id}/${verb}`],
        ["POST", `/api/v1/admin/trends/statuses/${popular?.post.id ?? "1"}/${verb}`],
        ["POST", `/api/v1/admin/trends/links/${link.id}/${verb}`],
      ]),
    ] as const;
    expect(routes).toHaveLength(9);
    const decisionsBefore = await ctx.db.select().from(auditLog);
    for (const [method, path] of routes) {
      expect((await callApi(path, member, { method })).response.status, `${method} ${path} as a member`).toBe(403);
      expect((await callApi(path, moderator, { method })).response.status, `${method} ${path} as a moderator`).toBe(403);
      expect((await callApi(path, narrow, { method })).response.status, `${method} ${path} without admin scopes`).toBe(403);
      expect((await callApi(path, null, { method })).response.status, `${method} ${path} without a token`).toBe(401);
    }
    expect(await tagNames()).toContain(rising!.name);
    expect(await ctx.db.select().from(auditLog), "nothing refused was decided").toHaveLength(decisionsBefore.length);
  });
});

describe("the /admin/trends page", () => {
  const signIn = async (username: string, ip: string) =>
    sessionOf(await postForm("/login", { identifier: username, password: "a long enough password" }, { ip }));

  it("is refused to members and lists, hides and shows again for admins, with forms that work without JavaScript", async () => {
    await makeUser(ctx, { username: "trends_member", password: "a long enough password" });
    const member = await signIn("trends_member", "192.0.2.201");
    expect((await getPage("/admin/trends", member)).response.status).toBe(403);
    expect((await postForm("/admin/trends", { kind: "tag", key: "x", decision: "hidden" }, { cookie: member })).status).toBe(403);

    const cookie = await signIn("trends_admin", "192.0.2.202");
    const { response, html } = await getPage("/admin/trends", cookie);
    expect(response.status).toBe(200);
    expect(html).toContain("#rising");
    const [rising] = await trendingTags(ctx, null, { limit: 1, offset: 0 });
    const hidden = await postForm("/admin/trends", { kind: "tag", key: rising!.id, decision: "hidden" }, { cookie });
    expect(hidden.status).toBeLessThan(400);
    expect(await tagNames()).not.toContain("rising");
    expect((await getPage("/admin/trends", cookie)).html).toContain("Show again");
    await postForm("/admin/trends", { kind: "tag", key: rising!.id, decision: "allowed" }, { cookie });
    expect(await tagNames()).toContain("rising");
    const bad = await postForm("/admin/trends", { kind: "planet", key: "x", decision: "hidden" }, { cookie });
    expect(bad.status).toBe(400);
  });
});
