import { beforeAll, describe, expect, it } from "vitest";
import { makePost, makeUser } from "#db/seed/factories.ts";
import type { User } from "#domain/accounts/users.ts";
import { block } from "#domain/graph/blocks.ts";
import { homeTimeline } from "#domain/timelines.ts";
import { callApi, deliverEvents, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

/** Following hashtags (Mastodon's tags API): public posts with them come into the follower's home timeline. */
const ctx = testDomain();
let reader: User;
let poster: User;
let token: string;

const post = (path: string) => callApi(path, token, { method: "POST" });
const homeTexts = async () => (await homeTimeline(ctx, reader.id, { limit: 40 })).items.map((item) => item.post.text);

beforeAll(async () => {
  reader = await makeUser(ctx, { username: "Tag_Reader" });
  poster = await makeUser(ctx, { username: "Tag_Poster" });
  token = await tokenFor(reader.id, ["read", "write", "follow"]);
});

describe("the tags API", () => {
  it("follows and unfollows a hashtag, any case, and lists the followed ones with Link pagination", async () => {
    const before = await callApi("/api/v1/tags/Kingfishers", token);
    expect(before.body).toEqual({ name: "kingfishers", url: expect.stringContaining("/tags/kingfishers"), history: [], following: false });
    expect((await post("/api/v1/tags/Kingfishers/follow")).body.following).toBe(true);
    expect((await post("/api/v1/tags/herons/follow")).response.status).toBe(200);
    expect((await callApi("/api/v1/tags/KINGFISHERS", token)).body.following).toBe(true);
    expect((await callApi("/api/v1/tags/kingfishers", null)).body.following).toBe(false);

    const first = await callApi("/api/v1/followed_tags?limit=1", token);
    expect(first.body.map((tag: { name: string }) => tag.name)).toEqual(["herons"]);
    const next = first.response.headers.get("Link")!.match(/<([^>]+)>; rel="next"/)![1]!;
    const second = await callApi(new URL(next).pathname + new URL(next).search, token);
    expect(second.body.map((tag: { name: string }) => tag.name)).toEqual(["kingfishers"]);

    expect((await post("/api/v1/tags/herons/unfollow")).body.following).toBe(false);
    expect((await callApi("/api/v1/followed_tags", token)).body.map((tag: { name: string }) => tag.name)).toEqual(["kingfishers"]);
  });

  it("refuses what no post could use as a hashtag, and needs a token to follow", async () => {
    expect((await callApi("/api/v1/tags/not%20a%20tag", token)).response.status).toBe(404);
    expect((await callApi("/api/v1/tags/birds/follow", null, { method: "POST" })).response.status).toBe(401);
  });
});

describe("followed hashtags in the home timeline", () => {
  it("bring public posts with the hashtag from people not followed, but not other visibilities or blocked authors", async () => {
    await post("/api/v1/tags/kingfishers/follow");
    await makePost(ctx, poster, { text: "A blue flash #Kingfishers", visibility: "public" });
    await makePost(ctx, poster, { text: "Quiet one #kingfishers", visibility: "unlisted" });
    await makePost(ctx, poster, { text: "No tag here", visibility: "public" });
    await deliverEvents();
    const texts = await homeTexts();
    expect(texts).toContain("A blue flash #Kingfishers");
    expect(texts).not.toContain("Quiet one #kingfishers");
    expect(texts).not.toContain("No tag here");

    const blocker = await makeUser(ctx, { username: "Tag_Blocker" });
    await block(ctx, blocker.id, reader.id);
    await makePost(ctx, blocker, { text: "Not for you #kingfishers" });
    await deliverEvents();
    expect(await homeTexts()).not.toContain("Not for you #kingfishers");
  });
});

describe("the hashtag page", () => {
  it("has a Follow button for signed-in people that works as a plain form, and none for visitors", async () => {
    const member = await makeUser(ctx, { username: "Tag_Member", password: "a long enough password" });
    const cookie = sessionOf(
      await postForm("/login", { identifier: member.username, password: "a long enough password" }, { ip: "192.0.2.88" }),
    );
    expect((await getPage("/tags/herons", cookie)).html).toContain("Follow #herons");
    expect((await getPage("/tags/herons")).html).not.toContain("Follow #herons");
    const followed = await postForm("/tags/herons", { intent: "follow" }, { cookie });
    expect(followed.status).toBeLessThan(400);
    expect((await getPage("/tags/herons", cookie)).html).toContain("Unfollow #herons");
    await postForm("/tags/herons", { intent: "unfollow" }, { cookie });
    expect((await getPage("/tags/herons", cookie)).html).toContain("Follow #herons");
  });
});
