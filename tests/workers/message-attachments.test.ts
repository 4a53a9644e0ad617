import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messageAttachments, messages } from "#db/schema/index.ts";
import { identiconPng } from "#db/seed/artwork.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { eraseAccount } from "#domain/accounts/deletion.ts";
import { exportAccount } from "#domain/accounts/data-export.ts";
import { block } from "#domain/graph/blocks.ts";
import { follow } from "#domain/graph/follows.ts";
import { mediaLimits } from "#domain/media/attachments.ts";
import { expireUnsentUploads, openAttachmentText, uploadMessageAttachment } from "#domain/messages/attachments.ts";
import { createGroup, leaveConversation } from "#domain/messages/conversations.ts";
import { sendMessage } from "#domain/messages/messages.ts";
import { parseKeyRing } from "#domain/messages/encryption.ts";
import { reencryptAttachments, reencryptMessages, rowsUnderOldKeys } from "#domain/messages/rotation.ts";
import { deletePost } from "#domain/posts/removal.ts";
import { oversizedPng } from "#tests/fixtures/media.ts";
import { asUser, callApi, deliverEvents, eventually, fetchWorker, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let count = 0;
const person = () => makeUser(ctx, { username: `filer${(count += 1)}` });
const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

/** Two people who follow each other, with tokens, in their one-to-one conversation. */
async function pair() {
  const [ana, ben] = [await person(), await person()];
  await follow(ctx, ana.id, ben.id);
  await follow(ctx, ben.id, ana.id);
  const [anaToken, benToken] = [await tokenFor(ana.id), await tokenFor(ben.id)];
  const { body: chat } = await callApi("/api/v1/perch/chats", anaToken, json({ recipient_id: ben.id }));
  return { ana, ben, anaToken, benToken, chatId: chat.id as string };
}

async function upload(token: string, chatId: string, bytes: Uint8Array, name: string, description?: string) {
  const form = new FormData();
  form.set("file", new File([bytes as Uint8Array<ArrayBuffer>], name));
  if (description !== undefined) form.set("description", description);
  return callApi(`/api/v1/perch/chats/${chatId}/media`, token, { method: "POST", body: form });
}

const send = (token: string, chatId: string, body: Record<string, unknown>) =>
  callApi(`/api/v1/perch/chats/${chatId}/messages`, token, json({ client_id: crypto.randomUUID(), text: "", ...body }));

const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

describe("attachments in messages", () => {
  it("uploads images and documents, sends them with the text, and shows them to members only", async () => {
    const { anaToken, benToken, chatId } = await pair();
    const image = await upload(anaToken, chatId, await identiconPng("chat", 64), "holiday.png", "The beach at dusk");
    expect(image.response.status).toBe(200);
    expect(image.body).toMatchObject({ type: "image", content_type: "image/webp", name: "holiday.png", description: "The beach at dusk" });
    expect(image.body.url).toBe(`/media/chats/${chatId}/${image.body.id}/original`);
    const pdf = await upload(anaToken, chatId, PDF, "../../minutes.pdf");
    expect(pdf.body).toMatchObject({ type: "file", content_type: "application/pdf", name: "minutes.pdf", preview_url: null });
    const notes = await upload(anaToken, chatId, new TextEncoder().encode("Bring: tent, stove\n"), "notes.txt");
    expect(notes.body).toMatchObject({ type: "file", content_type: "text/plain" });

    const sent = await send(anaToken, chatId, { text: "From the trip", media_ids: [image.body.id, pdf.body.id, notes.body.id] });
    expect(sent.response.status).toBe(200);
    expect(sent.body.media_attachments.map((media: { id: string }) => media.id)).toEqual([image.body.id, pdf.body.id, notes.body.id]);
    const [seen] = (await callApi(`/api/v1/perch/chats/${chatId}/messages`, benToken)).body;
    expect(seen.media_attachments[0]).toMatchObject({ description: "The beach at dusk", meta: { original: { width: 64, height: 64 } } });

    const picture = await fetchWorker(image.body.url, bearer(benToken));
    expect(picture.status).toBe(200);
    expect(picture.headers.get("Content-Type")).toBe("image/webp");
    expect(picture.headers.get("Cache-Control")).toBe("private, no-cache");
    expect((await fetchWorker(image.body.preview_url, bearer(benToken))).status).toBe(200);
    const document = await fetchWorker(pdf.body.url, bearer(benToken));
    expect(document.headers.get("Content-Disposition")).toBe("attachment; filename*=UTF-8''minutes.pdf");
    expect(new Uint8Array(await document.arrayBuffer())).toEqual(PDF);

    const eve = await person();
    const outsider = await fetchWorker(image.body.url, bearer(await tokenFor(eve.id)));
    expect(outsider.status).toBe(404);
    expect(await outsider.json()).toEqual({ error: "Record not found" });
    expect((await fetchWorker(image.body.url)).status).toBe(404);
    // The object itself is never served by the public media door, whatever its key.
    const [row] = await ctx.db.select().from(messageAttachments).where(eq(messageAttachments.id, image.body.id));
    expect(row!.key).toMatch(/^chat-media\/[0-9a-z]+-[0-9a-f]{32}\/original\.webp$/);
    expect((await fetchWorker(`/media/${row!.key}`)).status).toBe(404);
  });

  it("lets a moderator open the files of a reported or held message, and of no other", async () => {
    const { benToken, anaToken, chatId } = await pair();
    const moderatorToken = await tokenFor((await makeUser(ctx, { username: `filemod${(count += 1)}`, role: "moderator" })).id);
    const sendPicture = async (seed: string) => {
      const image = await upload(anaToken, chatId, await identiconPng(seed, 32), `${seed}.png`);
      const sent = await send(anaToken, chatId, { media_ids: [image.body.id] });
      return { url: image.body.url as string, messageId: sent.body.id as string };
    };
    const [reported, held, ordinary] = [await sendPicture("reported"), await sendPicture("held"), await sendPicture("ordinary")];
    const report = await callApi(
      `/api/v1/perch/chats/${chatId}/messages/${reported.messageId}/report`,
      benToken,
      json({ category: "spam" }),
    );
    expect(report.response.status).toBe(200);
    await ctx.db.update(messages).set({ moderationState: "held" }).where(eq(messages.id, held.messageId));

    const asModerator = (url: string) => fetchWorker(url, bearer(moderatorToken));
    expect((await asModerator(reported.url)).status).toBe(200);
    expect((await asModerator(held.url)).status).toBe(200);
    expect((await asModerator(ordinary.url)).status, "a conversation's other files stay private").toBe(404);
    const member = await fetchWorker(reported.url, bearer(await tokenFor((await person()).id)));
    expect(member.status, "reporting opens nothing to other users").toBe(404);
  });

  it("keeps alt text and file names sealed at rest, and refuses non-members' uploads with 404", async () => {
    const { anaToken, chatId } = await pair();
    const sent = await upload(anaToken, chatId, await identiconPng("sealed", 32), "secret-plans.png", "Map to the hidden cove");
    const [row] = await ctx.db.select().from(messageAttachments).where(eq(messageAttachments.id, sent.body.id));
    expect(row!.description).not.toContain("hidden cove");
    expect(row!.name).not.toContain("secret");
    expect(row!.description).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(row!.keyVersion).toBe(2);
    const outsider = await person();
    const refused = await upload(await tokenFor(outsider.id), chatId, await identiconPng("nope", 32), "x.png");
    expect(refused.response.status).toBe(404);
    await expect(uploadMessageAttachment(ctx, chatId, outsider.id, { bytes: PDF })).rejects.toMatchObject({ kind: "not_found" });
  });

  it("answers 415 for types it does not take and 413 over the limits, with the limit named", async () => {
    const { anaToken, chatId } = await pair();
    const binary = new Uint8Array(64).map((_, index) => (index * 37) % 256);
    binary.set([0x4d, 0x5a, 0x90, 0x00]);
    const unsupported = await upload(anaToken, chatId, binary, "tool.exe");
    expect(unsupported.response.status).toBe(415);
    expect(unsupported.body.error).toContain("PDF");
    const huge = await upload(anaToken, chatId, oversizedPng(mediaLimits.imageBytes + 1), "huge.png");
    expect(huge.response.status).toBe(413);
    expect(huge.body.error).toBe("Images can be at most 16 MB");
    const long = await upload(anaToken, chatId, PDF, "a.pdf", "x".repeat(mediaLimits.descriptionCharacters + 1));
    expect(long.response.status).toBe(422);
  });

  it("sends a message of attachments only, at most four, each once, and not someone else's", async () => {
    const { anaToken, benToken, chatId } = await pair();
    const ids = [];
    for (let index = 0; index < 5; index += 1) ids.push((await upload(anaToken, chatId, PDF, `p${index}.pdf`)).body.id);
    expect((await send(anaToken, chatId, { media_ids: ids })).response.status).toBe(422);
    const only = await send(anaToken, chatId, { media_ids: ids.slice(0, 2) });
    expect(only.response.status).toBe(200);
    expect(only.body).toMatchObject({ text: "", media_attachments: [{ name: "p0.pdf" }, { name: "p1.pdf" }] });
    const edit = (text: string) =>
      callApi(`/api/v1/perch/chats/${chatId}/messages/${only.body.id}`, anaToken, { ...json({ text }), method: "PUT" });
    expect((await edit("With a caption")).body.text).toBe("With a caption");
    expect((await edit("  ")).body).toMatchObject({ text: "", media_attachments: [{ name: "p0.pdf" }, { name: "p1.pdf" }] });
    expect((await send(anaToken, chatId, { media_ids: [ids[0]] })).response.status).toBe(422);
    expect((await send(benToken, chatId, { media_ids: [ids[2]] })).response.status).toBe(422);
    expect((await send(anaToken, chatId, {})).response.status).toBe(422);
  });

  it("removes a message's files when it is deleted for everyone, and unsent uploads after a day", async () => {
    const { anaToken, chatId } = await pair();
    const image = await upload(anaToken, chatId, await identiconPng("gone", 32), "gone.png");
    const sent = await send(anaToken, chatId, { media_ids: [image.body.id] });
    const [row] = await ctx.db.select().from(messageAttachments).where(eq(messageAttachments.id, image.body.id));
    await callApi(`/api/v1/perch/chats/${chatId}/messages/${sent.body.id}?for_everyone=true`, anaToken, { method: "DELETE" });
    await deliverEvents();
    await eventually(async () => expect(await env.MEDIA.head(row!.key)).toBeNull());
    expect((await fetchWorker(image.body.url, bearer(anaToken))).status).toBe(404);

    const loose = await upload(anaToken, chatId, PDF, "loose.pdf");
    const [looseRow] = await ctx.db.select().from(messageAttachments).where(eq(messageAttachments.id, loose.body.id));
    await ctx.db
      .update(messageAttachments)
      .set({ createdAt: new Date(Date.now() - mediaLimits.unattachedLifetimeMs - 1000) })
      .where(eq(messageAttachments.id, loose.body.id));
    expect(await expireUnsentUploads(ctx)).toBeGreaterThanOrEqual(1);
    await deliverEvents();
    await eventually(async () => expect(await env.MEDIA.head(looseRow!.key)).toBeNull());
  });

  it("re-encrypts names and descriptions under the current key by rotation", async () => {
    const { ana, chatId } = await pair();
    const oldKey = env.MESSAGE_ENCRYPTION_KEY.split(",").find((entry) => entry.startsWith("1:"))!;
    const before = { ...ctx, config: { ...ctx.config, MESSAGE_ENCRYPTION_KEY: oldKey } };
    const made = await uploadMessageAttachment(before, chatId, ana.id, { bytes: PDF, name: "old.pdf" }, "Written under v1");
    const read = async () => (await ctx.db.select().from(messageAttachments).where(eq(messageAttachments.id, made.id)))[0]!;
    expect((await read()).keyVersion).toBe(1);
    // Every message body is current, but the attachment still needs version 1: it may not be removed yet.
    while ((await reencryptMessages(ctx)) > 0);
    expect((await rowsUnderOldKeys(ctx))["1"]).toBeGreaterThanOrEqual(1);
    while ((await reencryptAttachments(ctx)) > 0);
    expect(await rowsUnderOldKeys(ctx)).toEqual({});
    const after = await read();
    expect(after.keyVersion).toBe(2);
    expect(await openAttachmentText(parseKeyRing(env.MESSAGE_ENCRYPTION_KEY), after)).toEqual({
      name: "old.pdf",
      description: "Written under v1",
    });
  });

  it("exports the sender's attachments and removes their files when the account is deleted", async () => {
    const { ana, anaToken, chatId } = await pair();
    const image = await upload(anaToken, chatId, await identiconPng("leaving", 32), "leaving.png", "Goodbye card");
    await send(anaToken, chatId, { media_ids: [image.body.id] });
    const exported = await exportAccount(ctx, ana);
    expect(exported.messageAttachments).toEqual([
      expect.objectContaining({ id: image.body.id, name: "leaving.png", description: "Goodbye card", contentType: "image/webp" }),
    ]);
    const [row] = await ctx.db.select().from(messageAttachments).where(eq(messageAttachments.id, image.body.id));
    // What the account did before goes first (its follows' notifications need it to exist).
    await deliverEvents();
    await eraseAccount(ctx, ana);
    await deliverEvents();
    await eventually(async () => expect(await env.MEDIA.head(row!.key)).toBeNull());
    await eventually(async () => expect(await env.MEDIA.head(row!.previewKey!)).toBeNull());
  });
});

describe("a group's files", () => {
  it("stay while anyone is left in the group, and go when the last member leaves it", async () => {
    const [owner, member] = [await person(), await person()];
    await follow(ctx, member.id, owner.id);
    const group = await createGroup(ctx, owner.id, { name: "Trip", memberIds: [member.id] });
    const upload = await uploadMessageAttachment(ctx, group.id, member.id, { bytes: PDF, name: "tickets.pdf" });
    await sendMessage(ctx, { conversationId: group.id, senderId: member.id, clientId: "tickets", text: "", mediaIds: [upload.id] });
    const [row] = await ctx.db.select().from(messageAttachments).where(eq(messageAttachments.id, upload.id));
    await leaveConversation(ctx, group.id, member.id);
    await deliverEvents();
    expect(await env.MEDIA.head(row!.key)).not.toBeNull();
    await leaveConversation(ctx, group.id, owner.id);
    await deliverEvents();
    await eventually(async () => expect(await env.MEDIA.head(row!.key)).toBeNull());
  });
});

describe("sharing a post into a conversation", () => {
  it("shows a card built for each reader, unavailable once the post is hidden from them or deleted", async () => {
    const { ben, anaToken, benToken, chatId } = await pair();
    const author = await person();
    const shared = await makePost(ctx, author, { text: "A long walk along the river, with herons and a kingfisher." });
    const sent = await send(anaToken, chatId, { shared_status_id: shared.id });
    expect(sent.response.status).toBe(200);
    expect(sent.body).toMatchObject({
      text: "",
      shared_status: {
        id: shared.id,
        available: true,
        url: `/${author.username}/status/${shared.id}`,
        author: { username: author.username },
        excerpt: "A long walk along the river, with herons and a kingfisher.",
      },
    });
    await block(ctx, author.id, ben.id);
    const [blocked] = (await callApi(`/api/v1/perch/chats/${chatId}/messages`, benToken)).body;
    expect(blocked.shared_status).toEqual(expect.objectContaining({ id: shared.id, available: false, url: null, excerpt: null }));
    const [stillThere] = (await callApi(`/api/v1/perch/chats/${chatId}/messages`, anaToken)).body;
    expect(stillThere.shared_status.available).toBe(true);

    await deletePost(asUser(author), shared.id);
    const [gone] = (await callApi(`/api/v1/perch/chats/${chatId}/messages`, anaToken)).body;
    expect(gone.shared_status).toMatchObject({ id: shared.id, available: false });
  });

  it("refuses to share a post the sender cannot see (422), without telling whether it exists", async () => {
    const { anaToken, chatId } = await pair();
    const author = await person();
    const hidden = await makePost(ctx, author, { text: "Followers only", visibility: "private" });
    const refused = await send(anaToken, chatId, { shared_status_id: hidden.id });
    expect(refused.response.status).toBe(422);
    expect((await send(anaToken, chatId, { shared_status_id: "nonexistent" })).body).toEqual(refused.body);
  });
});
