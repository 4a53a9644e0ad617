import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { identiconPng } from "#db/seed/artwork.ts";
import { makeFollow, makePost, makeUser } from "#db/seed/factories.ts";
import { actingAs } from "#domain/context.ts";
import { block, mute } from "#domain/graph/blocks.ts";
import { moderate } from "#domain/moderation/actions.ts";
import { favourite } from "#domain/posts/engagement.ts";
import { forYouTimeline } from "#domain/ranking/for-you.ts";
import { interestOf } from "#domain/recommendations/interests.ts";
import { mediaGridFor } from "#domain/recommendations/similar-posts.ts";
import { suggestionsFor } from "#domain/recommendations/suggestions.ts";
import { postVector } from "#domain/recommendations/vectors.ts";
import { popularMediaPosts } from "#domain/trends/popular-media.ts";
import { EMBEDDING_DIMENSIONS } from "#workers/vector/embedder.ts";
import { featuresOf, hashText } from "#workers/vector/hashing-embedder.ts";
import { localVectorIndex } from "#workers/vector/local-vector-index.ts";
import { asUser, callApi, deliverEvents, eventually, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

/** Recommendations on the VectorIndex port (ADR 0039): the local embedder, embedding by queue, interests and their uses. */
const ctx = testDomain();
const PASSWORD = "a long enough password";

const dot = (a: number[], b: number[]) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

const BIRDS = "Spotted a kingfisher by the river this morning, then a heron. #birds #birdwatching";
const BIRDS_TOO = "A heron and two kingfishers on the river at dawn. Best birdwatching all year #birds";
const COOKING = "Kimchi jjigae tonight: gochujang, tofu, pork belly and a lot of garlic #recipe";
// Each test has its own subject, so that posts of other tests in this file are never the nearest; and no two accounts
// post the same text, which moderation would hold as copied spam.
const CYCLING = "Gravel ride over the mountain pass today, the new tyres held up great #cycling #gravel";
const CYCLING_TOO = "Which gravel tyres for a mountain pass? Mine held up on today's long climb #cycling";
const ASTRONOMY = "Saturn and its rings through the telescope tonight, clear skies over the observatory #astronomy";
const ASTRONOMY_TOO = "Clear skies again: Jupiter's moons and Saturn's rings in the small telescope #astronomy";
const POTTERY = "Threw six bowls on the wheel today, glazing them celadon next week #pottery #ceramics";
const POTTERY_TOO = "Celadon glaze on wheel-thrown bowls, fresh out of the kiln #ceramics #pottery";

describe("the local embedder and the local index", () => {
  it("gives the same unit vector of the index's size for the same text, and finds a constructed nearest neighbour", async () => {
    const vector = hashText(BIRDS);
    expect(vector).toHaveLength(EMBEDDING_DIMENSIONS);
    expect(hashText(BIRDS)).toEqual(vector);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 6);
    // Words and hashtags are features; links, @mentions and stop words are not.
    expect([...featuresOf("The #Birds at https://example.com with @kofi by the river").keys()].sort()).toEqual([
      "#birds",
      "birds",
      "river",
    ]);

    const index = localVectorIndex(env, "recommendations-test");
    const texts = {
      birds: BIRDS_TOO,
      cooking: COOKING,
      running: "Ran 12 km along the ridge this morning, legs are gone #running",
      code: "Shipped a tiny javascript library for parsing dates #javascript",
    };
    await index.upsert(Object.entries(texts).map(([id, text]) => ({ id, values: hashText(text) })));
    const [nearest, next] = await index.query(hashText(BIRDS), { topK: 4 });
    expect(nearest!.id).toBe("birds");
    expect(nearest!.score).toBeGreaterThan(0.4);
    expect(next!.score).toBeLessThan(nearest!.score / 2);
  });
});

describe("embedding through the real queue", () => {
  it("embeds a post after it is created and again after an edit, and forgets it when it is deleted", async () => {
    const author = await makeUser(ctx, { username: "emb_author" });
    const token = await tokenFor(author.id);
    const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });
    const created = await callApi("/api/v1/statuses", token, { method: "POST", ...json({ status: BIRDS }) });
    expect(created.response.status).toBe(200);
    const id = created.body.id as string;
    await eventually(async () => expect(await postVector(ctx, id)).toEqual(hashText(BIRDS).map((value) => Math.fround(value))));

    const edited = await callApi(`/api/v1/statuses/${id}`, token, { method: "PUT", ...json({ status: COOKING }) });
    expect(edited.response.status).toBe(200);
    await eventually(async () => expect(await postVector(ctx, id)).toEqual(hashText(COOKING).map((value) => Math.fround(value))));

    expect((await callApi(`/api/v1/statuses/${id}`, token, { method: "DELETE" })).response.status).toBe(200);
    await eventually(async () => expect(await postVector(ctx, id)).toBeNull());
  });

  it("keeps a like, and the opening of a post's page, in the reader's interest vector", async () => {
    const author = await makeUser(ctx, { username: "emb_liked" });
    const reader = await makeUser(ctx, { username: "emb_reader", password: PASSWORD });
    const post = await makePost(ctx, author, { text: BIRDS });
    const other = await makePost(ctx, author, { text: COOKING });
    await deliverEvents();
    const token = await tokenFor(reader.id);
    expect((await callApi(`/api/v1/statuses/${post.id}/favourite`, token, { method: "POST" })).response.status).toBe(200);
    await eventually(async () => expect(dot((await interestOf(ctx, reader.id))!, hashText(BIRDS))).toBeCloseTo(1, 5));

    // Opening the cooking post's page moves the interest towards it, less than a like would.
    const session = sessionOf(await postForm("/login", { identifier: "emb_reader", password: PASSWORD }, { ip: "192.0.2.91" }));
    expect((await getPage(`/emb_liked/status/${other.id}`, session)).response.status).toBe(200);
    await eventually(async () => expect(dot((await interestOf(ctx, reader.id))!, hashText(COOKING))).toBeGreaterThan(0.1));
    const interest = (await interestOf(ctx, reader.id))!;
    expect(dot(interest, hashText(BIRDS))).toBeGreaterThan(dot(interest, hashText(COOKING)));

    expect((await callApi(`/api/v1/statuses/${post.id}/unfavourite`, token, { method: "POST" })).response.status).toBe(200);
    await eventually(async () => expect(dot((await interestOf(ctx, reader.id))!, hashText(COOKING))).toBeCloseTo(1, 5));
  });
});

describe("more like this", () => {
  it("lists public posts like one you may see, never a private post, a blocked author's, or the post itself", async () => {
    const [author, alike, privateAuthor, blocked, viewer, stranger] = await Promise.all(
      ["sim_author", "sim_alike", "sim_private", "sim_blocked", "sim_viewer", "sim_stranger"].map((username) =>
        makeUser(ctx, { username }),
      ),
    );
    const source = await makePost(ctx, author!, { text: CYCLING });
    const similar = await makePost(ctx, alike!, { text: CYCLING_TOO });
    const unrelated = await makePost(ctx, alike!, { text: COOKING });
    const followersOnly = await makePost(ctx, privateAuthor!, { text: `${CYCLING_TOO} (for my followers)`, visibility: "private" });
    const unlisted = await makePost(ctx, privateAuthor!, { text: `${CYCLING_TOO} unlisted`, visibility: "unlisted" });
    const byBlocked = await makePost(ctx, blocked!, { text: `${CYCLING_TOO} again` });
    await makeFollow(ctx, viewer!, privateAuthor!);
    await block(ctx, viewer!.id, blocked!.id);
    await deliverEvents();

    const token = await tokenFor(viewer!.id, ["read"]);
    const { response, body } = await callApi(`/api/v1/perch/statuses/${source.id}/similar?limit=20`, token);
    expect(response.status).toBe(200);
    const ids = body.map((status: { id: string }) => status.id);
    expect(ids[0]).toBe(similar.id);
    expect(ids).not.toContain(source.id);
    // The viewer follows the private author and may read both posts, but neither is for discovery.
    for (const hidden of [followersOnly.id, unlisted.id, byBlocked.id]) expect(ids).not.toContain(hidden);
    // Below the similarity floor a post is not "like this" at all.
    expect(ids).not.toContain(unrelated.id);

    // A post the viewer may not see is not found, and nothing about it leaks.
    const strangerToken = await tokenFor(stranger!.id, ["read"]);
    const refused = await callApi(`/api/v1/perch/statuses/${followersOnly.id}/similar`, strangerToken);
    expect(refused.response.status).toBe(404);
    expect((await callApi(`/api/v1/perch/statuses/${followersOnly.id}/similar`, null)).response.status).toBe(404);
    expect((await callApi(`/api/v1/perch/statuses/${source.id}/similar?limit=0`, null)).response.status).toBe(400);

    const page = await getPage(`/sim_author/status/${source.id}`);
    expect(page.html).toContain("More like this");
    expect(page.html).toContain(`/sim_alike/status/${similar.id}`);
    expect(page.html).not.toContain(followersOnly.id);
  });
});

describe("recommendations from interests", () => {
  it("suggests accounts close to your interests, never blocked, blocking, muted, dismissed, followed or limited ones", async () => {
    const me = await makeUser(ctx, { username: "int_me" });
    const liked = await makeUser(ctx, { username: "int_liked" });
    const names = ["int_close", "int_blocked", "int_blocker", "int_muted", "int_dismissed", "int_followed", "int_limited", "int_cook"];
    const made = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await makeUser(ctx, { username: name })] as const)));
    const likedPost = await makePost(ctx, liked, { text: ASTRONOMY });
    for (const name of names)
      await makePost(ctx, made[name]!, { text: name === "int_cook" ? `${COOKING}, again` : `${ASTRONOMY_TOO} (${name.slice(4)})` });
    await deliverEvents();
    await favourite(asUser(me), me.id, likedPost.id);
    await makeFollow(ctx, me, liked);
    await makeFollow(ctx, me, made.int_followed!);
    await block(ctx, me.id, made.int_blocked!.id);
    await block(ctx, made.int_blocker!.id, me.id);
    await mute(ctx, me.id, made.int_muted!.id);
    const moderator = await makeUser(ctx, { username: "int_moderator", role: "admin" });
    await moderate(actingAs(ctx, moderator), { command: "limit", accountId: made.int_limited!.id, reason: "Spam" });
    await deliverEvents();
    expect(await interestOf(ctx, me.id)).not.toBeNull();

    const token = await tokenFor(me.id, ["read"]);
    expect((await callApi(`/api/v1/suggestions/${made.int_dismissed!.id}`, token, { method: "DELETE" })).response.status).toBe(200);
    const similar = (await suggestionsFor(ctx, me.id, 40)).filter((item) => item.sources.includes("similar_to_recently_followed"));
    expect(similar[0]?.account.username).toBe("int_close");

    const { response, body } = await callApi("/api/v2/suggestions?limit=80", token);
    expect(response.status).toBe(200);
    const found = new Map(body.map((item: { account: { username: string }; sources: string[] }) => [item.account.username, item]));
    expect(found.get("int_close")).toMatchObject({ source: "past_interactions", sources: ["similar_to_recently_followed"] });
    for (const left of ["int_me", "int_liked", "int_blocked", "int_blocker", "int_muted", "int_dismissed", "int_followed", "int_limited"]) {
      expect(found.has(left), `${left} is not suggested`).toBe(false);
    }
    // Dismissing sticks: the next interest refresh does not bring it back.
    await favourite(asUser(me), me.id, (await makePost(ctx, made.int_dismissed!, { text: `${ASTRONOMY} again` })).id);
    await deliverEvents();
    const again = await callApi("/api/v2/suggestions?limit=80", token);
    expect(again.body.map((item: { account: { username: string } }) => item.account.username)).not.toContain("int_dismissed");
  });

  it("offers recent public posts close to your interests in the For-you feed, saying why", async () => {
    const me = await makeUser(ctx, { username: "fy_me" });
    const author = await makeUser(ctx, { username: "fy_author" });
    const stranger = await makeUser(ctx, { username: "fy_stranger" });
    const liked = await makePost(ctx, author, { text: POTTERY });
    await deliverEvents();
    await favourite(asUser(me), me.id, liked.id);
    const alike = await makePost(ctx, stranger, { text: POTTERY_TOO });
    const unrelated = await makePost(ctx, stranger, { text: `${COOKING}, with rice` });
    await deliverEvents();

    const feed = await forYouTimeline(ctx, me.id, { limit: 20 });
    const entry = feed.items.find((item) => item.post.post.id === alike.id);
    expect(entry?.reason).toBe("similar_interests");
    expect(feed.items.some((item) => item.post.post.id === unrelated.id)).toBe(false);
  });
  it("leads the explore grid with pictures close to a signed-in viewer's interests; visitors get the popular grid", async () => {
    const me = await makeUser(ctx, { username: "grid_me" });
    const photographer = await makeUser(ctx, { username: "grid_photographer" });
    const liked = await makePost(ctx, photographer, { text: "Lighthouse at low tide, long exposure from the harbour wall #seascape" });
    await deliverEvents();
    await favourite(asUser(me), me.id, liked.id);
    await deliverEvents();
    const token = await tokenFor(photographer.id, ["read", "write"]);
    const picture = async (text: string) => {
      const form = new FormData();
      form.set("file", new File([(await identiconPng(text, 32)) as Uint8Array<ArrayBuffer>], "shot.png"));
      form.set("description", text);
      const upload = await callApi("/api/v2/media", token, { method: "POST", body: form });
      const body = JSON.stringify({ status: text, media_ids: [upload.body.id] });
      return (await callApi("/api/v1/statuses", token, { method: "POST", body, headers: { "Content-Type": "application/json" } })).body
        .id as string;
    };
    const seascape = await picture("Harbour lighthouse at low tide again, the long exposure smooths the sea #seascape");
    const other = await picture("Latte art practice, a wonky rosetta this morning #coffee");
    await eventually(async () => expect(await postVector(ctx, seascape)).not.toBeNull());
    await eventually(async () => expect(await postVector(ctx, other)).not.toBeNull());

    const grid = await mediaGridFor(ctx, me.id, 12);
    expect(grid[0]?.post.id).toBe(seascape);
    const forVisitors = await mediaGridFor(ctx, null, 12);
    expect(forVisitors.map((post) => post.post.id).sort()).toEqual(
      (await popularMediaPosts(ctx, null, 12)).map((post) => post.post.id).sort(),
    );
  });
});
