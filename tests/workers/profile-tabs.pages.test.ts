import { describe, expect, it } from "vitest";
import { identiconPng } from "#db/seed/artwork.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { favourite, pin, reblog } from "#domain/posts/engagement.ts";
import { asUser, callApi, cookieFrom, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

/** The profile's tabs (Posts, Posts and replies, Media, Likes), pinned posts on top, and pinning from the post menu. */
const ctx = testDomain();
const PASSWORD = "a long enough password";
let count = 0;

async function signedIn() {
  count += 1;
  const user = await makeUser(ctx, { username: `tabs${count}`, password: PASSWORD });
  const cookie = sessionOf(await postForm("/login", { identifier: user.username, password: PASSWORD }, { ip: `198.51.100.${count}` }));
  return { user, cookie };
}

/** A post with a picture (and its description), made through the API as a client would. */
async function pictureBy(userId: string, text: string, description: string, sensitive = false): Promise<string> {
  const token = await tokenFor(userId, ["read", "write"]);
  const form = new FormData();
  form.set("file", new File([(await identiconPng(text, 32)) as Uint8Array<ArrayBuffer>], "shot.png"));
  form.set("description", description);
  const upload = await callApi("/api/v2/media", token, { method: "POST", body: form });
  expect(upload.response.status).toBe(200);
  const body = JSON.stringify({ status: text, media_ids: [upload.body.id], sensitive });
  const posted = await callApi("/api/v1/statuses", token, { method: "POST", body, headers: { "Content-Type": "application/json" } });
  expect(posted.response.status).toBe(200);
  return posted.body.id as string;
}

/** The texts of the posts a page shows, top to bottom (each post's article carries its text). */
const order = (html: string, texts: string[]) =>
  texts
    .map((text) => ({ text, at: html.indexOf(text) }))
    .filter(({ at }) => at >= 0)
    .sort((a, b) => a.at - b.at)
    .map(({ text }) => text);

describe("the profile's Posts tab", () => {
  it("shows pinned posts first, marked Pinned and not again below, and leaves out replies to others", async () => {
    const me = await signedIn();
    const other = await makeUser(ctx, { username: "tabs_other" });
    const elsewhere = await makePost(ctx, other, { text: "Somebody else says hi" });
    const old = await makePost(ctx, me.user, { text: "An old favourite thought" });
    await makePost(ctx, me.user, { text: "A reply to somebody", inReplyToId: elsewhere.id });
    await makePost(ctx, me.user, { text: "The newest plain post" });
    await pin(asUser(me.user), me.user.id, old.id, true);

    const { html } = await getPage(`/${me.user.username}`, me.cookie);
    expect(order(html, ["An old favourite thought", "The newest plain post"])).toEqual([
      "An old favourite thought",
      "The newest plain post",
    ]);
    // Once on the page (the loader's data for hydration, after the markup, holds it too).
    expect(html.slice(0, html.indexOf("window.__remixContext")).split("An old favourite thought")).toHaveLength(2);
    expect(html).toMatch(/Pinned<\/p>[\s\S]*An old favourite thought/);
    expect(html).not.toContain("A reply to somebody");
    expect(html).toContain('aria-current="page"');
    // A visitor sees the same order.
    const visitor = (await getPage(`/${me.user.username}`)).html;
    expect(order(visitor, ["An old favourite thought", "The newest plain post"])).toEqual([
      "An old favourite thought",
      "The newest plain post",
    ]);

    const replies = (await getPage(`/${me.user.username}?tab=replies`, me.cookie)).html;
    expect(order(replies, ["The newest plain post", "A reply to somebody", "An old favourite thought"])).toEqual([
      "The newest plain post",
      "A reply to somebody",
      "An old favourite thought",
    ]);
    expect(replies).not.toContain("Pinned</p>");
  });

  it("keeps the tab in the older-posts link, and answers an unknown tab with 404", async () => {
    const me = await signedIn();
    for (const index of [1, 2, 3]) await makePost(ctx, me.user, { text: `Numbered post ${index}` });
    const first = (await getPage(`/${me.user.username}?tab=replies&limit=2`)).html;
    expect(first).toMatch(/href="\/tabs\d+\?tab=replies&amp;max_id=\d+&amp;limit=2"/);
    expect((await getPage(`/${me.user.username}?tab=everything`)).response.status).toBe(404);
  });
});

describe("the profile's Media tab", () => {
  it("is a grid of squares, one per post with media, each opening its post with its alt text", async () => {
    const me = await signedIn();
    const picture = await pictureBy(me.user.id, "A heron at dawn", "Grey heron standing in shallow water");
    const hidden = await pictureBy(me.user.id, "Something graphic", "Not for everyone", true);
    await makePost(ctx, me.user, { text: "Only words here" });
    const someone = await makeUser(ctx, { username: "tabs_photographer" });
    const theirs = await pictureBy(someone.id, "Their photo", "Someone else's picture");
    await reblog(asUser(me.user), me.user.id, theirs);

    const { html } = await getPage(`/${me.user.username}?tab=media`);
    const grid = html.slice(html.indexOf(`aria-label="Photos and videos by @${me.user.username}"`));
    expect(grid).toContain("grid-cols-3");
    expect(grid).toContain(`href="/${me.user.username}/status/${picture}"`);
    expect(grid).toContain('alt="Grey heron standing in shallow water"');
    expect(grid).toContain("Image: open the post");
    expect(grid).toContain(`href="/${me.user.username}/status/${hidden}"`);
    expect(grid).toContain("Sensitive media");
    expect(grid).not.toContain('alt="Not for everyone"');
    expect(html).not.toContain("Only words here");
    expect(html).not.toContain("Someone else&#x27;s picture");
  });
});

describe("the profile's Likes tab", () => {
  it("lists your likes on your own profile only: for anyone else, and for visitors, it does not exist", async () => {
    const me = await signedIn();
    const stranger = await signedIn();
    const author = await makeUser(ctx, { username: "tabs_liked" });
    const liked = await makePost(ctx, author, { text: "Worth a like" });
    await favourite(ctx, me.user.id, liked.id);

    const own = await getPage(`/${me.user.username}?tab=likes`, me.cookie);
    expect(own.response.status).toBe(200);
    expect(own.html).toContain("Worth a like");
    expect(own.html).toContain("Only you can see what you liked.");
    expect((await getPage(`/${me.user.username}`, me.cookie)).html).toContain(`href="/${me.user.username}?tab=likes"`);

    const theirs = await getPage(`/${me.user.username}?tab=likes`, stranger.cookie);
    expect(theirs.response.status).toBe(404);
    expect(theirs.html).not.toContain("Worth a like");
    expect((await getPage(`/${me.user.username}?tab=likes`)).response.status).toBe(404);
    expect((await getPage(`/${me.user.username}`, stranger.cookie)).html).not.toContain("?tab=likes");
  });
});

describe("pinning from the post menu", () => {
  it("pins and unpins with a plain form, and refuses a sixth pin with a clear message", async () => {
    const me = await signedIn();
    const made = [];
    for (const index of [1, 2, 3, 4, 5, 6]) made.push(await makePost(ctx, me.user, { text: `Pinnable ${index}` }));
    const back = `/${me.user.username}`;
    const menu = (await getPage(back, me.cookie)).html;
    expect(menu).toContain('value="pin"');
    expect(menu).toContain("Pin to your profile");

    for (const post of made.slice(0, 5)) {
      const response = await postForm("/resources/engage", { intent: "pin", postId: post.id, redirectTo: back }, { cookie: me.cookie });
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toBe(back);
    }
    const refused = await postForm("/resources/engage", { intent: "pin", postId: made[5]!.id, redirectTo: back }, { cookie: me.cookie });
    const shown = await getPage(back, `${me.cookie}; ${cookieFrom(refused, "perch_toast")}`);
    expect(shown.html).toContain("You can pin at most 5 posts: unpin one first");
    expect(shown.html.match(/Pinned<\/p>/g)).toHaveLength(5);
    expect(shown.html).toContain("Unpin from your profile");

    await postForm("/resources/engage", { intent: "unpin", postId: made[0]!.id, redirectTo: back }, { cookie: me.cookie });
    await postForm("/resources/engage", { intent: "pin", postId: made[5]!.id, redirectTo: back }, { cookie: me.cookie });
    const after = (await getPage(back, me.cookie)).html;
    expect(after.match(/Pinned<\/p>/g)).toHaveLength(5);
    expect(order(after, ["Pinnable 6", "Pinnable 1"])).toEqual(["Pinnable 6", "Pinnable 1"]);
  });

  it("refuses to pin someone else's post, a repost, or a direct post", async () => {
    const me = await signedIn();
    const other = await makeUser(ctx, { username: "tabs_pin_other" });
    const theirs = await makePost(ctx, other, { text: "Not yours to pin" });
    const repost = (await reblog(asUser(me.user), me.user.id, theirs.id)).reblog;
    const direct = await makePost(ctx, me.user, { text: `@${other.username} just us`, visibility: "direct" });
    const tryPin = (postId: string) => pin(asUser(me.user), me.user.id, postId, true);
    await expect(tryPin(theirs.id)).rejects.toThrow("You can only pin your own posts");
    await expect(tryPin(repost.id)).rejects.toThrow("A repost cannot be pinned");
    await expect(tryPin(direct.id)).rejects.toThrow("Direct posts cannot be pinned");
  });

  it("holds the limit when pins arrive at once, and pinning a pinned post again changes nothing", async () => {
    const me = await signedIn();
    const made = [];
    for (const index of [1, 2, 3, 4, 5, 6, 7, 8]) made.push(await makePost(ctx, me.user, { text: `Racing ${index}` }));
    const results = await Promise.allSettled(made.map((post) => pin(asUser(me.user), me.user.id, post.id, true)));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(5);
    const pinned = made.filter((_, index) => results[index]!.status === "fulfilled");
    await expect(pin(asUser(me.user), me.user.id, pinned[0]!.id, true)).resolves.toBeTruthy();
    const token = await tokenFor(me.user.id, ["read"]);
    const { body } = await callApi(`/api/v1/accounts/${me.user.id}/statuses?pinned=true`, token);
    expect((body as unknown[]).length).toBe(5);
  });
});
