import { describe, expect, it } from "vitest";
import { makeUser } from "#db/seed/factories.ts";
import { follow } from "#domain/graph/follows.ts";
import type { User } from "#domain/accounts/users.ts";
import { createGroup, MAX_GROUP_MEMBERS } from "#domain/messages/conversations.ts";
import { MESSAGE_MAX_CHARACTERS, sendMessage } from "#domain/messages/messages.ts";
import { chatSettingsOf } from "#domain/messages/settings.ts";
import { callApi, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let count = 0;
const person = () => makeUser(ctx, { username: `apichat${(count += 1)}` });
const post = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("/api/v1/perch/chats", () => {
  it("starts a conversation, sends once per client_id, pages history, and counts unread", async () => {
    const [ana, ben] = [await person(), await person()];
    await follow(ctx, ben.id, ana.id);
    const [anaToken, benToken] = [await tokenFor(ana.id), await tokenFor(ben.id)];
    const { response, body: chat } = await callApi("/api/v1/perch/chats", anaToken, post({ recipient_id: ben.id }));
    expect(response.status).toBe(200);
    expect(chat).toMatchObject({ kind: "direct", state: "active", member_ids: expect.arrayContaining([ana.id, ben.id]) });
    const first = await callApi(`/api/v1/perch/chats/${chat.id}/messages`, anaToken, post({ client_id: "a1", text: "<b>hi</b>" }));
    const retry = await callApi(`/api/v1/perch/chats/${chat.id}/messages`, anaToken, post({ client_id: "a1", text: "<b>hi</b>" }));
    expect(first.body).toMatchObject({ text: "<b>hi</b>", client_id: "a1", sender_id: ana.id });
    expect(retry.body.id).toBe(first.body.id);
    await callApi(`/api/v1/perch/chats/${chat.id}/messages`, anaToken, post({ client_id: "a2", text: "second" }));
    expect((await callApi("/api/v1/perch/chats/unread", benToken)).body).toEqual({ unread: 2, requests: 0 });
    const page = await callApi(`/api/v1/perch/chats/${chat.id}/messages?limit=1`, benToken);
    expect(page.body.map((m: { text: string }) => m.text)).toEqual(["second"]);
    expect(page.response.headers.get("Link")).toContain("max_id=");
    await callApi(`/api/v1/perch/chats/${chat.id}/read`, benToken, post({ message_id: page.body[0].id }));
    expect((await callApi("/api/v1/perch/chats/unread", benToken)).body).toEqual({ unread: 0, requests: 0 });
  });

  it("answers 404 to non-members, 422 to empty or over-long text, 401 without a token", async () => {
    const [ana, ben, eve] = [await person(), await person(), await person()];
    await follow(ctx, ben.id, ana.id);
    const anaToken = await tokenFor(ana.id);
    const { body: chat } = await callApi("/api/v1/perch/chats", anaToken, post({ recipient_id: ben.id }));
    const eveToken = await tokenFor(eve.id);
    for (const path of [`/api/v1/perch/chats/${chat.id}`, `/api/v1/perch/chats/${chat.id}/messages`]) {
      expect((await callApi(path, eveToken)).response.status).toBe(404);
    }
    expect((await callApi(`/api/v1/perch/chats/${chat.id}/messages`, eveToken, post({ client_id: "x", text: "hi" }))).response.status).toBe(
      404,
    );
    // Membership is checked before the text: a non-member's empty message is still "not found", not 422.
    const emptyFromStranger = await callApi(`/api/v1/perch/chats/${chat.id}/messages`, eveToken, post({ client_id: "y", text: " " }));
    expect(emptyFromStranger.response.status).toBe(404);
    const empty = await callApi(`/api/v1/perch/chats/${chat.id}/messages`, anaToken, post({ client_id: "e", text: "  " }));
    expect(empty.response.status).toBe(422);
    expect(empty.body).toEqual({ error: "A message cannot be empty" });
    const long = await callApi(
      `/api/v1/perch/chats/${chat.id}/messages`,
      anaToken,
      post({ client_id: "l", text: "x".repeat(MESSAGE_MAX_CHARACTERS + 1) }),
    );
    expect(long.response.status).toBe(422);
    expect((await callApi("/api/v1/perch/chats", null)).response.status).toBe(401);
  });

  it("puts a stranger's conversation in Requests and lets the recipient accept it", async () => {
    const [stranger, recipient] = [await person(), await person()];
    const { body: chat } = await callApi("/api/v1/perch/chats", await tokenFor(stranger.id), post({ recipient_id: recipient.id }));
    const token = await tokenFor(recipient.id);
    expect((await callApi("/api/v1/perch/chats?folder=requests", token)).body.map((c: { id: string }) => c.id)).toEqual([chat.id]);
    expect((await callApi(`/api/v1/perch/chats/${chat.id}/accept`, token, { method: "POST" })).body).toMatchObject({ state: "active" });
    expect((await callApi("/api/v1/perch/chats?folder=requests", token)).body).toEqual([]);
  });

  it("reads and changes chat privacy with PATCH /chats/settings, only the fields sent", async () => {
    const ana = await person();
    const token = await tokenFor(ana.id);
    const patch = (body: unknown) => ({ ...post(body), method: "PATCH" });
    expect((await callApi("/api/v1/perch/chats/settings", token)).body).toEqual({ read_receipts: true, show_presence: true });
    const off = await callApi("/api/v1/perch/chats/settings", token, patch({ read_receipts: false }));
    expect(off.response.status).toBe(200);
    expect(off.body).toEqual({ read_receipts: false, show_presence: true });
    expect((await callApi("/api/v1/perch/chats/settings", token, patch({ show_presence: "false" }))).body).toEqual({
      read_receipts: false,
      show_presence: false,
    });
    expect(await chatSettingsOf(ctx, ana.id)).toEqual({ readReceipts: false, showPresence: false });
    const bad = await callApi("/api/v1/perch/chats/settings", token, patch({ read_receipts: "maybe" }));
    expect(bad.response.status).toBe(422);
    expect(bad.body).toHaveProperty("error");
    const readOnly = await callApi("/api/v1/perch/chats/settings", await tokenFor(ana.id, ["read"]), patch({ read_receipts: true }));
    expect(readOnly.response.status).toBe(403);
    expect(await chatSettingsOf(ctx, ana.id)).toEqual({ readReceipts: false, showPresence: false });
  });
});

/** An API call with a JSON body (or none), for the extension's group endpoints. */
const send = (method: string, body?: unknown) =>
  body === undefined ? { method } : { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
const statusOf = async (path: string, token: string, init: RequestInit = {}) => (await callApi(path, token, init)).response.status;

/** An owner with a group of people who follow them (so each joins at once), and an outsider; a token each. */
async function groupOf(memberCount: number, access: "invite" | "link" = "invite") {
  const owner = await person();
  const members = [];
  for (let index = 0; index < memberCount; index += 1) {
    const member = await person();
    await follow(ctx, member.id, owner.id);
    members.push(member);
  }
  const outsider = await person();
  const group = await createGroup(ctx, owner.id, { name: "Api group", memberIds: members.map((m) => m.id), access });
  const tokens = {
    owner: await tokenFor(owner.id),
    members: await Promise.all(members.map((member) => tokenFor(member.id))),
    outsider: await tokenFor(outsider.id),
  };
  return { owner, members, outsider, group, base: `/api/v1/perch/chats/${group.id}`, tokens };
}

describe("/api/v1/perch/chats/{id}: a group's members, over HTTP", () => {
  it("invites (admins only), sets roles (owner only), removes, with 404 to outsiders and 422 to bad input", async () => {
    const { members, base, tokens } = await groupOf(2);
    const [admin, plain] = members as [User, User];
    const [adminToken, plainToken] = tokens.members as [string, string];
    const later = await person();
    await follow(ctx, later.id, admin.id);

    // Roles: the owner's right.
    expect(await statusOf(`${base}/members/${admin.id}`, tokens.outsider, send("PUT", { role: "admin" }))).toBe(404);
    expect(await statusOf(`${base}/members/${admin.id}`, plainToken, send("PUT", { role: "admin" }))).toBe(403);
    expect(await statusOf(`${base}/members/${admin.id}`, tokens.owner, send("PUT", { role: "king" }))).toBe(422);
    expect(await statusOf(`${base}/members/${admin.id}`, tokens.owner, send("PUT", { role: "admin" }))).toBe(200);
    expect((await callApi(base, adminToken)).body).toMatchObject({ role: "admin" });
    expect(await statusOf(`${base}/members/${plain.id}`, adminToken, send("PUT", { role: "admin" }))).toBe(403);

    // Inviting: admins and the owner.
    expect(await statusOf(`${base}/members`, tokens.outsider, send("POST", { account_ids: [later.id] }))).toBe(404);
    const refused = await callApi(`${base}/members`, plainToken, send("POST", { account_ids: [later.id] }));
    expect(refused.response.status).toBe(403);
    expect(refused.body).toEqual({ error: "Only the group's admins may do that" });
    expect(await statusOf(`${base}/members`, adminToken, send("POST", { account_ids: [] }))).toBe(422);
    const invited = await callApi(`${base}/members`, adminToken, send("POST", { account_ids: [later.id] }));
    expect(invited.response.status).toBe(200);
    expect(invited.body.member_ids).toContain(later.id);

    // Removing: an admin removes members, not the owner; a plain member removes no one.
    expect(await statusOf(`${base}/members/${later.id}`, tokens.outsider, send("DELETE"))).toBe(404);
    expect(await statusOf(`${base}/members/${later.id}`, plainToken, send("DELETE"))).toBe(403);
    expect(await statusOf(`${base}/members/${later.id}`, adminToken, send("DELETE"))).toBe(200);
    expect(await statusOf(base, await tokenFor(later.id))).toBe(404);
    expect((await callApi(base, tokens.owner)).body.member_ids).not.toContain(later.id);
  });

  it("transfers ownership (the owner only, to a member) and lets a member leave", async () => {
    const { owner, members, outsider, base, tokens } = await groupOf(2);
    const [heir] = members as [User, User];
    const [heirToken, leaverToken] = tokens.members as [string, string];
    expect(await statusOf(`${base}/transfer`, tokens.outsider, send("POST", { account_id: heir.id }))).toBe(404);
    expect(await statusOf(`${base}/transfer`, heirToken, send("POST", { account_id: heir.id }))).toBe(403);
    expect(await statusOf(`${base}/transfer`, tokens.owner, send("POST", {}))).toBe(422);
    expect(await statusOf(`${base}/transfer`, tokens.owner, send("POST", { account_id: outsider.id }))).toBe(404);
    expect(await statusOf(`${base}/transfer`, tokens.owner, send("POST", { account_id: heir.id }))).toBe(200);
    expect((await callApi(base, heirToken)).body).toMatchObject({ role: "owner" });
    expect((await callApi(base, tokens.owner)).body).toMatchObject({ role: "admin" });

    expect(await statusOf(`${base}/leave`, tokens.outsider, send("POST"))).toBe(404);
    expect(await statusOf(`${base}/leave`, leaverToken, send("POST"))).toBe(200);
    expect(await statusOf(base, leaverToken)).toBe(404);
    expect((await callApi(base, heirToken)).body.member_ids.sort()).toEqual([owner.id, heir.id].sort());
  });

  it("joins a group open by link, and not one by invitation", async () => {
    const open = await groupOf(1, "link");
    const closed = await groupOf(1, "invite");
    const joined = await callApi(`${open.base}/join`, open.tokens.outsider, send("POST"));
    expect(joined.response.status).toBe(200);
    expect(joined.body).toMatchObject({ kind: "group", role: "member", state: "active" });
    expect(joined.body.member_ids).toContain(open.outsider.id);
    expect(await statusOf(`${closed.base}/join`, closed.tokens.outsider, send("POST"))).toBe(404);
    expect(await statusOf(closed.base, closed.tokens.outsider)).toBe(404);
  });

  it("renames (admins only), mutes and archives for oneself with PATCH", async () => {
    const { base, tokens } = await groupOf(1);
    const [memberToken] = tokens.members as [string];
    const renamed = await callApi(base, tokens.owner, send("PATCH", { name: "  Renamed " }));
    expect(renamed.response.status).toBe(200);
    expect(renamed.body.name).toBe("Renamed");
    expect(await statusOf(base, memberToken, send("PATCH", { name: "Mine now" }))).toBe(403);
    expect(await statusOf(base, tokens.outsider, send("PATCH", { muted: true }))).toBe(404);
    expect(await statusOf(base, tokens.owner, send("PATCH", { name: "   " }))).toBe(422);
    expect(await statusOf(base, tokens.owner, send("PATCH", { muted: "loudly" }))).toBe(422);
    const flagged = await callApi(base, memberToken, send("PATCH", { muted: true, archived: true }));
    expect(flagged.response.status).toBe(200);
    expect(flagged.body).toMatchObject({ name: "Renamed", muted: true, archived: true });
    // Only the member's own view changed.
    expect((await callApi(base, tokens.owner)).body).toMatchObject({ muted: false, archived: false });
    const archived = await callApi("/api/v1/perch/chats?folder=archived", memberToken);
    expect(archived.body.map((chat: { id: string }) => chat.id)).toContain(flagged.body.id);
  });
});

describe("/api/v1/perch/chats/{id}/messages: reactions and search, over HTTP", () => {
  it("reacts and takes a reaction back, at most 8 of one's own, 404 to outsiders", async () => {
    const { owner, base, tokens } = await groupOf(1);
    const [memberToken] = tokens.members as [string];
    const sent = await sendMessage(ctx, { conversationId: base.split("/").pop()!, senderId: owner.id, clientId: "r", text: "react to me" });
    const reaction = (emoji: string) => `${base}/messages/${sent.message.id}/reactions/${encodeURIComponent(emoji)}`;
    const added = await callApi(reaction("👍"), memberToken, send("PUT"));
    expect(added.response.status).toBe(200);
    expect(added.body.reactions).toEqual([{ emoji: "👍", count: 1, me: true }]);
    expect(await statusOf(reaction("👍"), tokens.outsider, send("PUT"))).toBe(404);
    expect(await statusOf(reaction("👍"), tokens.outsider, send("DELETE"))).toBe(404);
    const removed = await callApi(reaction("👍"), memberToken, send("DELETE"));
    expect(removed.response.status).toBe(200);
    expect(removed.body.reactions).toEqual([]);
    for (const emoji of ["a", "b", "c", "d", "e", "f", "g", "h"])
      expect(await statusOf(reaction(emoji), memberToken, send("PUT"))).toBe(200);
    const ninth = await callApi(reaction("i"), memberToken, send("PUT"));
    expect(ninth.response.status).toBe(422);
    expect(ninth.body).toEqual({ error: "At most 8 reactions per message" });
  });

  it("searches within a conversation for members only, and refuses an empty phrase", async () => {
    const { owner, group, base, tokens } = await groupOf(1);
    const [memberToken] = tokens.members as [string];
    for (const [clientId, text] of [
      ["s1", "Apples are red"],
      ["s2", "Pears are green"],
      ["s3", "more apples please"],
    ]) {
      await sendMessage(ctx, { conversationId: group.id, senderId: owner.id, clientId: clientId!, text: text! });
    }
    const found = await callApi(`${base}/messages/search?q=apples`, memberToken);
    expect(found.response.status).toBe(200);
    expect(found.body.matches.map((m: { text: string }) => m.text).sort()).toEqual(["Apples are red", "more apples please"]);
    expect(found.body.searched_before).toBeNull();
    expect(await statusOf(`${base}/messages/search?q=apples`, tokens.outsider)).toBe(404);
    const empty = await callApi(`${base}/messages/search?q=%20`, memberToken);
    expect(empty.response.status).toBe(422);
    expect(empty.body).toEqual({ error: "Search for at least one character" });
  });
});

describe("a group's size", () => {
  it("stops at 100 members: the next invitation or join is refused with 422", async () => {
    const { base, tokens } = await groupOf(MAX_GROUP_MEMBERS - 1, "link");
    expect((await callApi(base, tokens.owner)).body.member_ids).toHaveLength(MAX_GROUP_MEMBERS);
    const extra = await person();
    const refused = await callApi(`${base}/members`, tokens.owner, send("POST", { account_ids: [extra.id] }));
    expect(refused.response.status).toBe(422);
    expect(refused.body).toEqual({ error: `A group has at most ${MAX_GROUP_MEMBERS} members` });
    const joining = await callApi(`${base}/join`, await tokenFor(extra.id), send("POST"));
    expect(joining.response.status).toBe(422);
    expect((await callApi(base, tokens.owner)).body.member_ids).toHaveLength(MAX_GROUP_MEMBERS);
  });
});
