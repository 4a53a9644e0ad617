import { beforeAll, describe, expect, it } from "vitest";
import { makeFollow, makePost, makeUser } from "#db/seed/factories.ts";
import type { User } from "#domain/accounts/users.ts";
import { eq } from "drizzle-orm";
import { tags, trendDecisions } from "#db/schema/index.ts";
import { callApi, freshRateLimitWindow, tokenFor, testDomain } from "./support.ts";

/** GET /api/v2/search and /api/v1/accounts/search as Mastodon clients call them. */
const ctx = testDomain();
let viewer: User;
let token: string;
let followed: User;
const postIds: string[] = [];

beforeAll(async () => {
  viewer = await makeUser(ctx, { username: "api_searcher" });
  token = await tokenFor(viewer.id);
  followed = await makeUser(ctx, { username: "godwit_followed", displayName: "Godwit" });
  await makeUser(ctx, { username: "godwit_other" });
  await makeFollow(ctx, viewer, followed);
  for (const text of ["godwit one #godwits", "godwit two", "godwit three", "godwit four"]) {
    postIds.push((await makePost(ctx, followed, { text })).id);
  }
});

describe("GET /api/v2/search", () => {
  it("answers accounts, hashtags and statuses in Mastodon's shape", async () => {
    const { response, body } = await callApi("/api/v2/search?q=godwit", token);
    expect(response.status).toBe(200);
    expect(body.accounts.map((account: { acct: string }) => account.acct)).toEqual(["godwit_followed", "godwit_other"]);
    expect(body.hashtags.map((tag: { name: string }) => tag.name)).toEqual(["godwits"]);
    expect(body.hashtags[0].perch).toEqual({ uses: 1, accounts: 1 });
    expect(body.statuses).toHaveLength(4);
    expect(body.statuses[0].content).toContain("godwit");
  });

  it("narrows by type, following and account_id, and pages by limit and offset", async () => {
    const statuses = await callApi("/api/v2/search?q=godwit&type=statuses&limit=3", token);
    expect(statuses.body.accounts).toEqual([]);
    expect(statuses.body.hashtags).toEqual([]);
    expect(statuses.body.statuses).toHaveLength(3);
    const rest = await callApi("/api/v2/search?q=godwit&type=statuses&limit=3&offset=3", token);
    const seen = [...statuses.body.statuses, ...rest.body.statuses].map((status: { id: string }) => status.id);
    expect(seen.sort()).toEqual([...postIds].sort());
    const following = await callApi("/api/v2/search?q=godwit&type=accounts&following=true", token);
    expect(following.body.accounts.map((account: { id: string }) => account.id)).toEqual([followed.id]);
    const byAccount = await callApi(`/api/v2/search?q=godwit&type=statuses&account_id=${viewer.id}`, token);
    expect(byAccount.body.statuses).toEqual([]);
  });

  it("bounds statuses by max_id and min_id", async () => {
    const sorted = [...postIds].sort();
    const older = await callApi(`/api/v2/search?q=godwit&type=statuses&max_id=${sorted[2]}`, token);
    expect(older.body.statuses.map((status: { id: string }) => status.id).sort()).toEqual(sorted.slice(0, 2));
    const newer = await callApi(`/api/v2/search?q=godwit&type=statuses&min_id=${sorted[1]}`, token);
    expect(newer.body.statuses.map((status: { id: string }) => status.id).sort()).toEqual(sorted.slice(2));
  });

  it("resolves links to this server's accounts and posts and @user@this-domain", async () => {
    const account = await callApi(`/api/v2/search?q=${encodeURIComponent("http://perch.test/@godwit_followed")}&resolve=true`, token);
    expect(account.body.accounts.map((entry: { id: string }) => entry.id)).toEqual([followed.id]);
    const status = await callApi(
      `/api/v2/search?q=${encodeURIComponent(`http://perch.test/godwit_followed/status/${postIds[0]}`)}&resolve=true`,
      token,
    );
    expect(status.body.statuses.map((entry: { id: string }) => entry.id)).toEqual([postIds[0]]);
    const address = await callApi("/api/v2/search?q=%40godwit_followed%40perch.test&type=accounts&resolve=true", token);
    expect(address.body.accounts[0].id).toBe(followed.id);
    const remote = await callApi(
      `/api/v2/search?q=${encodeURIComponent("https://elsewhere.example/@godwit")}&resolve=true&type=statuses`,
      token,
    );
    expect(remote.body.statuses).toEqual([]);
  });

  it("answers clear 4xx for what cannot work", async () => {
    const cases: [string, string | null, number, string][] = [
      ["/api/v2/search", token, 400, "q"],
      ["/api/v2/search?q=a&type=people", token, 400, "type"],
      ["/api/v2/search?q=a&limit=0", token, 400, "limit"],
      ["/api/v2/search?q=a&offset=-1", token, 400, "offset"],
      ["/api/v2/search?q=a&max_id=abc", token, 400, "max_id"],
      ["/api/v2/search?q=a&account_id=x", token, 400, "account_id"],
      ["/api/v2/search?q=since:2026-13-45", token, 422, "since:"],
      ["/api/v2/search?q=min_faves:abc", token, 422, "min_faves:"],
      [`/api/v2/search?q=${"a".repeat(1000)}`, token, 422, "500"],
      ["/api/v2/search?q=godwit&offset=5", null, 401, "token"],
      ["/api/v2/search?q=godwit&resolve=true", null, 401, "token"],
      ["/api/v2/search?q=in:likes", null, 401, "Log in"],
    ];
    for (const [path, auth, status, mentions] of cases) {
      const { response, body } = await callApi(path, auth);
      expect(response.status, path).toBe(status);
      expect(body.error, path).toContain(mentions);
    }
  });

  it("never fails on FTS5 syntax inside q", async () => {
    for (const q of ['"', "NEAR(", "*", "AND OR", '"unbalanced', "a:b:c", "-", "(", ")"]) {
      const { response } = await callApi(`/api/v2/search?q=${encodeURIComponent(q)}`, token);
      expect(response.status, q).toBe(200);
    }
    const empty = await callApi("/api/v2/search?q=", token);
    expect(empty.body).toEqual({ accounts: [], statuses: [], hashtags: [] });
  });

  it("keeps only reviewed hashtags with exclude_unreviewed", async () => {
    const author = await makeUser(ctx, { username: "plover_tagger" });
    await makePost(ctx, author, { text: "#ploverreviewed and #ploverunreviewed" });
    const [reviewedTag] = await ctx.db.select({ id: tags.id }).from(tags).where(eq(tags.name, "ploverreviewed"));
    await ctx.db.insert(trendDecisions).values({ kind: "tag", key: reviewedTag!.id, decision: "allowed", decidedAt: new Date() });
    const names = async (query: string) =>
      (await callApi(`/api/v2/search?q=plover&type=hashtags${query}`, token)).body.hashtags.map((tag: { name: string }) => tag.name).sort();
    expect(await names("")).toEqual(["ploverreviewed", "ploverunreviewed"]);
    expect(await names("&exclude_unreviewed=true")).toEqual(["ploverreviewed"]);
  });

  it("needs read:search of a token, and none of a visitor", async () => {
    const narrow = await tokenFor(viewer.id, ["read:accounts"]);
    const refused = await callApi("/api/v2/search?q=godwit", narrow);
    expect(refused.response.status).toBe(403);
    expect(refused.body.error).toMatch(/scope/);
    expect((await callApi("/api/v2/search?q=godwit", await tokenFor(viewer.id, ["read:search"]))).response.status).toBe(200);
    expect((await callApi("/api/v2/search?q=godwit", null)).response.status).toBe(200);
  });

  // Waiting for a fresh window can take 20 s before the 61 searches start.
  it("allows 60 searches a minute per account, then answers 429 with Retry-After", { timeout: 90_000 }, async () => {
    const hasty = await tokenFor((await makeUser(ctx, { username: "hasty_searcher" })).id);
    await freshRateLimitWindow();
    const statuses = await Promise.all(Array.from({ length: 60 }, () => callApi("/api/v2/search?q=godwit&type=hashtags", hasty)));
    expect(new Set(statuses.map(({ response }) => response.status))).toEqual(new Set([200]));
    const limited = await callApi("/api/v1/accounts/search?q=godwit", hasty);
    expect(limited.response.status).toBe(429);
    expect(limited.response.headers.get("Retry-After")).toBe("60");
    expect(limited.body.error).toMatch(/Too many searches/);
    expect((await callApi("/api/v2/search?q=godwit&type=hashtags", token)).response.status).toBe(200);
  });

  it("serves visitors public results", async () => {
    const { response, body } = await callApi("/api/v2/search?q=godwit&type=statuses", null);
    expect(response.status).toBe(200);
    expect(body.statuses).toHaveLength(4);
  });
});

describe("GET /api/v1/accounts/search", () => {
  it("finds accounts, honours following and paging, and needs a token", async () => {
    const all = await callApi("/api/v1/accounts/search?q=godwit", token);
    expect(all.response.status).toBe(200);
    expect(all.body.map((account: { username: string }) => account.username)).toEqual(["godwit_followed", "godwit_other"]);
    const second = await callApi("/api/v1/accounts/search?q=godwit&limit=1&offset=1", token);
    expect(second.body.map((account: { username: string }) => account.username)).toEqual(["godwit_other"]);
    const following = await callApi("/api/v1/accounts/search?q=godwit&following=true&resolve=true", token);
    expect(following.body.map((account: { username: string }) => account.username)).toEqual(["godwit_followed"]);
    expect((await callApi("/api/v1/accounts/search?q=godwit", null)).response.status).toBe(401);
    expect((await callApi(`/api/v1/accounts/search?q=${"a".repeat(600)}`, token)).response.status).toBe(422);
  });
});
