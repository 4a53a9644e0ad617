import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { idAt } from "#db/ids.ts";
import { makeFollow, makePost, makePostsAt, makeUser } from "#db/seed/factories.ts";
import type { User } from "#domain/accounts/users.ts";
import { actingAs } from "#domain/context.ts";
import { DomainError } from "#domain/errors.ts";
import { createFilter } from "#domain/filters/filters.ts";
import { block, mute } from "#domain/graph/blocks.ts";
import { moderate } from "#domain/moderation/actions.ts";
import { bookmark, favourite, reblog } from "#domain/posts/engagement.ts";
import { editPost } from "#domain/posts/edit.ts";
import { deletePost } from "#domain/posts/removal.ts";
import { updatePrivacy } from "#domain/profiles/settings.ts";
import { searchAccounts } from "#domain/search/accounts.ts";
import { searchHashtags } from "#domain/search/hashtags.ts";
import {
  clearRecentSearches,
  recentSearchesOf,
  rememberSearch,
  removeSavedSearch,
  RECENT_SEARCHES_KEPT,
  savedSearchesOf,
  saveSearch,
} from "#domain/search/history.ts";
import { CANDIDATE_MATCHES, searchPosts, type PostOrder } from "#domain/search/posts.ts";
import { parseQuery } from "#domain/search/query.ts";
import { asUser, callApi, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let writer: User;
let reader: User;

/** The texts of the posts a search finds for the viewer, in its order. */
async function texts(viewer: User | null, query: string, order: PostOrder = "latest", limit = 40) {
  const page = await searchPosts(ctx, viewer?.id ?? null, { query, order, page: { limit } });
  return page.items.map((item) => item.post.text);
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

beforeAll(async () => {
  writer = await makeUser(ctx, { username: "srch_writer" });
  reader = await makeUser(ctx, { username: "srch_reader" });
});

describe("the post index kept by triggers", () => {
  it("finds a post once it is written, its new text after an edit, and nothing after it is deleted", async () => {
    const post = await makePost(ctx, writer, { text: "A kestrel hovering over the meadow" });
    expect(await texts(reader, "kestrel")).toEqual(["A kestrel hovering over the meadow"]);
    await editPost(asUser(writer), post.id, { text: "A merlin hovering over the meadow" });
    expect(await texts(reader, "kestrel")).toEqual([]);
    expect(await texts(reader, "merlin")).toEqual(["A merlin hovering over the meadow"]);
    await deletePost(asUser(writer), post.id);
    expect(await texts(reader, "merlin")).toEqual([]);
    // FTS5's own check compares the index with posts and fails on any difference.
    await expect(env.DB.prepare("INSERT INTO posts_fts(posts_fts, rank) VALUES ('integrity-check', 1)").run()).resolves.toBeTruthy();
  });

  it("ignores accents and case, and leaves reposts out", async () => {
    const original = await makePost(ctx, writer, { text: "Café CRÈME at dawn" });
    await reblog(asUser(reader), reader.id, original.id);
    const found = await searchPosts(ctx, reader.id, { query: "cafe creme", order: "latest", page: { limit: 5 } });
    expect(found.items.map((item) => [item.post.id, item.post.text])).toEqual([[original.id, "Café CRÈME at dawn"]]);
  });
});

describe("ranking", () => {
  it("Top blends relevance with engagement and recency; Latest is newest first", async () => {
    const day = 86_400_000;
    const now = Date.now();
    const [old, recent] = await makePostsAt(ctx, writer, now - 30 * day, ["ranktest plover", "ranktest plover"]);
    const [fresh] = await makePostsAt(ctx, writer, now - 60_000, ["ranktest plover today"]);
    const [weak] = await makePostsAt(ctx, writer, now - 120_000, ["ranktest plover plover plover"]);
    // The second old post is liked by many: engagement lifts it above the other old one.
    for (let i = 0; i < 6; i++) {
      const fan = await makeUser(ctx, { username: `srch_fan${i}` });
      await favourite(asUser(fan), fan.id, recent!.id);
    }
    const top = await searchPosts(ctx, reader.id, { query: "ranktest", order: "top", page: { limit: 10 } });
    const ids = top.items.map((item) => item.post.id);
    expect(ids.indexOf(recent!.id)).toBeLessThan(ids.indexOf(old!.id));
    expect(ids.indexOf(fresh!.id)).toBeLessThan(ids.indexOf(old!.id));
    // More of the searched word (bm25) ranks higher among equally fresh posts.
    const plover = await searchPosts(ctx, reader.id, { query: "plover", order: "top", page: { limit: 10 } });
    expect(plover.items[0]!.post.id).toBe(weak!.id);
    const latest = await searchPosts(ctx, reader.id, { query: "ranktest", order: "latest", page: { limit: 10 } });
    expect(latest.items.map((item) => item.post.id)).toEqual([fresh!.id, weak!.id, recent!.id, old!.id].sort().reverse());
  });

  it("pages Top by offset and Latest by cursors without repeats", async () => {
    await makePostsAt(ctx, writer, Date.now() - 3_600_000, ["pagetest a", "pagetest b", "pagetest c", "pagetest d", "pagetest e"]);
    const first = await searchPosts(ctx, reader.id, { query: "pagetest", order: "top", page: { limit: 2 } });
    const second = await searchPosts(ctx, reader.id, { query: "pagetest", order: "top", page: { limit: 2 }, offset: first.nextOffset! });
    const third = await searchPosts(ctx, reader.id, { query: "pagetest", order: "top", page: { limit: 2 }, offset: second.nextOffset! });
    const all = [...first.items, ...second.items, ...third.items].map((item) => item.post.text);
    expect(new Set(all).size).toBe(5);
    expect(third.nextOffset).toBeNull();
    const newest = await searchPosts(ctx, reader.id, { query: "pagetest", order: "latest", page: { limit: 3 } });
    const older = await searchPosts(ctx, reader.id, { query: "pagetest", order: "latest", page: { limit: 3, max_id: newest.older! } });
    expect([...newest.items, ...older.items].map((item) => item.post.text)).toEqual([
      "pagetest e",
      "pagetest d",
      "pagetest c",
      "pagetest b",
      "pagetest a",
    ]);
  });
});

describe("the window of candidates", () => {
  it("weighs only the newest matches past the cursor: Top ranks among them, Latest pages on beyond them", async () => {
    const start = Date.now() - 10 * 86_400_000;
    const count = CANDIDATE_MATCHES + 5;
    const idOf = (index: number) => idAt(start + index * 1000);
    const insert = env.DB.prepare("INSERT INTO posts (id, author_id, text, created_at) VALUES (?, ?, ?, ?)");
    await env.DB.batch(
      Array.from({ length: count }, (_, index) => insert.bind(idOf(index), writer.id, `windowtest ${index}`, start + index * 1000)),
    );
    // The oldest match is by far the most liked: weighed, it would come first.
    await env.DB.prepare("UPDATE posts SET favourites_count = 5000 WHERE id = ?").bind(idOf(0)).run();

    const top = await searchPosts(ctx, reader.id, { query: "windowtest", order: "top", page: { limit: 40 } });
    expect(top.items).toHaveLength(40);
    expect(top.items.map((item) => item.post.text)).not.toContain("windowtest 0");
    const lastTop = await searchPosts(ctx, reader.id, {
      query: "windowtest",
      order: "top",
      page: { limit: 40 },
      offset: CANDIDATE_MATCHES - 10,
    });
    expect(lastTop.items).toHaveLength(10);
    expect(lastTop.nextOffset).toBeNull();

    const beyond = await searchPosts(ctx, reader.id, { query: "windowtest", order: "latest", page: { limit: 40, max_id: idOf(5) } });
    expect(beyond.items.map((item) => item.post.text)).toEqual([
      "windowtest 4",
      "windowtest 3",
      "windowtest 2",
      "windowtest 1",
      "windowtest 0",
    ]);
    const newer = await searchPosts(ctx, reader.id, { query: "windowtest", order: "latest", page: { limit: 3, min_id: idOf(0) } });
    expect(newer.items.map((item) => item.post.text)).toEqual(["windowtest 3", "windowtest 2", "windowtest 1"]);
  });
});

describe("who may find what", () => {
  it("shows only posts the searcher may see: visibility, blocks, mutes, locked profiles", async () => {
    const author = await makeUser(ctx, { username: "srch_vis_author" });
    const follower = await makeUser(ctx, { username: "srch_vis_follower" });
    await makeFollow(ctx, follower, author);
    for (const visibility of ["public", "unlisted", "private", "direct"] as const) {
      await makePost(ctx, author, { text: `wagtail ${visibility}`, visibility });
    }
    expect((await texts(null, "wagtail")).sort()).toEqual(["wagtail public"]);
    expect((await texts(reader, "wagtail")).sort()).toEqual(["wagtail public"]);
    expect((await texts(follower, "wagtail")).sort()).toEqual(["wagtail private", "wagtail public", "wagtail unlisted"]);
    expect((await texts(author, "wagtail")).sort()).toEqual(["wagtail direct", "wagtail private", "wagtail public", "wagtail unlisted"]);

    const blocker = await makeUser(ctx, { username: "srch_blocker" });
    await makePost(ctx, blocker, { text: "bittern blocked" });
    const muted = await makeUser(ctx, { username: "srch_muted" });
    await makePost(ctx, muted, { text: "bittern muted" });
    const viewer = await makeUser(ctx, { username: "srch_vis_viewer" });
    expect((await texts(viewer, "bittern")).sort()).toEqual(["bittern blocked", "bittern muted"]);
    await block(asUser(blocker), blocker.id, viewer.id);
    await mute(asUser(viewer), viewer.id, muted.id);
    expect(await texts(viewer, "bittern")).toEqual([]);
  });

  it("leaves out accounts that opted out of discovery, except from their own searches", async () => {
    const shy = await makeUser(ctx, { username: "srch_shy" });
    await makePost(ctx, shy, { text: "nightjar in the heather" });
    expect(await texts(reader, "nightjar")).toEqual(["nightjar in the heather"]);
    await updatePrivacy(ctx, shy.id, { discoverable: false });
    expect(await texts(reader, "nightjar")).toEqual([]);
    expect(await texts(null, "nightjar")).toEqual([]);
    expect(await texts(shy, "nightjar")).toEqual(["nightjar in the heather"]);
  });
});

describe("trust and safety in search", () => {
  it("applies the searcher's public filters and leaves out a limited account's posts for all but its followers", async () => {
    const author = await makeUser(ctx, { username: "srch_ts_author" });
    const fan = await makeUser(ctx, { username: "srch_ts_fan" });
    await makeFollow(ctx, fan, author);
    await makePost(ctx, author, { text: "godwit spoiler ending" });
    await makePost(ctx, author, { text: "godwit on the mudflat" });
    const viewer = await makeUser(ctx, { username: "srch_ts_viewer" });
    await createFilter(ctx, viewer.id, { title: "Spoilers", contexts: ["public"], action: "hide", keywords: [{ keyword: "spoiler" }] });
    expect(await texts(viewer, "godwit")).toEqual(["godwit on the mudflat"]);
    expect((await texts(fan, "godwit")).length).toBe(2);

    const moderator = await makeUser(ctx, { username: "srch_ts_mod", role: "admin" });
    await moderate(actingAs(ctx, moderator), { command: "limit", accountId: author.id, reason: "Spam waves" });
    expect(await texts(viewer, "godwit")).toEqual([]);
    expect((await texts(fan, "godwit")).length).toBe(2);
  });
});

describe("operators", () => {
  let alice: User;
  let bob: User;
  beforeAll(async () => {
    alice = await makeUser(ctx, { username: "op_alice" });
    bob = await makeUser(ctx, { username: "op_bob" });
    const root = await makePost(ctx, alice, { text: "optest root by alice #Heron", language: "en" });
    await makePost(ctx, bob, { text: "optest reply to alice", inReplyToId: root.id, language: "en" });
    await makePost(ctx, bob, { text: "optest mentions @op_alice in german", language: "de" });
    await makePost(ctx, bob, { text: "optest link https://example.com/birds" });
    await makePost(ctx, alice, { text: "optest poll", poll: { options: ["yes", "no"], expiresInSeconds: 3600 } });
    await makePost(ctx, alice, { text: "optest the quick brown fox" });
    await makePost(ctx, alice, { text: "optest the brown quick fox" });
    for (const fan of ["op_fan1", "op_fan2"]) {
      const user = await makeUser(ctx, { username: fan });
      await favourite(asUser(user), user.id, root.id);
    }
  });

  const cases: [string, string[]][] = [
    ['optest "quick brown"', ["optest the quick brown fox"]],
    ["optest fox -brown", []],
    ["optest -fox -poll -link", ["optest mentions @op_alice in german", "optest reply to alice", "optest root by alice #Heron"]],
    ["optest from:op_alice -fox", ["optest poll", "optest root by alice #Heron"]],
    ["optest -from:op_alice", ["optest link https://example.com/birds", "optest mentions @op_alice in german", "optest reply to alice"]],
    ["optest to:op_alice", ["optest reply to alice"]],
    ["optest @op_alice", ["optest mentions @op_alice in german"]],
    ["#heron", ["optest root by alice #Heron"]],
    ["optest has:poll", ["optest poll"]],
    ["optest has:link", ["optest link https://example.com/birds"]],
    ["optest min_faves:2", ["optest root by alice #Heron"]],
    ["optest lang:de", ["optest mentions @op_alice in german"]],
    ["optest filter:replies", ["optest reply to alice"]],
    ["optest from:op_bob -filter:replies -has:link", ["optest mentions @op_alice in german"]],
    ["optest since:2000-01-01 until:2001-01-01", []],
    ["optest from:nobody_here", []],
  ];
  for (const [query, expected] of cases) {
    it(`${query}`, async () => {
      expect((await texts(reader, query)).sort()).toEqual([...expected].sort());
    });
  }

  it("since: and until: bound by day (until excludes its day)", async () => {
    const today = new Date().toISOString().slice(0, 10);
    expect((await texts(reader, `optest from:op_alice since:${today} has:poll`)).length).toBe(1);
    expect(await texts(reader, `optest from:op_alice until:${today}`)).toEqual([]);
  });

  it("has:media finds posts with attachments only", async () => {
    expect(await texts(reader, "optest has:media")).toEqual([]);
  });

  it("refuses operators with values they cannot take, naming them", async () => {
    for (const [query, named] of [
      ["since:2026-13-45", "since:"],
      ["min_faves:abc", "min_faves:"],
      ["has:everything", "has:"],
      ["lang:english!", "lang:"],
      ["filter:nothing", "filter:"],
      ["in:trash", "in:"],
      ["x".repeat(1000), "500"],
    ]) {
      const error = await refusal(searchPosts(ctx, reader.id, { query: query!, order: "top", page: { limit: 5 } }));
      expect(error.kind).toBe("unprocessable");
      expect(error.message).toContain(named);
    }
  });

  it("never lets FTS5 syntax through: hostile input finds nothing or plain words, never fails", async () => {
    for (const query of [
      '"',
      '""',
      "NEAR(",
      "NEAR(a b)",
      "*",
      "a*",
      "AND OR",
      "OR",
      "NOT",
      '"unbalanced',
      "col:umn",
      "text:optest",
      "(optest",
      "^optest",
      "optest)",
      "-",
      "--",
      "- -",
      '"-"',
      "'; DROP TABLE posts; --",
      "x".repeat(500),
      "optest ".repeat(70),
    ]) {
      const page = await searchPosts(ctx, reader.id, { query, order: "top", page: { limit: 5 } });
      expect(Array.isArray(page.items)).toBe(true);
    }
    expect((await texts(reader, "(optest fox)")).length).toBe(2);
    expect(await texts(reader, "")).toEqual([]);
  });

  it("in:likes and in:bookmarks search the searcher's own history", async () => {
    const mine = await makePost(ctx, bob, { text: "historytest liked" });
    const saved = await makePost(ctx, bob, { text: "historytest bookmarked" });
    await makePost(ctx, bob, { text: "historytest untouched" });
    await favourite(asUser(reader), reader.id, mine.id);
    await bookmark(asUser(reader), reader.id, saved.id, true);
    expect(await texts(reader, "historytest in:likes")).toEqual(["historytest liked"]);
    expect(await texts(reader, "in:bookmarks")).toEqual(["historytest bookmarked"]);
    expect((await refusal(searchPosts(ctx, null, { query: "in:likes", order: "top", page: { limit: 5 } }))).kind).toBe("unauthenticated");
  });

  it("parses terms, phrases, exclusions and operators", () => {
    const parsed = parseQuery('owl "barn owl" -tawny -"little owl" from:@alice -has:media #Birds');
    expect(parsed.include).toEqual(["owl", "barn owl"]);
    expect(parsed.exclude).toEqual(["tawny", "little owl"]);
    expect(parsed.filters).toEqual([
      { kind: "from", username: "alice", negated: false },
      { kind: "has", what: "media", negated: true },
      { kind: "tag", tag: "Birds", negated: false },
    ]);
    expect(parseQuery("https://example.com/x").include).toEqual(["https://example.com/x"]);
  });
});

describe("accounts and hashtags", () => {
  it("ranks exact, then prefix, then near misses; within them people you follow, then friends of friends, then followers", async () => {
    const searcher = await makeUser(ctx, { username: "acct_searcher" });
    const friend = await makeUser(ctx, { username: "acct_friend" });
    const followed = await makeUser(ctx, { username: "pipit_followed", displayName: "Pipit Three" });
    const friendOfFriend = await makeUser(ctx, { username: "pipit_fof", displayName: "Pipit Two" });
    const popular = await makeUser(ctx, { username: "pipit_popular", displayName: "Pipit One" });
    const stranger = await makeUser(ctx, { username: "pipit_stranger", displayName: "Pipit Zero" });
    const named = await makeUser(ctx, { username: "zz_meadow", displayName: "Meadow Pipit" });
    await makeFollow(ctx, searcher, followed);
    await makeFollow(ctx, searcher, friend);
    await makeFollow(ctx, friend, friendOfFriend);
    for (let i = 0; i < 3; i++) await makeFollow(ctx, await makeUser(ctx, { username: `acct_fan${i}` }), popular);
    const found = await searchAccounts(ctx, searcher.id, "perch.test", { query: "pipit", limit: 10, offset: 0 });
    expect(found.items.map((view) => view.account.id)).toEqual([followed.id, friendOfFriend.id, popular.id, stranger.id, named.id]);
    const exact = await searchAccounts(ctx, searcher.id, "perch.test", { query: "@pipit_stranger@perch.test", limit: 5, offset: 0 });
    expect(exact.items[0]!.account.id).toBe(stranger.id);
    const fuzzy = await searchAccounts(ctx, searcher.id, "perch.test", { query: "pipit_strnger", limit: 5, offset: 0 });
    expect(fuzzy.items.map((view) => view.account.id)).toContain(stranger.id);
    const remote = await searchAccounts(ctx, searcher.id, "perch.test", { query: "pipit@elsewhere.example", limit: 5, offset: 0 });
    expect(remote.items).toEqual([]);
    const onlyFollowed = await searchAccounts(ctx, searcher.id, "perch.test", { query: "pipit", limit: 10, offset: 0, following: true });
    expect(onlyFollowed.items.map((view) => view.account.id)).toEqual([followed.id]);
  });

  it("leaves out blocked accounts and those that opted out of discovery unless named exactly", async () => {
    const searcher = await makeUser(ctx, { username: "acct_blocked_searcher" });
    const blocker = await makeUser(ctx, { username: "linnet_blocker" });
    const shy = await makeUser(ctx, { username: "linnet_shy" });
    await block(asUser(blocker), blocker.id, searcher.id);
    await updatePrivacy(ctx, shy.id, { discoverable: false });
    expect((await searchAccounts(ctx, searcher.id, "perch.test", { query: "linnet", limit: 10, offset: 0 })).items).toEqual([]);
    const exact = await searchAccounts(ctx, searcher.id, "perch.test", { query: "linnet_shy", limit: 10, offset: 0 });
    expect(exact.items.map((view) => view.account.id)).toEqual([shy.id]);
  });

  it("finds a limited account only for its followers and a suspended one for nobody, in search and the typeahead", async () => {
    const searcher = await makeUser(ctx, { username: "acct_mod_searcher", password: "a long enough password" });
    const fan = await makeUser(ctx, { username: "acct_mod_fan" });
    const limited = await makeUser(ctx, { username: "siskin_limited" });
    const suspended = await makeUser(ctx, { username: "siskin_suspended" });
    await makeUser(ctx, { username: "siskin_plain" });
    await makeFollow(ctx, fan, limited);
    await makeFollow(ctx, fan, suspended);
    const moderator = await makeUser(ctx, { username: "acct_mod_admin", role: "admin" });
    await moderate(actingAs(ctx, moderator), { command: "limit", accountId: limited.id, reason: "Spam waves" });
    await moderate(actingAs(ctx, moderator), { command: "suspend", accountId: suspended.id, reason: "Ban evasion" });
    const found = async (viewer: User | null, query: string) =>
      (await searchAccounts(ctx, viewer?.id ?? null, "perch.test", { query, limit: 10, offset: 0 })).items.map(
        (view) => view.account.username,
      );
    expect(await found(searcher, "siskin")).toEqual(["siskin_plain"]);
    expect(await found(null, "siskin")).toEqual(["siskin_plain"]);
    expect(await found(searcher, "siskin_limited"), "not even by the exact name").toEqual([]);
    expect(await found(searcher, "siskin_suspended")).toEqual([]);
    expect((await found(fan, "siskin")).sort()).toEqual(["siskin_limited", "siskin_plain"]);
    expect(await found(limited, "siskin_limited"), "itself").toEqual(["siskin_limited"]);

    const cookie = sessionOf(
      await postForm("/login", { identifier: searcher.username, password: "a long enough password" }, { ip: "192.0.2.211" }),
    );
    const typeahead = await getPage("/resources/typeahead?q=%40siskin", cookie);
    expect((JSON.parse(typeahead.html) as { suggestions: { value: string }[] }).suggestions.map((s) => s.value)).toEqual(["@siskin_plain"]);
    const api = await callApi("/api/v1/accounts/search?q=siskin", await tokenFor(searcher.id, ["read"]));
    expect((api.body as { username: string }[]).map((account) => account.username)).toEqual(["siskin_plain"]);
    const v2 = await callApi("/api/v2/search?q=siskin&type=accounts", await tokenFor(searcher.id, ["read"]));
    expect((v2.body as { accounts: { username: string }[] }).accounts.map((account) => account.username)).toEqual(["siskin_plain"]);
  });

  it("finds hashtags by prefix with their public use counts, the exact name first", async () => {
    const author = await makeUser(ctx, { username: "tag_counter" });
    await makePost(ctx, author, { text: "#sparrowhawk one" });
    await makePost(ctx, author, { text: "#sparrowhawk two" });
    await makePost(ctx, author, { text: "#sparrow hidden", visibility: "private" });
    await makePost(ctx, reader, { text: "#Sparrows three" });
    await makePost(ctx, reader, { text: "#sparrows four" });
    await makePost(ctx, writer, { text: "#sparrows five" });
    const found = await searchHashtags(ctx, reader.id, { query: "#sparrow", limit: 10, offset: 0 });
    expect(found.items.map(({ name, uses, accounts }) => ({ name, uses, accounts }))).toEqual([
      { name: "sparrow", uses: 0, accounts: 0 },
      { name: "Sparrows", uses: 3, accounts: 2 },
      { name: "sparrowhawk", uses: 2, accounts: 1 },
    ]);
  });
});

describe("recent and saved searches", () => {
  it("keeps the latest searches, a repeat moving up, and clears them", async () => {
    const user = await makeUser(ctx, { username: "history_user" });
    for (let i = 0; i < RECENT_SEARCHES_KEPT + 2; i++) await rememberSearch(ctx, user.id, `query ${i}`);
    await rememberSearch(ctx, user.id, "query 5");
    const recent = await recentSearchesOf(ctx, user.id);
    expect(recent).toHaveLength(RECENT_SEARCHES_KEPT);
    expect(recent[0]).toBe("query 5");
    expect(recent).not.toContain("query 0");
    await clearRecentSearches(ctx, user.id);
    expect(await recentSearchesOf(ctx, user.id)).toEqual([]);
  });

  it("saves searches once each and removes only one's own", async () => {
    const user = await makeUser(ctx, { username: "saved_user" });
    const other = await makeUser(ctx, { username: "saved_other" });
    await saveSearch(ctx, user.id, "owls");
    await saveSearch(ctx, user.id, "owls");
    await saveSearch(ctx, user.id, "from:op_alice");
    const saved = await savedSearchesOf(ctx, user.id);
    expect(saved.map((item) => item.query)).toEqual(["from:op_alice", "owls"]);
    expect((await refusal(removeSavedSearch(ctx, other.id, saved[0]!.id))).kind).toBe("not_found");
    await removeSavedSearch(actingAs(ctx, null), user.id, saved[0]!.id);
    expect((await savedSearchesOf(ctx, user.id)).map((item) => item.query)).toEqual(["owls"]);
  });
});
