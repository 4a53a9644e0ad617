import { describe, expect, it } from "vitest";
import { makeUser } from "#db/seed/factories.ts";
import { follow } from "#domain/graph/follows.ts";
import { MESSAGE_MAX_CHARACTERS } from "#domain/messages/messages.ts";
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
