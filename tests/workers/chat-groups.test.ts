import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { conversationMembers, conversations } from "#db/schema/index.ts";
import { makeUser } from "#db/seed/factories.ts";
import { deleteAccount } from "#domain/accounts/deletion.ts";
import type { User } from "#domain/accounts/users.ts";
import { follow } from "#domain/graph/follows.ts";
import { acceptRequest, createGroup, setRole } from "#domain/messages/conversations.ts";
import { identiconPng } from "#db/seed/artwork.ts";
import { noteSeen, updateChatSettings } from "#domain/messages/settings.ts";
import { callApi, deliverEvents, eventually, fetchWorker, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let count = 0;
const PASSWORD = "a long enough password";
const person = () => makeUser(ctx, { username: `grouper${(count += 1)}`, password: PASSWORD });
const client = { ip: "192.0.2.1", userAgent: "test" };

/** People who follow the owner, so a group they are put in reaches them directly (not as a request). */
async function followersOf(owner: User, how: number) {
  const made: User[] = [];
  for (let index = 0; index < how; index += 1) {
    const member = await person();
    await follow(ctx, member.id, owner.id);
    made.push(member);
  }
  return made;
}

const rolesIn = async (conversationId: string) =>
  Object.fromEntries(
    (await ctx.db.select().from(conversationMembers).where(eq(conversationMembers.conversationId, conversationId))).map((row) => [
      row.userId,
      row.role,
    ]),
  );

describe("a group whose owner deletes their account", () => {
  it("passes to the longest-standing admin, else the longest-standing member, or is dissolved when no one is left", async () => {
    const owner = await person();
    const [first, second, third] = await followersOf(owner, 3);
    const withAdmins = await createGroup(ctx, owner.id, { name: "Admins first", memberIds: [first!.id, second!.id, third!.id] });
    await setRole(ctx, withAdmins.id, owner.id, third!.id, "admin");
    await setRole(ctx, withAdmins.id, owner.id, second!.id, "admin");
    // Joined together: the tie is broken the same way every time, and only admins are considered first.
    const membersOnly = await createGroup(ctx, owner.id, { name: "Members only", memberIds: [first!.id] });
    const stranger = await makeUser(ctx, { username: `grouper${(count += 1)}` });
    const onlyRequests = await createGroup(ctx, owner.id, { name: "Nobody accepted", memberIds: [stranger.id] });
    const alone = await createGroup(ctx, owner.id, { name: "Alone", memberIds: [] });
    const notOwned = await createGroup(ctx, first!.id, { name: "Someone else's", memberIds: [] });
    await acceptRequest(ctx, notOwned.id, first!.id);

    // The follows' side effects run while everyone still exists.
    await deliverEvents();
    await deleteAccount(ctx, owner, { password: PASSWORD }, client);

    const heirs = await rolesIn(withAdmins.id);
    expect(Object.values(heirs).filter((role) => role === "owner")).toHaveLength(1);
    expect(heirs[first!.id]).toBe("member");
    expect([second!.id, third!.id].map((id) => heirs[id]).sort()).toEqual(["admin", "owner"]);
    expect(await rolesIn(membersOnly.id)).toEqual({ [first!.id]: "owner" });
    const remaining = await ctx.db.select({ id: conversations.id }).from(conversations);
    const ids = remaining.map((row) => row.id);
    expect(ids).toContain(withAdmins.id);
    expect(ids).toContain(notOwned.id);
    expect(ids).not.toContain(alone.id);
    expect(ids).not.toContain(onlyRequests.id);
  });
});

function pictureForm(bytes: Uint8Array) {
  const form = new FormData();
  form.set("picture", new File([bytes as Uint8Array<ArrayBuffer>], "picture.bin"));
  return form;
}

describe("group pictures and last seen, through the API", () => {
  it("lets admins set, change and remove a group's picture, re-encoded to WebP; members may not; bad files are refused", async () => {
    const owner = await person();
    const [member] = await followersOf(owner, 1);
    const group = await createGroup(ctx, owner.id, { name: "Pictured", memberIds: [member!.id] });
    const ownerToken = await tokenFor(owner.id);
    const path = `/api/v1/perch/chats/${group.id}/picture`;

    const set = await callApi(path, ownerToken, { method: "PUT", body: pictureForm(await identiconPng("group", 300)) });
    expect(set.response.status).toBe(200);
    expect(set.body.picture_url).toMatch(/^\/media\/group-pictures\/[0-9a-f]{32}\/400\.webp$/);
    const served = await fetchWorker(set.body.picture_url);
    expect(served.headers.get("Content-Type")).toBe("image/webp");
    expect(new TextDecoder().decode(new Uint8Array(await served.arrayBuffer()).slice(8, 12))).toBe("WEBP");
    expect((await fetchWorker(set.body.picture_url.replace("/400.webp", "/96.webp"))).status).toBe(200);

    const changed = await callApi(path, ownerToken, { method: "PUT", body: pictureForm(await identiconPng("other", 200)) });
    expect(changed.body.picture_url).not.toBe(set.body.picture_url);
    // The old files go in the background, through the real queues.
    await eventually(async () => expect(await env.MEDIA.head(set.body.picture_url.slice("/media/".length))).toBeNull());

    const memberToken = await tokenFor(member!.id);
    const refused = await callApi(path, memberToken, { method: "PUT", body: pictureForm(await identiconPng("mine", 100)) });
    expect(refused.response.status).toBe(403);
    const notImage = await callApi(path, ownerToken, { method: "PUT", body: pictureForm(new TextEncoder().encode("not an image at all")) });
    expect(notImage).toMatchObject({ response: { status: 415 }, body: { error: expect.any(String) } });
    const stranger = await tokenFor((await person()).id);
    expect((await callApi(path, stranger, { method: "DELETE" })).response.status).toBe(404);

    const removed = await callApi(path, ownerToken, { method: "DELETE" });
    expect(removed).toMatchObject({ response: { status: 200 }, body: { picture_url: null } });
    await eventually(async () => expect(await env.MEDIA.head(changed.body.picture_url.slice("/media/".length))).toBeNull());
  });

  it("shows when other members were last seen, unless they hide their presence; a send counts as being seen", async () => {
    const owner = await person();
    const [shown, hidden] = await followersOf(owner, 2);
    const group = await createGroup(ctx, owner.id, { name: "Seen", memberIds: [shown!.id, hidden!.id] });
    const seenAt = new Date("2026-12-01T10:00:00Z");
    await noteSeen(ctx, shown!.id, seenAt);
    await noteSeen(ctx, hidden!.id, seenAt);
    await updateChatSettings(ctx, hidden!.id, { showPresence: false });
    const token = await tokenFor(owner.id);
    const one = await callApi(`/api/v1/perch/chats/${group.id}`, token);
    expect(one.body.last_seen).toEqual([{ account_id: shown!.id, at: seenAt.toISOString() }]);
    const listed = await callApi("/api/v1/perch/chats", token);
    expect(listed.body.find((item: { id: string }) => item.id === group.id).last_seen).toEqual(one.body.last_seen);

    const before = Date.now();
    const sent = await callApi(`/api/v1/perch/chats/${group.id}/messages`, await tokenFor(shown!.id), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ client_id: "seen-1", text: "Here" }),
    });
    expect(sent.response.status).toBe(200);
    const after = await callApi(`/api/v1/perch/chats/${group.id}`, token);
    expect(Date.parse(after.body.last_seen[0].at)).toBeGreaterThanOrEqual(before);
    // Their own entry is not listed to themselves.
    const own = await callApi(`/api/v1/perch/chats/${group.id}`, await tokenFor(shown!.id));
    expect(own.body.last_seen.map((item: { account_id: string }) => item.account_id)).not.toContain(shown!.id);
  });
});
