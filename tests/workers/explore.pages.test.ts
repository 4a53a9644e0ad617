import { describe, expect, it } from "vitest";
import { identiconPng } from "#db/seed/artwork.ts";
import { makeFollow, makePost, makeUser } from "#db/seed/factories.ts";
import { actingAs } from "#domain/context.ts";
import { block, mute } from "#domain/graph/blocks.ts";
import { moderate } from "#domain/moderation/actions.ts";
import { favourite } from "#domain/posts/engagement.ts";
import { suggestionsFor } from "#domain/recommendations/suggestions.ts";
import { popularMediaPosts } from "#domain/trends/popular-media.ts";
import { refreshTrends } from "#domain/trends/refresh.ts";
import { callApi, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

/** /explore (trends, who to follow, popular pictures) without JavaScript, and Mastodon's suggestions API. */
const ctx = testDomain();
const PASSWORD = "a long enough password";

async function pictureBy(userId: string, text: string): Promise<string> {
  const token = await tokenFor(userId, ["read", "write"]);
  const form = new FormData();
  form.set("file", new File([(await identiconPng(text, 32)) as Uint8Array<ArrayBuffer>], "shot.png"));
  form.set("description", `A picture: ${text}`);
  const upload = await callApi("/api/v2/media", token, { method: "POST", body: form });
  expect(upload.response.status).toBe(200);
  const body = JSON.stringify({ status: text, media_ids: [upload.body.id] });
  const posted = await callApi("/api/v1/statuses", token, { method: "POST", body, headers: { "Content-Type": "application/json" } });
  expect(posted.response.status).toBe(200);
  return posted.body.id as string;
}

describe("who to follow", () => {
  it("suggests whom your follows follow, never those you follow, block, are blocked by, mute or dismissed", async () => {
    const me = await makeUser(ctx, { username: "sugg_me" });
    const friend = await makeUser(ctx, { username: "sugg_friend" });
    const names = ["sugg_a", "sugg_b", "sugg_blocked", "sugg_blocker", "sugg_muted", "sugg_dismissed", "sugg_followed", "sugg_limited"];
    const made = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await makeUser(ctx, { username: name })] as const)));
    await makeFollow(ctx, me, friend);
    for (const user of Object.values(made)) await makeFollow(ctx, friend, user);
    await makeFollow(ctx, made.sugg_b!, made.sugg_a!);
    await makeFollow(ctx, me, made.sugg_b!);
    await makeFollow(ctx, me, made.sugg_followed!);
    await block(ctx, me.id, made.sugg_blocked!.id);
    await block(ctx, made.sugg_blocker!.id, me.id);
    await mute(ctx, me.id, made.sugg_muted!.id);
    const moderator = await makeUser(ctx, { username: "sugg_moderator", role: "admin" });
    await moderate(actingAs(ctx, moderator), { command: "limit", accountId: made.sugg_limited!.id, reason: "Follow spam" });
    const token = await tokenFor(me.id, ["read"]);
    expect((await callApi(`/api/v1/suggestions/${made.sugg_dismissed!.id}`, token, { method: "DELETE" })).response.status).toBe(200);

    const graph = (await suggestionsFor(ctx, me.id, 40)).filter((item) => item.sources.includes("friends_of_friends"));
    // sugg_a is followed by two people I follow (friend and sugg_b), so it comes first.
    expect(graph.map((item) => item.account.username)).toEqual(["sugg_a"]);
    const { response, body } = await callApi("/api/v2/suggestions?limit=80", token);
    expect(response.status).toBe(200);
    const usernames = body.map((item: { account: { username: string } }) => item.account.username);
    expect(body[0]).toMatchObject({ source: "past_interactions", sources: ["friends_of_friends"], account: { username: "sugg_a" } });
    for (const left of [
      "sugg_me",
      "sugg_friend",
      "sugg_b",
      "sugg_blocked",
      "sugg_blocker",
      "sugg_muted",
      "sugg_dismissed",
      "sugg_followed",
      "sugg_limited",
    ]) {
      expect(usernames, left).not.toContain(left);
    }
    expect((await callApi("/api/v1/suggestions/999999999999999999", token, { method: "DELETE" })).response.status).toBe(404);
    expect((await callApi("/api/v2/suggestions?limit=0", token)).response.status).toBe(400);
    expect((await callApi("/api/v2/suggestions", null)).response.status).toBe(401);
  });
});

describe("the /explore page", () => {
  it("shows trending hashtags with a sparkline and its words, trending posts, links and a grid of popular pictures to visitors", async () => {
    const people = [];
    for (let i = 0; i < 4; i += 1) people.push(await makeUser(ctx, { username: `explorer${i}` }));
    for (const person of people) await makePost(ctx, person, { text: `Out today #explorebirds ${person.username}` });
    const popular = await makePost(ctx, people[0]!, { text: "Everyone likes this explore post" });
    for (const person of people.slice(1)) await favourite(ctx, person.id, popular.id);
    const picture = await pictureBy(people[1]!.id, "A heron at dawn");
    await refreshTrends(ctx);

    const { response, html } = await getPage("/explore");
    expect(response.status).toBe(200);
    expect(html).toContain('href="/tags/explorebirds"');
    expect(html).toMatch(/<svg[^>]*aria-hidden="true"[^>]*><polyline/);
    expect(html).toContain("4 people today, 4 posts this week");
    expect(html).toContain("Everyone likes this explore post");
    expect(html).toContain(`href="/explorer1/status/${picture}"`);
    expect(html).toContain("A picture: A heron at dawn");
    // A visitor sees suggestions but no follow buttons.
    expect(html).toContain("Who to follow");
    expect(html).not.toContain('name="intent" value="follow"');
  });

  it("tops the picture grid up with older popular pictures when the week has too few", async () => {
    const author = await makeUser(ctx, { username: "explore_archivist" });
    const picture = await pictureBy(author.id, "An old kingfisher picture");
    const aMonthOn = Date.now() + 30 * 24 * 60 * 60 * 1000;
    const grid = await popularMediaPosts(ctx, null, 12, aMonthOn);
    expect(grid.map((shown) => shown.post.id)).toContain(picture);
  });

  it("follows and dismisses from who to follow with plain forms", async () => {
    const me = await makeUser(ctx, { username: "explore_me", password: PASSWORD });
    const friend = await makeUser(ctx, { username: "explore_friend" });
    const target = await makeUser(ctx, { username: "explore_target", displayName: "Explore Target" });
    const other = await makeUser(ctx, { username: "explore_other", displayName: "Explore Other" });
    await makeFollow(ctx, me, friend);
    await makeFollow(ctx, friend, target);
    await makeFollow(ctx, friend, other);
    const cookie = sessionOf(await postForm("/login", { identifier: me.username, password: PASSWORD }, { ip: "192.0.2.77" }));

    const before = await getPage("/explore", cookie);
    expect(before.html).toContain("Explore Target");
    expect(before.html).toMatch(/Follow<span class="sr-only"> @explore_target<\/span>/);
    const followed = await postForm("/explore", { intent: "follow", accountId: target.id }, { cookie });
    expect(followed.status).toBe(200);
    await postForm("/explore", { intent: "dismiss", accountId: other.id }, { cookie });
    const after = await getPage("/explore", cookie);
    expect(after.html).not.toContain("@explore_target");
    expect(after.html).not.toContain("@explore_other");
    const relationship = await callApi(`/api/v1/accounts/relationships?id[]=${target.id}`, await tokenFor(me.id, ["read"]));
    expect(relationship.body[0].following).toBe(true);
    const refused = await postForm("/explore", { intent: "follow", accountId: "nobody" }, { cookie });
    expect(refused.status).toBe(404);
  });

  it("is in the navigation", async () => {
    expect((await getPage("/")).html).toContain('href="/explore"');
  });
});
