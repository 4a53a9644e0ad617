import { beforeAll, describe, expect, it } from "vitest";
import { makePost, makeUser } from "#db/seed/factories.ts";
import type { User } from "#domain/accounts/users.ts";
import { callApi, fetchWorker, freshRateLimitWindow, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

/** /search without JavaScript: a GET form, tabs that are links, history forms that post. */
const ctx = testDomain();
let me: { user: User; cookie: string };

beforeAll(async () => {
  const user = await makeUser(ctx, { username: "page_searcher", password: "a long enough password" });
  const cookie = sessionOf(
    await postForm("/login", { identifier: user.username, password: "a long enough password" }, { ip: "198.51.100.77" }),
  );
  me = { user, cookie };
  const author = await makeUser(ctx, { username: "shrike_author", displayName: "Red-backed Shrike" });
  await makePost(ctx, author, { text: "A shrike on the thorn #shrikes" });
});

const search = (query: string, cookie?: string) => getPage(`/search?${query}`, cookie);

describe("the /search page", () => {
  it("is a GET form with a labelled box, and finds posts on Top and Latest", async () => {
    const empty = await search("", me.cookie);
    expect(empty.response.status).toBe(200);
    expect(empty.html).toContain('role="search"');
    expect(empty.html).toMatch(/<label[^>]*for="search-q"/);
    const top = await search("q=shrike");
    expect(top.response.status).toBe(200);
    expect(top.html).toContain("A shrike on the thorn");
    const latest = await search("q=shrike&tab=latest");
    expect(latest.html).toContain("A shrike on the thorn");
    expect(latest.html).toMatch(/aria-current="page"[^>]*>Latest|href="\/search\?q=shrike&amp;tab=latest"[^>]*aria-current="page"/);
  });

  it("has People, Media and Tags tabs as links keeping the query", async () => {
    const people = await search("q=shrike&tab=people");
    for (const tab of ["top", "latest", "people", "media", "tags"]) expect(people.html).toContain(`href="/search?q=shrike&amp;tab=${tab}"`);
    expect(people.html).toContain("@shrike_author");
    const tags = await search("q=shrik&tab=tags");
    expect(tags.html).toContain("#shrikes");
    expect(tags.html).toContain("1 post by 1 person");
    const media = await search("q=shrike&tab=media");
    expect(media.html).toContain("No results for &quot;shrike&quot;");
  });

  it("shows a bad operator inline with a 422, keeping what was typed", async () => {
    const bad = await search("q=since%3A2026-13-45");
    expect(bad.response.status).toBe(422);
    expect(bad.html).toContain("since: takes a date");
    expect(bad.html).toContain('value="since:2026-13-45"');
  });

  it("remembers recent searches, clears them, and saves and removes searches", async () => {
    await search("q=shrike", me.cookie);
    let page = await search("", me.cookie);
    expect(page.html).toContain('href="/search?q=shrike&amp;tab=top"');
    await postForm("/search", { intent: "clear-recent" }, { cookie: me.cookie });
    page = await search("", me.cookie);
    expect(page.html).not.toContain('href="/search?q=shrike&amp;tab=top"');

    const saved = await postForm("/search?q=shrike", { intent: "save", query: "shrike" }, { cookie: me.cookie });
    expect(saved.status).toBeLessThan(400);
    page = await search("q=shrike", me.cookie);
    expect(page.html).toContain("Remove saved search");
    page = await search("", me.cookie);
    expect(page.html).toContain("Saved searches");
    const id = /name="id" value="(\d+)"/.exec(page.html)![1]!;
    await postForm("/search", { intent: "unsave", id }, { cookie: me.cookie });
    page = await search("", me.cookie);
    expect(page.html).not.toContain(`value="${id}"`);
  });

  it("asks visitors to log in before saving", async () => {
    const response = await fetchWorker("/search?q=shrike");
    const html = await response.text();
    expect(html).not.toContain("Save this search");
    const refused = await postForm("/search", { intent: "save", query: "x" });
    expect(refused.status).toBeGreaterThanOrEqual(300);
    expect(refused.status).toBeLessThan(500);
  });

  // Waiting for a fresh window can take 20 s before the 60 searches start.
  it("shares the account's search budget with the API, and says so inline when it is spent", { timeout: 90_000 }, async () => {
    const user = await makeUser(ctx, { username: "hasty_page_searcher", password: "a long enough password" });
    const cookie = sessionOf(
      await postForm("/login", { identifier: user.username, password: "a long enough password" }, { ip: "198.51.100.78" }),
    );
    const token = await tokenFor(user.id);
    await freshRateLimitWindow();
    await Promise.all(Array.from({ length: 60 }, () => callApi("/api/v2/search?q=shrike&type=hashtags", token)));
    const limited = await search("q=shrike+thorn", cookie);
    expect(limited.response.status).toBe(429);
    expect(limited.response.headers.get("Retry-After")).toBe("60");
    expect(limited.html).toContain("60 searches a minute");
    expect(limited.html).toContain('value="shrike thorn"');
  });
});

describe("the composer's typeahead resource", () => {
  it("suggests accounts after @ and hashtags after #, as JSON, for signed-in people only", async () => {
    const accounts = await fetchWorker("/resources/typeahead?q=%40shrike", { headers: { Cookie: me.cookie } });
    expect(accounts.status).toBe(200);
    const body = (await accounts.json()) as { suggestions: { value: string; label: string }[] };
    expect(body.suggestions[0]).toMatchObject({ value: "@shrike_author", label: "Red-backed Shrike" });
    const tags = (await (await fetchWorker("/resources/typeahead?q=%23shri", { headers: { Cookie: me.cookie } })).json()) as {
      suggestions: { value: string }[];
    };
    expect(tags.suggestions.map((suggestion) => suggestion.value)).toEqual(["#shrikes"]);
    const nothing = (await (await fetchWorker("/resources/typeahead?q=plain", { headers: { Cookie: me.cookie } })).json()) as {
      suggestions: unknown[];
    };
    expect(nothing.suggestions).toEqual([]);
    expect((await fetchWorker("/resources/typeahead?q=%40shrike")).status).toBeGreaterThanOrEqual(300);
  });
});
