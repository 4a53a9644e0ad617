import { beforeAll, describe, expect, it } from "vitest";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { fetchWorker, testDomain } from "./support.ts";

/** GET /api/v1/timelines/tag/:hashtag with Mastodon's any[], all[] and none[], paged by the Link header. */
const made: Record<string, string> = {};

async function timeline(query: string) {
  const response = await fetchWorker(`/api/v1/timelines/tag/${query}`);
  const body = (await response.json()) as { id: string }[] | { error: string };
  return { response, body };
}

/** The names of the posts an answer lists, newest first. */
async function names(query: string) {
  const { response, body } = await timeline(query);
  expect(response.status, JSON.stringify(body)).toBe(200);
  return (body as { id: string }[]).map(({ id }) => Object.keys(made).find((name) => made[name] === id));
}

beforeAll(async () => {
  const ctx = testDomain();
  const author = await makeUser(ctx, { username: "tag_params_author" });
  const texts = {
    owl: "An #owl at night",
    owlMoth: "The #owl and the #moth",
    moth: "Only a #moth",
    owlMothBat: "#Owl, #moth and #bat together",
    bat: "A #bat alone",
    owlBat: "#owl with a #BAT",
  };
  for (const [name, text] of Object.entries(texts)) made[name] = (await makePost(ctx, author, { text })).id;
  await makePost(ctx, author, { text: "A followers-only #owl", visibility: "private" });
});

describe("the hashtag timeline's extra hashtags", () => {
  it("lists the hashtag's posts without extras, newest first", async () => {
    expect(await names("owl")).toEqual(["owlBat", "owlMothBat", "owlMoth", "owl"]);
  });

  it("any[] adds posts with any of the hashtags, each post once", async () => {
    expect(await names("owl?any[]=moth")).toEqual(["owlBat", "owlMothBat", "moth", "owlMoth", "owl"]);
    expect(await names("owl?any[]=moth&any[]=bat")).toEqual(["owlBat", "bat", "owlMothBat", "moth", "owlMoth", "owl"]);
  });

  it("all[] keeps only posts with every hashtag, in any case", async () => {
    expect(await names("owl?all[]=moth")).toEqual(["owlMothBat", "owlMoth"]);
    expect(await names("owl?all[]=MOTH&all[]=bat")).toEqual(["owlMothBat"]);
    expect(await names("owl?all[]=nobodyusesthis")).toEqual([]);
  });

  it("none[] leaves out posts with any of the hashtags, and the lists combine", async () => {
    expect(await names("owl?none[]=bat")).toEqual(["owlMoth", "owl"]);
    expect(await names("owl?none[]=bat&none[]=moth")).toEqual(["owl"]);
    expect(await names("owl?any[]=moth&none[]=bat")).toEqual(["moth", "owlMoth", "owl"]);
    expect(await names("owl?any[]=bat&all[]=moth")).toEqual(["owlMothBat", "owlMoth"]);
  });

  it("keeps the extra hashtags and filters in the Link header while paging, without repeats or gaps", async () => {
    const seen: string[] = [];
    let next: string | undefined = "/api/v1/timelines/tag/owl?any[]=moth&any[]=bat&limit=2";
    while (next) {
      const response = await fetchWorker(next);
      expect(response.status).toBe(200);
      seen.push(...((await response.json()) as { id: string }[]).map(({ id }) => id));
      const link = response.headers.get("Link")?.match(/<([^>]+)>; rel="next"/)?.[1];
      if (link) expect(decodeURIComponent(link)).toContain("any[]=moth&any[]=bat&limit=2");
      next = link && new URL(link).pathname + new URL(link).search;
    }
    expect(seen).toEqual(["owlBat", "bat", "owlMothBat", "moth", "owlMoth", "owl"].map((name) => made[name]));
  });

  it("local, remote and only_media filter as on the plain hashtag timeline", async () => {
    expect(await names("owl?local=true&any[]=bat")).toEqual(["owlBat", "bat", "owlMothBat", "owlMoth", "owl"]);
    expect(await names("owl?remote=true&any[]=bat")).toEqual([]);
    expect(await names("owl?only_media=true&any[]=bat")).toEqual([]);
  });
});

describe("what the hashtag timeline refuses", () => {
  it("answers a hashtag no post has used with 404", async () => {
    const { response, body } = await timeline("nobodyeverwrotethis");
    expect(response.status).toBe(404);
    expect(body).toEqual({ error: "No posts have used #nobodyeverwrotethis yet" });
  });

  it.each([
    ["bad-tag", 'hashtag: "bad-tag" is not a hashtag'],
    ["owl?any[]=two%20words", 'any[]: "two words" is not a hashtag'],
    ["owl?none[]=123", 'none[]: "123" is not a hashtag'],
    ["owl?all[]=a&all[]=b&all[]=c&all[]=d&all[]=e", "all[]: at most 4 hashtags"],
  ])("answers %s with 422 and a message", async (query, message) => {
    const { response, body } = await timeline(query);
    expect(response.status).toBe(422);
    expect(body).toEqual({ error: message });
  });

  it("still refuses malformed cursors and limits with 400", async () => {
    const { response, body } = await timeline("owl?any[]=moth&limit=0");
    expect(response.status).toBe(400);
    expect(body).toEqual({ error: "limit must be at least 1" });
  });
});
