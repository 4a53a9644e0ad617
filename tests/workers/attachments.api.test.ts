import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { mediaAttachments, posts } from "#db/schema/index.ts";
import { identiconPng } from "#db/seed/artwork.ts";
import { makeUser } from "#db/seed/factories.ts";
import { expireUnattachedUploads, mediaLimits } from "#domain/media/attachments.ts";
import { animatedGif, mp4Header, oversizedPng } from "#tests/fixtures/media.ts";
import { callApi, deliverEvents, eventually, fetchWorker, tokenFor, testDomain } from "./support.ts";

const ctx = testDomain();
let count = 0;

async function person() {
  count += 1;
  const user = await makeUser(ctx, { username: `uploader${count}`, password: "a long enough password" });
  return { user, token: await tokenFor(user.id, ["read", "write"]) };
}

async function upload(token: string, bytes: Uint8Array, fields: Record<string, string | Uint8Array> = {}, path = "/api/v2/media") {
  const form = new FormData();
  form.set("file", new File([bytes as Uint8Array<ArrayBuffer>], "upload.bin"));
  for (const [name, value] of Object.entries(fields)) {
    form.set(name, typeof value === "string" ? value : new File([value as Uint8Array<ArrayBuffer>], `${name}.bin`));
  }
  return callApi(path, token, { method: "POST", body: form });
}

const post = (token: string, body: Record<string, unknown>) =>
  callApi("/api/v1/statuses", token, { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });

const keyOf = (url: string) => new URL(url).pathname.slice("/media/".length);

describe("uploading", () => {
  it("re-encodes an image to WebP within 2048 px, with a preview, alt text and focal point", async () => {
    const me = await person();
    const answer = await upload(me.token, await identiconPng("big", 300), { description: "  A purple pattern  ", focus: "0.5,-0.25" });
    expect(answer.response.status).toBe(200);
    expect(answer.body).toMatchObject({
      type: "image",
      description: "A purple pattern",
      meta: { original: { width: 300, height: 300, size: "300x300" }, small: { width: 300, height: 300 }, focus: { x: 0.5, y: -0.25 } },
      remote_url: null,
    });
    const image = await fetchWorker(new URL(answer.body.url).pathname);
    expect(image.headers.get("Content-Type")).toBe("image/webp");
    const bytes = new Uint8Array(await image.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(8, 12))).toBe("WEBP");
    expect((await fetchWorker(new URL(answer.body.preview_url).pathname)).status).toBe(200);
    expect((await upload(me.token, await identiconPng("old path", 64), {}, "/api/v1/media")).body.type).toBe("image");
  });

  it("keeps an animated GIF as a GIF (gifv) with a still preview", async () => {
    const me = await person();
    const answer = await upload(me.token, animatedGif());
    expect(answer.response.status).toBe(200);
    expect(answer.body).toMatchObject({ type: "gifv", meta: { original: { width: 2, height: 2 } } });
    expect(answer.body.url).toMatch(/\/original\.gif$/);
    const stored = await fetchWorker(new URL(answer.body.url).pathname);
    expect(new Uint8Array(await stored.arrayBuffer())).toEqual(animatedGif());
  });

  it("stores a video as uploaded, with the client's thumbnail as its preview", async () => {
    const me = await person();
    const bare = await upload(me.token, mp4Header());
    expect(bare.body).toMatchObject({ type: "video", preview_url: null });
    expect(bare.body.url).toMatch(/\/original\.mp4$/);
    const video = await fetchWorker(new URL(bare.body.url).pathname);
    expect(video.headers.get("Content-Type")).toBe("video/mp4");
    const withThumbnail = await upload(me.token, mp4Header(), { thumbnail: await identiconPng("still", 64) });
    expect(withThumbnail.body.preview_url).toMatch(/\/small\.webp$/);
  });

  it.each([
    ["an empty file", () => new Uint8Array(), 422, "empty"],
    ["a text file", () => new TextEncoder().encode("just some words, not a picture at all"), 415, "Attach a JPEG"],
    ["an image over 16 MB", () => oversizedPng(mediaLimits.imageBytes + 1), 413, "at most 16 MB"],
    ["a PNG signature in front of nothing", () => oversizedPng(64), 422, "could not be read"],
  ])("refuses %s and stores nothing", async (_, bytes, status, message) => {
    const me = await person();
    const before = (await env.MEDIA.list({ prefix: "attachments/" })).objects.length;
    const answer = await upload(me.token, bytes());
    expect(answer.response.status).toBe(status);
    expect(answer.body.error).toContain(message);
    expect(await ctx.db.select().from(mediaAttachments).where(eq(mediaAttachments.ownerId, me.user.id))).toEqual([]);
    expect((await env.MEDIA.list({ prefix: "attachments/" })).objects.length).toBe(before);
  });

  it("refuses a request without a file, bad alt text or focus, and callers without the media scope", async () => {
    const me = await person();
    const noFile = await callApi("/api/v2/media", me.token, { method: "POST", body: new FormData() });
    expect(noFile.response.status).toBe(422);
    expect((await upload(me.token, await identiconPng("x", 32), { focus: "2,0" })).response.status).toBe(422);
    expect((await upload(me.token, await identiconPng("x", 32), { description: "a".repeat(1501) })).body.error).toContain("at most 1500");
    const readOnly = await tokenFor(me.user.id, ["read"]);
    expect((await upload(readOnly, await identiconPng("x", 32))).response.status).toBe(403);
  });

  it.each([
    ["JSON", "application/json", '{"file":"x"}', 415, "does not take a body of type application/json"],
    ["text", "text/plain", "x", 415, "does not take a body of type text/plain"],
    ["multipart without a boundary", "multipart/form-data", "x", 400, "could not be read"],
  ])("refuses a %s body with a 4xx that says why", async (_, type, body, status, message) => {
    const me = await person();
    for (const path of ["/api/v2/media", "/api/v1/media"]) {
      const answer = await callApi(path, me.token, { method: "POST", body, headers: { "Content-Type": type } });
      expect(answer.response.status).toBe(status);
      expect(answer.body.error).toContain(message);
    }
  });

  it("keeps files at keys with 128 random bits, and still serves files stored at the older keys", async () => {
    const me = await person();
    const first = keyOf((await upload(me.token, await identiconPng("key", 32))).body.url);
    const second = keyOf((await upload(me.token, await identiconPng("key", 32))).body.url);
    expect(first).toMatch(/^attachments\/\d+-[0-9a-f]{32}\/original\.webp$/);
    expect(first.split("/")[1]!.split("-")[1]).not.toBe(second.split("/")[1]!.split("-")[1]);
    const older = "attachments/117000000000000001/original.webp";
    await env.MEDIA.put(older, new Uint8Array([1, 2, 3]), { httpMetadata: { contentType: "image/webp" } });
    const served = await fetchWorker(`/media/${older}`);
    expect(served.status).toBe(200);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
  });
});

describe("posting with media", () => {
  it("shows attachments in the order given, lets the owner fix alt text later, and refuses anyone else", async () => {
    const me = await person();
    const other = await person();
    const first = await upload(me.token, await identiconPng("one", 64), { description: "First" });
    const second = await upload(me.token, await identiconPng("two", 64), { description: "Second" });
    const created = await post(me.token, { status: "", media_ids: [second.body.id, first.body.id] });
    expect(created.response.status).toBe(200);
    expect(created.body.media_attachments.map((media: { description: string }) => media.description)).toEqual(["Second", "First"]);

    const put = (token: string, body: Record<string, string>) =>
      callApi(`/api/v1/media/${first.body.id}`, token, {
        method: "PUT",
        body: JSON.stringify(body),
        headers: { "Content-Type": "application/json" },
      });
    expect((await put(me.token, { description: "First, described better" })).body.description).toBe("First, described better");
    expect((await put(other.token, { description: "Vandalised" })).response.status).toBe(404);
    expect((await callApi(`/api/v1/media/${first.body.id}`, other.token)).response.status).toBe(404);
    const shown = await callApi(`/api/v1/statuses/${created.body.id}`, null);
    expect(shown.body.media_attachments[1].description).toBe("First, described better");
  });

  it.each([
    ["five images", async (mine: string[]) => ({ status: "Too many", media_ids: mine.slice(0, 5) }), "at most 4"],
    ["an image with a video", async (mine: string[]) => ({ status: "Mixed", media_ids: [mine[0], mine[5]] }), "only attachment"],
    ["someone else's upload", async (_: string[], theirs: string) => ({ status: "Not mine", media_ids: [theirs] }), "not yours"],
  ])("refuses %s and writes nothing", async (_, body, message) => {
    const me = await person();
    const other = await person();
    const mine: string[] = [];
    for (let index = 0; index < 5; index += 1) mine.push((await upload(me.token, await identiconPng(`img${index}`, 32))).body.id);
    mine.push((await upload(me.token, mp4Header())).body.id);
    const theirs = (await upload(other.token, await identiconPng("theirs", 32))).body.id;
    const answer = await post(me.token, await body(mine, theirs));
    expect(answer.response.status).toBe(422);
    expect(answer.body.error).toContain(message);
    expect(await ctx.db.select().from(posts).where(eq(posts.authorId, me.user.id))).toEqual([]);
    const attached = await ctx.db.select().from(mediaAttachments).where(eq(mediaAttachments.ownerId, me.user.id));
    expect(attached.every((row) => row.postId === null)).toBe(true);
  });

  it("takes images and a poll together", async () => {
    const me = await person();
    const ids = [
      (await upload(me.token, await identiconPng("a", 32))).body.id,
      (await upload(me.token, await identiconPng("b", 32))).body.id,
    ];
    const created = await post(me.token, {
      status: "Which picture?",
      media_ids: ids,
      poll: { options: ["Left", "Right"], expires_in: 3600 },
    });
    expect(created.response.status).toBe(200);
    expect(created.body.media_attachments).toHaveLength(2);
    expect(created.body.poll.options.map((option: { title: string }) => option.title)).toEqual(["Left", "Right"]);
  });

  it("gives an upload to one post only, even when two posts race for it", async () => {
    const me = await person();
    const shared = (await upload(me.token, await identiconPng("shared", 32))).body.id;
    const answers = await Promise.all([
      post(me.token, { status: "One", media_ids: [shared] }),
      post(me.token, { status: "Two", media_ids: [shared] }),
    ]);
    expect(answers.map((answer) => answer.response.status).sort()).toEqual([200, 422]);
    expect(answers.find((answer) => answer.response.status === 422)!.body.error).toContain("already used");
    expect(await ctx.db.select().from(posts).where(eq(posts.authorId, me.user.id))).toHaveLength(1);
  });

  it("removes the files when the post is deleted with delete_media, and uploads nobody posted after a day", async () => {
    const me = await person();
    const used = await upload(me.token, await identiconPng("used", 32));
    const created = await post(me.token, { status: "With a picture", media_ids: [used.body.id] });
    expect(await env.MEDIA.head(keyOf(used.body.url))).not.toBeNull();
    await callApi(`/api/v1/statuses/${created.body.id}?delete_media=true`, me.token, { method: "DELETE" });
    await eventually(async () => expect(await env.MEDIA.head(keyOf(used.body.url))).toBeNull());
    await eventually(async () => expect(await env.MEDIA.head(keyOf(used.body.preview_url))).toBeNull());

    const unused = await upload(me.token, await identiconPng("unused", 32));
    const kept = await upload(me.token, await identiconPng("kept", 32));
    await ctx.db
      .update(mediaAttachments)
      .set({ createdAt: new Date(Date.now() - mediaLimits.unattachedLifetimeMs - 1000) })
      .where(eq(mediaAttachments.id, unused.body.id));
    expect(await expireUnattachedUploads(ctx)).toBeGreaterThanOrEqual(1);
    await deliverEvents();
    await eventually(async () => expect(await env.MEDIA.head(keyOf(unused.body.url))).toBeNull());
    expect(await env.MEDIA.head(keyOf(kept.body.url))).not.toBeNull();
  });

  it("keeps a deleted post's attachments as uploads, so a redraft can post them again", async () => {
    const me = await person();
    const ids = [
      (await upload(me.token, await identiconPng("r1", 32), { description: "Left" })).body.id,
      (await upload(me.token, await identiconPng("r2", 32), { description: "Right" })).body.id,
    ];
    const created = await post(me.token, { status: "Draft one", media_ids: ids });
    const deleted = await callApi(`/api/v1/statuses/${created.body.id}`, me.token, { method: "DELETE" });
    expect(deleted.body.media_attachments.map((media: { id: string }) => media.id)).toEqual(ids);
    const rows = await ctx.db.select().from(mediaAttachments).where(eq(mediaAttachments.ownerId, me.user.id));
    expect(rows.map((row) => row.postId)).toEqual([null, null]);
    const redrafted = await post(me.token, { status: "Draft two", media_ids: ids });
    expect(redrafted.response.status).toBe(200);
    expect(redrafted.body.media_attachments.map((media: { description: string }) => media.description)).toEqual(["Left", "Right"]);
    expect((await fetchWorker(new URL(redrafted.body.media_attachments[0].url).pathname)).status).toBe(200);
  });

  it("deletes an unposted upload on request, but not one a post uses", async () => {
    const me = await person();
    const loose = await upload(me.token, await identiconPng("loose", 32));
    const deleted = await callApi(`/api/v1/media/${loose.body.id}`, me.token, { method: "DELETE" });
    expect(deleted.response.status).toBe(200);
    await eventually(async () => expect(await env.MEDIA.head(keyOf(loose.body.url))).toBeNull());
    const posted = await upload(me.token, await identiconPng("posted", 32));
    await post(me.token, { status: "Keep", media_ids: [posted.body.id] });
    const refused = await callApi(`/api/v1/media/${posted.body.id}`, me.token, { method: "DELETE" });
    expect(refused.response.status).toBe(422);
  });
});

describe("editing a post's media", () => {
  const edit = (token: string, id: string, body: unknown) =>
    callApi(`/api/v1/statuses/${id}`, token, {
      method: "PUT",
      body: JSON.stringify(body),
      headers: { "Content-Type": "application/json" },
    });

  it("adds, reorders and describes attachments, deletes the ones taken out, and keeps each version in the history", async () => {
    const me = await person();
    const first = await upload(me.token, await identiconPng("e1", 32), { description: "First" });
    const second = await upload(me.token, await identiconPng("e2", 32), { description: "Second" });
    const created = await post(me.token, { status: "Pictures", media_ids: [first.body.id] });

    const reordered = await edit(me.token, created.body.id, {
      status: "Pictures, two now",
      media_ids: [second.body.id, first.body.id],
      media_attributes: [{ id: first.body.id, description: "First, described better", focus: "0.5,0.5" }],
    });
    expect(reordered.response.status).toBe(200);
    expect(reordered.body.media_attachments.map((media: { description: string }) => media.description)).toEqual([
      "Second",
      "First, described better",
    ]);
    expect(reordered.body.media_attachments[1].meta.focus).toEqual({ x: 0.5, y: 0.5 });

    // As a form, the way some clients send it: numbered media_attributes.
    const form = new URLSearchParams({
      status: "Just the second",
      "media_ids[]": second.body.id,
      "media_attributes[0][id]": second.body.id,
      "media_attributes[0][description]": "The one left",
    });
    const trimmed = await callApi(`/api/v1/statuses/${created.body.id}`, me.token, { method: "PUT", body: form });
    expect(trimmed.response.status).toBe(200);
    expect(trimmed.body.media_attachments.map((media: { description: string }) => media.description)).toEqual(["The one left"]);
    await eventually(async () => expect(await env.MEDIA.head(keyOf(first.body.url))).toBeNull());
    expect(await ctx.db.select().from(mediaAttachments).where(eq(mediaAttachments.id, first.body.id))).toEqual([]);

    const textOnly = await edit(me.token, created.body.id, { status: "Text edit, media unchanged" });
    expect(textOnly.body.media_attachments).toHaveLength(1);

    const history = await callApi(`/api/v1/statuses/${created.body.id}/history`, null);
    expect(
      history.body.map((version: { media_attachments: { id: string }[] }) => version.media_attachments.map((media) => media.id)),
    ).toEqual([[], [second.body.id], [second.body.id], [second.body.id]]);
  });

  it.each([
    ["someone else's upload", async (me: string[], theirs: string) => ({ media_ids: [me[0], theirs] }), "not yours"],
    ["an upload another post uses", async (me: string[]) => ({ media_ids: [me[0], me[1]] }), "already used"],
    ["five images", async (me: string[]) => ({ media_ids: me.slice(0, 5) }), "at most 4"],
    [
      "alt text for an attachment not in the post",
      async (me: string[]) => ({ media_attributes: [{ id: me[2], description: "Stray" }] }),
      "own attachments",
    ],
    ["no text and no media", async () => ({ status: "", media_ids: [] }), "Your post is empty"],
  ])("refuses %s and leaves the post as it was", async (_, body, message) => {
    const me = await person();
    const other = await person();
    const mine: string[] = [];
    for (let index = 0; index < 5; index += 1) mine.push((await upload(me.token, await identiconPng(`x${index}`, 32))).body.id);
    const theirs = (await upload(other.token, await identiconPng("theirs", 32))).body.id;
    await post(me.token, { status: "Elsewhere", media_ids: [mine[1]] });
    const created = await post(me.token, { status: "Original", media_ids: [mine[0]] });
    const answer = await edit(me.token, created.body.id, { status: "Changed", ...(await body(mine, theirs)) });
    expect(answer.response.status).toBe(422);
    expect(answer.body.error).toContain(message);
    const after = await callApi(`/api/v1/statuses/${created.body.id}`, me.token);
    expect(after.body).toMatchObject({ content: "<p>Original</p>", edited_at: null });
    expect(after.body.media_attachments.map((media: { id: string }) => media.id)).toEqual([mine[0]]);
    expect(await env.MEDIA.head(keyOf(after.body.media_attachments[0].url))).not.toBeNull();
  });
});
