import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { notifications, storyItems } from "#db/schema/index.ts";
import { identiconPng } from "#db/seed/artwork.ts";
import { makeFollow, makeUser } from "#db/seed/factories.ts";
import { block } from "#domain/graph/blocks.ts";
import { updatePrivacy } from "#domain/profiles/settings.ts";
import { expireStories } from "#domain/stories/expiry.ts";
import { storyLimits } from "#domain/stories/limits.ts";
import { mp4Header, mp4OfLength } from "#tests/fixtures/media.ts";
import { callApi, deliverEvents, eventually, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let count = 0;

async function person() {
  count += 1;
  const user = await makeUser(ctx, { username: `storyteller${count}` });
  return { ...user, token: await tokenFor(user.id, ["read", "write", "follow"]) };
}

type Person = Awaited<ReturnType<typeof person>>;

const send = (path: string, token: string, body: Record<string, unknown> = {}, method = "POST") =>
  callApi(path, token, { method, body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });

async function upload(token: string, bytes: Uint8Array): Promise<string> {
  const form = new FormData();
  form.set("file", new File([bytes as Uint8Array<ArrayBuffer>], "story.bin"));
  const answer = await callApi("/api/v2/media", token, { method: "POST", body: form });
  expect(answer.response.status).toBe(200);
  return answer.body.id;
}

/** Posts one picture to the author's story with the fields given; returns the API's answer. */
async function postStory(author: Person, fields: Record<string, unknown> = {}) {
  const mediaId = await upload(author.token, await identiconPng(`story ${count}`, 64));
  return send("/api/v1/perch/stories", author.token, { media_ids: [mediaId], ...fields });
}

async function storyItem(author: Person, fields: Record<string, unknown> = {}): Promise<string> {
  const answer = await postStory(author, fields);
  expect(answer.response.status).toBe(200);
  return answer.body[0].id;
}

const trayOf = async (viewer: Person) =>
  (await callApi("/api/v1/perch/stories/tray", viewer.token)).body as {
    account: { id: string };
    unseen: boolean;
    close_friends: boolean;
  }[];
const itemStatus = async (viewer: Person, itemId: string) =>
  (await callApi(`/api/v1/perch/stories/${itemId}`, viewer.token)).response.status;

const objectExists = async (key: string) => (await env.MEDIA.head(key)) !== null;

describe("posting a story", () => {
  it("keeps a picture with its overlay and stickers, live for 24 hours", async () => {
    const author = await person();
    const answer = await postStory(author, {
      overlay_text: "Good morning",
      overlay_position: "top",
      overlay_colour: "yellow",
      link_url: "https://example.com/news",
      alt_text: "A purple pattern",
      poll_question: "Tea or coffee?",
      poll_options: ["Tea", "Coffee"],
    });
    expect(answer.response.status).toBe(200);
    const [item] = answer.body;
    expect(item).toMatchObject({
      overlay: { text: "Good morning", position: "top", colour: "yellow" },
      link: "https://example.com/news",
      alt_text: "A purple pattern",
      audience: "everyone",
      media: { type: "image", content_type: "image/webp" },
      poll: { question: "Tea or coffee?", options: [{ title: "Tea" }, { title: "Coffee" }] },
    });
    expect(Date.parse(item.expires_at) - Date.parse(item.created_at)).toBe(storyLimits.lifetimeMs);
    expect(await objectExists(new URL(item.media.url).pathname.slice("/media/".length))).toBe(true);
  });

  it("refuses an overlay colour outside the palette and a poll on several items", async () => {
    const author = await person();
    expect((await postStory(author, { overlay_text: "Hi", overlay_colour: "mauve" })).response.status).toBe(422);
    const two = [await upload(author.token, await identiconPng("a", 32)), await upload(author.token, await identiconPng("b", 32))];
    const refused = await send("/api/v1/perch/stories", author.token, { media_ids: two, poll_options: ["Yes", "No"] });
    expect(refused.response.status).toBe(422);
    expect(refused.body.error).toMatch(/single item/);
  });

  it("keeps a short video as uploaded, and refuses a long (413) or unreadable one (415) with the limits", async () => {
    const author = await person();
    const short = await send("/api/v1/perch/stories", author.token, { media_ids: [await upload(author.token, mp4OfLength(12))] });
    expect(short.response.status).toBe(200);
    expect(short.body[0].media).toMatchObject({ type: "video", content_type: "video/mp4", duration_ms: 12_000 });

    const long = await send("/api/v1/perch/stories", author.token, { media_ids: [await upload(author.token, mp4OfLength(61))] });
    expect(long.response.status).toBe(413);
    expect(long.body.error).toBe("Story videos can be at most 15 MB and 60 seconds long");

    const big = new Uint8Array(storyLimits.videoBytes + 1);
    big.set(mp4OfLength(5));
    const large = await send("/api/v1/perch/stories", author.token, { media_ids: [await upload(author.token, big)] });
    expect(large.response.status).toBe(413);

    const unreadable = await send("/api/v1/perch/stories", author.token, { media_ids: [await upload(author.token, mp4Header())] });
    expect(unreadable.response.status).toBe(415);
    expect(unreadable.body.error).toMatch(/60 seconds/);
  });
});

describe("audiences", () => {
  it("shows close-friends items to close friends only, ringed green in their tray", async () => {
    const author = await person();
    const [friend, follower] = [await person(), await person()];
    await makeFollow(ctx, friend, author);
    await makeFollow(ctx, follower, author);
    expect((await send(`/api/v1/perch/close_friends/${friend.id}`, author.token, {}, "PUT")).response.status).toBe(200);
    const itemId = await storyItem(author, { audience: "close_friends" });

    expect(await trayOf(friend)).toEqual([
      expect.objectContaining({ account: expect.objectContaining({ id: author.id }), unseen: true, close_friends: true }),
    ]);
    expect(await trayOf(follower)).toEqual([]);
    expect(await itemStatus(friend, itemId)).toBe(200);
    expect(await itemStatus(follower, itemId)).toBe(404);
    expect((await callApi(`/api/v1/perch/accounts/${author.id}/stories`, follower.token)).body).toEqual([]);
    // The list is the owner's alone.
    expect((await callApi("/api/v1/perch/close_friends", author.token)).body.map((account: { id: string }) => account.id)).toEqual([
      friend.id,
    ]);
    expect((await callApi("/api/v1/perch/close_friends", friend.token)).body).toEqual([]);
  });

  it("shows followers-only items to followers, and everyone items to whoever may see the profile", async () => {
    const author = await person();
    const [follower, stranger] = [await person(), await person()];
    await makeFollow(ctx, follower, author);
    const forFollowers = await storyItem(author, { audience: "followers" });
    const forEveryone = await storyItem(author);
    expect(await itemStatus(follower, forFollowers)).toBe(200);
    expect(await itemStatus(stranger, forFollowers)).toBe(404);
    expect(await itemStatus(stranger, forEveryone)).toBe(200);
    await updatePrivacy(ctx, author.id, { profileVisibility: "followers" });
    expect(await itemStatus(stranger, forEveryone)).toBe(404);
  });

  it("hides the story from people on the hidden list and from blocks either way", async () => {
    const author = await person();
    const [hidden, blocker, blocked] = [await person(), await person(), await person()];
    for (const viewer of [hidden, blocker, blocked]) await makeFollow(ctx, viewer, author);
    await send(`/api/v1/perch/story_hidden_from/${hidden.id}`, author.token, {}, "PUT");
    const itemId = await storyItem(author);
    await block(ctx, blocker.id, author.id);
    await block(ctx, author.id, blocked.id);
    for (const viewer of [hidden, blocker, blocked]) {
      expect(await itemStatus(viewer, itemId)).toBe(404);
      expect(await trayOf(viewer)).toEqual([]);
    }
    expect((await callApi(`/api/v1/perch/accounts/${author.id}/stories`, blocked.token)).response.status).toBe(404);
  });

  it("leaves a muted account out of the tray while its story stays readable", async () => {
    const author = await person();
    const viewer = await person();
    await makeFollow(ctx, viewer, author);
    const itemId = await storyItem(author);
    expect(await trayOf(viewer)).toHaveLength(1);
    await send(`/api/v1/perch/story_mutes/${author.id}`, viewer.token, {}, "PUT");
    expect(await trayOf(viewer)).toEqual([]);
    expect(await itemStatus(viewer, itemId)).toBe(200);
  });
});

describe("views, viewers and polls", () => {
  it("counts a view once however often it is sent, orders the tray unseen first, and shows viewers to the author only", async () => {
    const [seenAuthor, unseenAuthor] = [await person(), await person()];
    const viewer = await person();
    const other = await person();
    await makeFollow(ctx, viewer, seenAuthor);
    await makeFollow(ctx, viewer, unseenAuthor);
    const seenItem = await storyItem(seenAuthor);
    await storyItem(unseenAuthor);
    await storyItem(viewer);
    for (let time = 0; time < 3; time += 1)
      expect((await send(`/api/v1/perch/stories/${seenItem}/view`, viewer.token)).response.status).toBe(200);

    const tray = await trayOf(viewer);
    expect(tray.map((entry) => [entry.account.id, entry.unseen])).toEqual([
      [viewer.id, false],
      [unseenAuthor.id, true],
      [seenAuthor.id, false],
    ]);
    const viewers = await callApi(`/api/v1/perch/stories/${seenItem}/viewers`, seenAuthor.token);
    expect(viewers.body.map((row: { account: { id: string } }) => row.account.id)).toEqual([viewer.id]);
    expect((await callApi(`/api/v1/perch/stories/${seenItem}/viewers`, viewer.token)).response.status).toBe(404);
    expect((await callApi(`/api/v1/perch/stories/${seenItem}/viewers`, other.token)).response.status).toBe(404);
  });

  it("takes one vote per viewer and gives the results to the author only", async () => {
    const author = await person();
    const [first, second] = [await person(), await person()];
    const itemId = await storyItem(author, { poll_options: ["Yes", "No"] });
    const vote = await send(`/api/v1/perch/stories/${itemId}/poll_vote`, first.token, { choice: 1 });
    expect(vote.response.status).toBe(200);
    expect(vote.body.poll).toMatchObject({ own_vote: 1, options: [{ votes_count: null }, { votes_count: null }] });
    expect((await send(`/api/v1/perch/stories/${itemId}/poll_vote`, first.token, { choice: 0 })).response.status).toBe(409);
    await send(`/api/v1/perch/stories/${itemId}/poll_vote`, second.token, { choice: 1 });
    const mine = await callApi(`/api/v1/perch/stories/${itemId}`, author.token);
    expect(mine.body.poll.options.map((option: { votes_count: number }) => option.votes_count)).toEqual([0, 2]);
    expect((await send(`/api/v1/perch/stories/${itemId}/poll_vote`, author.token, { choice: 0 })).response.status).toBe(422);
  });
});

describe("notifications", () => {
  it("tells the mentioned person, who may re-share the item to their own story", async () => {
    const author = await person();
    const mentioned = await person();
    const itemId = await storyItem(author, { mention: `@${mentioned.username}` });
    const [told] = await eventually(async () => {
      const rows = await ctx.db.select().from(notifications).where(eq(notifications.userId, mentioned.id));
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(told).toMatchObject({ type: "story_mention", fromUserId: author.id, storyItemId: itemId });
    const api = await callApi("/api/v1/notifications", mentioned.token);
    expect(api.body[0]).toMatchObject({ type: "story_mention", account: { id: author.id } });

    const shared = await send(`/api/v1/perch/stories/${itemId}/reshare`, mentioned.token);
    expect(shared.response.status).toBe(200);
    expect(shared.body).toMatchObject({ account: { id: mentioned.id }, shared_from_id: itemId, mention: null });
    expect((await send(`/api/v1/perch/stories/${itemId}/reshare`, (await person()).token)).response.status).toBe(403);
  });

  it("sends replies and reactions to the author as direct messages quoting the item", async () => {
    const author = await person();
    const fan = await person();
    const itemId = await storyItem(author);
    expect((await send(`/api/v1/perch/stories/${itemId}/reply`, fan.token, { text: "Lovely!" })).response.status).toBe(200);
    expect((await send(`/api/v1/perch/stories/${itemId}/react`, fan.token, { emoji: "🔥" })).response.status).toBe(200);
    expect((await send(`/api/v1/perch/stories/${itemId}/react`, fan.token, { emoji: "fire" })).response.status).toBe(422);
    // The author does not follow the fan: the conversation waits in their requests, as any first message would.
    const [request] = (await callApi("/api/v1/perch/chats?folder=requests", author.token)).body;
    expect(request).toMatchObject({ kind: "direct", state: "request" });
    const sent = await eventually(async () => {
      const found = (await callApi(`/api/v1/perch/chats/${request.id}/messages`, author.token)).body;
      expect(found).toHaveLength(2);
      return found;
    });
    expect(sent.map((message: { text: string; story: { item_id: string } }) => [message.text, message.story.item_id]).sort()).toEqual([
      ["Lovely!", itemId],
      ["🔥", itemId],
    ]);
    const notified = await ctx.db.select().from(notifications).where(eq(notifications.userId, author.id));
    expect(notified).toEqual([]);
  });
});

describe("expiry", () => {
  async function expire(itemIds: string[]) {
    for (const id of itemIds)
      await ctx.db
        .update(storyItems)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(storyItems.id, id));
    await expireStories(ctx);
    await deliverEvents();
  }

  const keysOf = async (itemId: string) => {
    const item = await ctx.db.query.storyItems.findFirst({ where: eq(storyItems.id, itemId) });
    return [item!.key, item!.previewKey].filter((key): key is string => Boolean(key));
  };

  it("removes the files of an item nothing keeps, answers 410 to its author and 404 to others, and purges it after 48 hours", async () => {
    const author = await person();
    const viewer = await person();
    expect((await send("/api/v1/perch/stories/settings", author.token, { archive: false }, "PUT")).body).toEqual({ archive: false });
    const itemId = await storyItem(author);
    await send(`/api/v1/perch/stories/${itemId}/view`, viewer.token);
    const keys = await keysOf(itemId);
    expect(await objectExists(keys[0]!)).toBe(true);

    await expire([itemId]);
    for (const key of keys) expect(await objectExists(key)).toBe(false);
    expect(await itemStatus(author, itemId)).toBe(410);
    expect(await itemStatus(viewer, itemId)).toBe(404);
    expect((await send(`/api/v1/perch/stories/${itemId}/view`, viewer.token)).response.status).toBe(404);
    // The author still reads who viewed it for 48 hours.
    expect((await callApi(`/api/v1/perch/stories/${itemId}/viewers`, author.token)).body).toHaveLength(1);

    await ctx.db
      .update(storyItems)
      .set({ expiredAt: new Date(Date.now() - storyLimits.viewersAfterExpiryMs - 1000) })
      .where(eq(storyItems.id, itemId));
    await expireStories(ctx);
    expect(await ctx.db.query.storyItems.findFirst({ where: eq(storyItems.id, itemId) })).toBeUndefined();
  });

  it("keeps archived and highlighted items' files; a highlight survives expiry and is shown on the profile", async () => {
    const author = await person();
    const visitor = await person();
    const archivedId = await storyItem(author);
    const highlightedId = await storyItem(author);
    const highlight = await send("/api/v1/perch/highlights", author.token, { title: "Summer", item_ids: [highlightedId] });
    expect(highlight.response.status).toBe(200);
    await send("/api/v1/perch/stories/settings", author.token, { archive: false }, "PUT");
    await ctx.db.update(storyItems).set({ archived: false }).where(eq(storyItems.authorId, author.id));
    await send("/api/v1/perch/stories/settings", author.token, { archive: true }, "PUT");

    await expire([archivedId, highlightedId]);
    for (const key of [...(await keysOf(archivedId)), ...(await keysOf(highlightedId))]) expect(await objectExists(key)).toBe(true);
    const archive = await callApi("/api/v1/perch/stories/archive", author.token);
    expect(archive.body.map((item: { id: string }) => item.id).sort()).toEqual([archivedId, highlightedId].sort());

    const onProfile = await callApi(`/api/v1/perch/accounts/${author.id}/highlights`, visitor.token);
    expect(onProfile.body).toEqual([expect.objectContaining({ title: "Summer", items_count: 1, cover_item_id: highlightedId })]);
    const opened = await callApi(`/api/v1/perch/highlights/${highlight.body.id}`, visitor.token);
    expect(opened.body.items.map((item: { id: string }) => item.id)).toEqual([highlightedId]);

    // Turning the archive off lets go of what only the archive kept; the highlight keeps its item.
    await send("/api/v1/perch/stories/settings", author.token, { archive: false }, "PUT");
    await expireStories(ctx);
    await deliverEvents();
    for (const key of await keysOf(archivedId)) expect(await objectExists(key)).toBe(false);
    for (const key of await keysOf(highlightedId)) expect(await objectExists(key)).toBe(true);

    // Reordering and renaming; someone else's highlight cannot be changed.
    const second = await storyItem(author);
    const changed = await send(
      `/api/v1/perch/highlights/${highlight.body.id}`,
      author.token,
      { title: "Summer 2026", item_ids: [second, highlightedId] },
      "PUT",
    );
    expect(changed.body).toMatchObject({ title: "Summer 2026", cover_item_id: highlightedId });
    expect((await send(`/api/v1/perch/highlights/${highlight.body.id}`, visitor.token, { title: "Mine" }, "PUT")).response.status).toBe(
      404,
    );
    const [archivedRow] = await ctx.db
      .select()
      .from(storyItems)
      .where(and(eq(storyItems.id, archivedId)));
    expect(archivedRow).toMatchObject({ filesKept: false });
  });
});
