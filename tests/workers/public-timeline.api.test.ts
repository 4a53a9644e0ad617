import { beforeAll, describe, expect, it } from "vitest";
import { StatusSchema } from "#workers/api/entities/status.ts";
import { identiconPng } from "#db/seed/artwork.ts";
import { makePost, makePostsAt, makeUser } from "#db/seed/factories.ts";
import type { User } from "#domain/accounts/users.ts";
import type { Post } from "#domain/posts/posts.ts";
import { callApi, fetchWorker, testDomain, tokenFor } from "./support.ts";

const START = Date.UTC(2026, 9, 1, 12);
let author: User;
let other: User;
let timeline: Post[];

beforeAll(async () => {
  const ctx = testDomain();
  author = await makeUser(ctx, { username: "timeline_author", displayName: "Tina Author" });
  other = await makeUser(ctx, { username: "timeline_other" });
  timeline = await makePostsAt(
    ctx,
    author,
    START,
    Array.from({ length: 45 }, (_, i) => `Post number ${i + 1} about #Perch with @timeline_other`),
  );
  // Neither of these belongs on the public timeline: a reply to someone else, and a followers-only post.
  await makePost(ctx, other, { text: "A reply to Tina", inReplyToId: timeline[0]!.id, createdAt: new Date(START + 3_600_000) });
  await makePost(ctx, author, { text: "Followers only", visibility: "private", createdAt: new Date(START + 3_600_000) });
});

async function getTimeline(query = "") {
  const response = await fetchWorker(`/api/v1/timelines/public${query}`);
  return { response, body: (await response.json()) as unknown };
}

function ids(body: unknown): string[] {
  return (body as { id: string }[]).map((status) => status.id);
}

const newestIds = () => [...timeline].reverse().map((post) => post.id);

describe("GET /api/v1/timelines/public", () => {
  it("returns public posts newest first as Mastodon Status entities", async () => {
    const { response, body } = await getTimeline();
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("application/json");
    expect(ids(body)).toEqual(newestIds().slice(0, 20));
    const [first] = (body as unknown[]).map((status) => StatusSchema.parse(status));
    expect(first).toMatchObject({
      visibility: "public",
      account: { username: "timeline_author", acct: "timeline_author", display_name: "Tina Author", statuses_count: 46 },
      tags: [{ name: "perch", url: "http://perch.test/tags/perch" }],
      mentions: [{ id: other.id, username: "timeline_other", acct: "timeline_other" }],
      url: `http://perch.test/timeline_author/status/${first?.id}`,
    });
    expect(first?.content).toBe(
      '<p>Post number 45 about <a href="http://perch.test/tags/perch" class="mention hashtag" rel="tag">#<span>Perch</span></a> with ' +
        '<span class="h-card" translate="no"><a href="http://perch.test/timeline_other" class="u-url mention">@<span>timeline_other</span></a></span></p>',
    );
  });

  it("leaves out replies to other people and posts that are not public", async () => {
    const { body } = await getTimeline("?limit=40");
    const contents = (body as { content: string }[]).map((status) => status.content);
    expect(contents.some((content) => content.includes("A reply to Tina"))).toBe(false);
    expect(contents.some((content) => content.includes("Followers only"))).toBe(false);
  });

  it("pages backwards with max_id and says where the next and previous pages are in the Link header", async () => {
    const { response, body } = await getTimeline("?limit=10");
    const link = response.headers.get("Link");
    const page = ids(body);
    expect(link).toBe(
      `<http://perch.test/api/v1/timelines/public?limit=10&max_id=${page.at(-1)}>; rel="next", ` +
        `<http://perch.test/api/v1/timelines/public?limit=10&min_id=${page[0]}>; rel="prev"`,
    );
    const next = await getTimeline(`?limit=10&max_id=${page.at(-1)}`);
    expect(ids(next.body)).toEqual(newestIds().slice(10, 20));
  });

  it("returns the items just above min_id, and the newest above since_id, both newest first", async () => {
    const pivot = timeline[9]!.id;
    const minPage = await getTimeline(`?limit=5&min_id=${pivot}`);
    expect(ids(minPage.body)).toEqual(
      timeline
        .slice(10, 15)
        .map((post) => post.id)
        .reverse(),
    );
    const sincePage = await getTimeline(`?limit=5&since_id=${pivot}`);
    expect(ids(sincePage.body)).toEqual(newestIds().slice(0, 5));
  });

  it("treats the last page as empty, without a Link header", async () => {
    const { response, body } = await getTimeline(`?max_id=${timeline[0]!.id}`);
    expect(body).toEqual([]);
    expect(response.headers.get("Link")).toBeNull();
  });

  it("lowers a limit above 40 to 40, as Mastodon does", async () => {
    const { body } = await getTimeline("?limit=500");
    expect(ids(body)).toHaveLength(40);
  });

  it("returns nothing for remote=true: every Perch post is local", async () => {
    const { body } = await getTimeline("?remote=true");
    expect(body).toEqual([]);
  });

  it.each([
    ["?limit=-1", "limit must be at least 1"],
    ["?limit=0", "limit must be at least 1"],
    ["?limit=abc", "limit must be a whole number"],
    ["?limit=2.5", "limit must be a whole number"],
    ["?max_id=garbage", "max_id must be a numeric id"],
    ["?since_id=1e5", "since_id must be a numeric id"],
    ["?min_id=99999999999999999999999", "min_id must be a numeric id"],
    ["?local=maybe", "local: must be true or false"],
  ])("answers %s with 400 and a message", async (query, message) => {
    const { response, body } = await getTimeline(query);
    expect(response.status).toBe(400);
    expect(body).toEqual({ error: message });
  });
});

describe("the API door", () => {
  it("answers unknown paths with a JSON 404", async () => {
    const response = await fetchWorker("/api/v1/nothing-here");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "Not found" });
  });

  it("gives API responses a CSP that allows nothing to run", async () => {
    const response = await fetchWorker("/api/v1/timelines/public");
    expect(response.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
  });
});

describe("the hashtag timeline", () => {
  it("lists public posts with the tag in any case, paged, on the API and the tag page", async () => {
    const ctx = testDomain();
    const tagger = await makeUser(ctx, { username: "tagger" });
    await makePost(ctx, tagger, { text: "Spotted a #Kingfisher today" });
    await makePost(ctx, tagger, { text: "Another #kingfisher, closer" });
    await makePost(ctx, tagger, { text: "Secret #kingfisher spot", visibility: "private" });
    await makePost(ctx, tagger, { text: "Not about #herons" });
    const response = await fetchWorker("/api/v1/timelines/tag/KINGFISHER?limit=1");
    const page = (await response.json()) as { content: string }[];
    expect(page).toHaveLength(1);
    expect(page[0]!.content).toContain("closer");
    const next = response.headers.get("Link")!.match(/<([^>]+)>; rel="next"/)![1]!;
    const older = (await (await fetchWorker(new URL(next).pathname + new URL(next).search)).json()) as { content: string }[];
    expect(older.map((status) => status.content)).toEqual([expect.stringContaining("Spotted")]);

    const html = await (await fetchWorker("/tags/kingfisher")).text();
    expect(html).toContain("Another");
    expect(html).toContain("Spotted");
    expect(html).not.toContain("Secret");
    expect(html).toContain('href="/tags/kingfisher"');
  });
});

describe("only_media, local and remote", () => {
  /** Ids of the posts with pictures, newest first; a post without one sits between each. */
  const withMedia: string[] = [];

  beforeAll(async () => {
    const ctx = testDomain();
    const photographer = await makeUser(ctx, { username: "timeline_photographer" });
    const token = await tokenFor(photographer.id, ["read", "write"]);
    for (const index of [1, 2, 3]) {
      const form = new FormData();
      form.set("file", new File([(await identiconPng(`shot ${index}`, 32)) as Uint8Array<ArrayBuffer>], "shot.png"));
      const upload = await callApi("/api/v2/media", token, { method: "POST", body: form });
      const body = JSON.stringify({ status: `Picture ${index} #shots`, media_ids: [upload.body.id] });
      const posted = await callApi("/api/v1/statuses", token, { method: "POST", body, headers: { "Content-Type": "application/json" } });
      withMedia.unshift(posted.body.id);
      await makePost(ctx, photographer, { text: `Words only ${index} #shots` });
    }
  });

  it("only_media=true lists only posts with attachments, paged by the posts it lists", async () => {
    const first = await getTimeline("?only_media=true&limit=2");
    expect(ids(first.body)).toEqual(withMedia.slice(0, 2));
    expect((first.body as { media_attachments: unknown[] }[]).every((status) => status.media_attachments.length === 1)).toBe(true);
    const link = first.response.headers.get("Link")!;
    expect(link).toContain(`only_media=true&limit=2&max_id=${withMedia[1]}>; rel="next"`);
    const next = link.match(/<([^>]+)>; rel="next"/)![1]!;
    const second = await fetchWorker(new URL(next).pathname + new URL(next).search);
    expect(ids(await second.json())).toEqual(withMedia.slice(2));
    const newer = await getTimeline(`?only_media=true&min_id=${withMedia[2]}`);
    expect(ids(newer.body)).toEqual(withMedia.slice(0, 2));
    expect(ids((await getTimeline(`?only_media=1&since_id=${withMedia[1]}`)).body)).toEqual(withMedia.slice(0, 1));
    expect(ids((await getTimeline("?only_media=false&limit=2")).body)).not.toEqual(withMedia.slice(0, 2));
  });

  it("local=true changes nothing, remote=true alone is empty, and both together mean everything, as on Mastodon", async () => {
    const everything = ids((await getTimeline("?limit=10")).body);
    expect(everything).toHaveLength(10);
    expect(ids((await getTimeline("?limit=10&local=true")).body)).toEqual(everything);
    expect(ids((await getTimeline("?limit=10&local=true&remote=true")).body)).toEqual(everything);
    expect((await getTimeline("?remote=true&only_media=true")).body).toEqual([]);
    expect(ids((await getTimeline("?limit=10&remote=false")).body)).toEqual(everything);
  });

  it("applies the same filters to the hashtag timeline, with its extra hashtags (tag-timeline.api.test.ts)", async () => {
    const tagged = await fetchWorker("/api/v1/timelines/tag/shots?only_media=true");
    expect(ids(await tagged.json())).toEqual(withMedia);
    expect(ids(await (await fetchWorker("/api/v1/timelines/tag/shots")).json())).toHaveLength(6);
    expect(await (await fetchWorker("/api/v1/timelines/tag/shots?remote=true")).json()).toEqual([]);
    expect(ids(await (await fetchWorker("/api/v1/timelines/tag/shots?only_media=true&none[]=birds")).json())).toEqual(withMedia);
    expect(await (await fetchWorker("/api/v1/timelines/tag/shots?only_media=true&all[]=birds")).json()).toEqual([]);
  });

  it("refuses only_media that is not a boolean", async () => {
    const { response, body } = await getTimeline("?only_media=yes");
    expect(response.status).toBe(400);
    expect(body).toEqual({ error: "only_media: must be true or false" });
  });
});
