import { describe, expect, it } from "vitest";
import { makePost, makePostsAt, makeUser } from "#db/seed/factories.ts";
import { block } from "#domain/graph/blocks.ts";
import { reblog } from "#domain/posts/engagement.ts";
import { callApi, getPage, ORIGIN, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let count = 0;
const person = () => makeUser(ctx, { username: `pager${(count += 1)}` });

/** Every page of an API listing, following the Link header's "next" until there is none. */
async function apiPages(path: string, token: string | null): Promise<{ id: string; reblog: { id: string } | null }[][]> {
  const pages = [];
  let next: string | null = path;
  while (next) {
    const { response, body } = await callApi(next, token);
    expect(response.status).toBe(200);
    pages.push(body);
    const link = response.headers.get("Link") ?? "";
    next = /<([^>]+)>; rel="next"/.exec(link)?.[1]?.replace(ORIGIN, "") ?? null;
    expect(pages.length, "paging ends").toBeLessThan(20);
  }
  return pages;
}

/** Every page of a listing on the web, following its "Older posts" link until there is none: each page's <main>. */
async function webPages(path: string): Promise<string[]> {
  const pages = [];
  let next: string | null = path;
  while (next) {
    const { response, html } = await getPage(next);
    expect(response.status).toBe(200);
    pages.push(html.slice(html.indexOf("<main"), html.indexOf("</main>")));
    next =
      /<a[^>]*href="([^"]+)"[^>]*rel="next"|<a[^>]*rel="next"[^>]*href="([^"]+)"/
        .exec(html)
        ?.slice(1)
        .find(Boolean)
        ?.replace(/&amp;/g, "&") ?? null;
    expect(pages.length, "paging ends").toBeLessThan(20);
  }
  return pages;
}

describe("paging", () => {
  it("goes through a profile whose newest item is a repost of an older post without skipping anything", async () => {
    const author = await person();
    const made = await makePostsAt(ctx, author, Date.now() - 60 * 60_000, [
      "Paged one",
      "Paged two",
      "Paged three",
      "Paged four",
      "Paged five",
    ]);
    const { reblog: repost } = await reblog(ctx, author.id, made[0]!.id);

    const pages = await apiPages(`/api/v1/accounts/${author.id}/statuses?limit=2`, null);
    const seen = pages.flat().map((status) => status.id);
    expect(seen).toEqual([repost.id, ...made.map((post) => post.id).reverse()]);
    expect(pages.flat()[0]!.reblog?.id).toBe(made[0]!.id);

    const html = (await webPages(`/${author.username}?limit=2`)).join("\n");
    for (const post of ["Paged two", "Paged three", "Paged four", "Paged five"]) expect(html.split(post)).toHaveLength(2);
    expect(html.split("Paged one")).toHaveLength(3);
  });

  it("offers the older page after a page that read-time filtering emptied", async () => {
    const reposter = await person();
    const blocked = await person();
    const viewer = await person();
    const [early] = await makePostsAt(ctx, reposter, Date.now() - 60 * 60_000, ["Before the reposts"]);
    for (const text of ["Hidden one", "Hidden two"]) await reblog(ctx, reposter.id, (await makePost(ctx, blocked, { text })).id);
    await block(ctx, viewer.id, blocked.id);

    const pages = await apiPages(`/api/v1/accounts/${reposter.id}/statuses?limit=2`, await tokenFor(viewer.id));
    expect(pages[0]).toEqual([]);
    expect(pages.flat().map((status) => status.id)).toEqual([early!.id]);
  });
});
