import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, messages, moderationActions, posts, sessions, users } from "#db/schema/index.ts";
import { identiconPng } from "#db/seed/artwork.ts";
import { makePictureRow, makePost, makeUser } from "#db/seed/factories.ts";
import type { User } from "#domain/accounts/users.ts";
import { follow } from "#domain/graph/follows.ts";
import { uploadMessageAttachment } from "#domain/messages/attachments.ts";
import { openDirect } from "#domain/messages/conversations.ts";
import { sendMessage } from "#domain/messages/messages.ts";
import { deleteAccountAsAdmin } from "#domain/moderation/accounts.ts";
import { appeal, decideAppeal, moderate } from "#domain/moderation/actions.ts";
import {
  asUser,
  callApi,
  deliverEvents,
  eventually,
  fetchWorker,
  getPage,
  latestEmailTo,
  logInAs,
  openSocket,
  postForm,
  testDomain,
  tokenFor,
} from "./support.ts";

const ctx = testDomain();
const PASSWORD = "a long enough password";
let count = 0;

async function person(role: User["role"] = "user") {
  count += 1;
  return makeUser(ctx, { username: `acct_action${count}`, password: PASSWORD, role, emailVerified: true });
}

const picture = (author: User) => makePictureRow(ctx, author);

async function sendPicture(conversationId: string, senderId: string) {
  count += 1;
  const upload = await uploadMessageAttachment(ctx, conversationId, senderId, {
    bytes: await identiconPng(`p${count}`, 24),
    name: "p.png",
  });
  const { message } = await sendMessage(ctx, { conversationId, senderId, clientId: `c${count}`, text: "", mediaIds: [upload.id] });
  return message;
}

const sensitiveOf = async (postId: string) => (await ctx.db.query.posts.findFirst({ where: eq(posts.id, postId) }))!.sensitive;
const messageSensitive = async (messageId: string) =>
  (await ctx.db.query.messages.findFirst({ where: eq(messages.id, messageId) }))!.sensitive;
const auditActions = async (targetId: string) =>
  (await ctx.db.select().from(auditLog).where(eq(auditLog.targetId, targetId))).map((entry) => entry.action);

async function adminApi() {
  const token = await tokenFor((await person("admin")).id, ["admin:read", "admin:write"]);
  const call = (path: string, body?: unknown) =>
    callApi(
      path,
      token,
      body === undefined
        ? { method: "POST" }
        : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) },
    );
  return { token, call };
}

describe("a sensitized account (Mastodon's sensitive action)", () => {
  it("has everything it posted and sent with media marked sensitive, and what it writes from now on, until unsensitive", async () => {
    const admin = await adminApi();
    const [author, friend] = [await person(), await person()];
    const token = await tokenFor(author.id, ["read", "write"]);
    const withPicture = await makePost(ctx, author, { text: "A picture", mediaIds: [await picture(author)] });
    const words = await makePost(ctx, author, { text: "Only words" });
    await follow(ctx, friend.id, author.id);
    const conversation = await openDirect(ctx, author.id, friend.id);
    const sent = await sendPicture(conversation.id, author.id);
    expect([await sensitiveOf(withPicture.id), await messageSensitive(sent.id)]).toEqual([false, false]);

    const acted = await admin.call(`/api/v1/admin/accounts/${author.id}/action`, { type: "sensitive", text: "Graphic pictures, unmarked" });
    expect(acted.response.status).toBe(200);
    expect([await sensitiveOf(withPicture.id), await sensitiveOf(words.id), await messageSensitive(sent.id)]).toEqual([true, false, true]);
    expect((await callApi(`/api/v1/admin/accounts/${author.id}`, admin.token)).body).toMatchObject({ sensitized: true, disabled: false });

    const postPicture = (sensitive: boolean) =>
      picture(author).then((mediaId) =>
        callApi("/api/v1/statuses", token, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ status: "Another one", media_ids: [mediaId], sensitive }),
        }),
      );
    expect((await postPicture(false)).body).toMatchObject({ sensitive: true });
    const plain = await callApi("/api/v1/statuses", token, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ status: "Words again" }),
    });
    expect(plain.body).toMatchObject({ sensitive: false });
    expect(await messageSensitive((await sendPicture(conversation.id, author.id)).id)).toBe(true);
    await eventually(async () => {
      const inbox = await callApi("/api/v1/notifications?types[]=moderation_warning", token);
      expect(inbox.body[0]).toMatchObject({ type: "moderation_warning", moderation_warning: { action: "sensitive" } });
    });

    expect(await latestEmailTo(author.email), "other decisions are emailed only to those who chose email").toBeUndefined();

    const lifted = await admin.call(`/api/v1/admin/accounts/${author.id}/unsensitive`);
    expect(lifted.body).toMatchObject({ sensitized: false });
    expect(await sensitiveOf(withPicture.id)).toBe(true);
    expect((await postPicture(false)).body).toMatchObject({ sensitive: false });
    expect(await auditActions(author.id)).toEqual(["sensitize", "unsensitize"]);
  });

  it("is lifted, and a post marked sensitive uncovered, when a moderator overturns the appeal", async () => {
    const moderator = await person("moderator");
    const author = await person();
    const post = await makePost(ctx, author, { text: "Birds", mediaIds: [await picture(author)] });
    const asModerator = asUser(moderator);
    const marked = await moderate(asModerator, { command: "mark_sensitive", accountId: author.id, postId: post.id, reason: "Blood" });
    const sensitized = await moderate(asModerator, { command: "sensitize", accountId: author.id, reason: "Repeatedly graphic" });
    for (const action of [marked!, sensitized!]) {
      await appeal(ctx, author.id, action.id, "It was ketchup");
      await decideAppeal(asModerator, action.id, "overturned");
    }
    expect(await sensitiveOf(post.id)).toBe(false);
    expect((await ctx.db.query.users.findFirst({ where: eq(users.id, author.id) }))!.sensitized).toBe(false);
  });
});

describe("a disabled log-in (Mastodon's disable action)", () => {
  it("refuses every door while the profile stays; enabling lets them in again", async () => {
    const admin = await adminApi();
    const moderator = await person("moderator");
    const moderatorCookie = await logInAs(moderator, PASSWORD, "192.0.2.171");
    const target = await person();
    await logInAs(target, PASSWORD, "192.0.2.172");
    const oldToken = await tokenFor(target.id, ["read"]);

    const page = `/admin/accounts/${target.id}`;
    const form = { intent: "moderate", command: "disable", reason: "Someone else has the password" };
    expect((await postForm(page, form, { cookie: moderatorCookie })).status).toBe(200);
    expect(await ctx.db.select().from(sessions).where(eq(sessions.userId, target.id))).toEqual([]);
    expect((await callApi("/api/v1/accounts/verify_credentials", oldToken)).response.status).toBe(401);
    const newToken = await callApi("/api/v1/accounts/verify_credentials", await tokenFor(target.id, ["read"]));
    expect(newToken.response.status).toBe(403);
    expect(newToken.body).toEqual({ error: "Your login is currently disabled" });
    const login = await postForm("/login", { identifier: target.username, password: PASSWORD }, { ip: "192.0.2.173" });
    expect(login.headers.getSetCookie().some((set) => set.startsWith("perch_session="))).toBe(false);
    expect(await login.text()).toContain("Your login is currently disabled");
    expect((await getPage(`/${target.username}`)).response.status).toBe(200);
    expect((await getPage(page, moderatorCookie)).html).toContain("disabled");
    const disabledList = await callApi("/api/v2/admin/accounts?status=disabled", admin.token);
    expect(disabledList.body.map((account: { id: string }) => account.id)).toContain(target.id);
    expect((await callApi(`/api/v2/admin/accounts?status=active&username=${target.username}`, admin.token)).body).toEqual([]);
    const [action] = await ctx.db
      .select()
      .from(moderationActions)
      .where(and(eq(moderationActions.accountId, target.id), eq(moderationActions.kind, "disable")));
    expect(action).toMatchObject({ moderatorId: moderator.id, reason: "Someone else has the password" });
    // They cannot sign in to read the warning, so it reaches them by email though their settings say "in the app".
    const email = await eventually(async () => {
      const sent = await latestEmailTo(target.email);
      expect(sent?.text).toContain("Log-in disabled.");
      return sent!;
    });
    expect(email.text).toContain("Their reason: Someone else has the password");
    expect(email.text).toContain("You cannot sign in until a moderator enables your log-in again.");
    expect(email.text).not.toContain("/unsubscribe/");

    const enabled = await admin.call(`/api/v1/admin/accounts/${target.id}/enable`);
    expect(enabled.body).toMatchObject({ disabled: false });
    expect(await logInAs(target, PASSWORD, "192.0.2.174")).toMatch(/^perch_session=/);
    expect(await auditActions(target.id)).toEqual(["disable", "enable"]);
  });

  it("is taken through the admin API too, and refused to moderators' tokens without admin scopes", async () => {
    const admin = await adminApi();
    const target = await person();
    expect((await admin.call(`/api/v1/admin/accounts/${target.id}/action`, { type: "disable" })).response.status).toBe(200);
    expect((await callApi(`/api/v1/admin/accounts/${target.id}`, admin.token)).body).toMatchObject({ disabled: true, suspended: false });
    const narrow = await tokenFor((await person("moderator")).id, ["read", "write"]);
    expect((await callApi(`/api/v1/admin/accounts/${target.id}/enable`, narrow, { method: "POST" })).response.status).toBe(403);
  });

  it("closes the sockets and event streams the account had open, on its hub and in its chat rooms; the others stay", async () => {
    const moderator = await person("moderator");
    const [target, friend] = [await person(), await person()];
    await follow(ctx, friend.id, target.id);
    const conversation = await openDirect(ctx, target.id, friend.id);
    const token = await tokenFor(target.id, ["read", "write"]);
    const stream = await openSocket(`/api/v1/streaming?stream=user&access_token=${token}`);
    const room = await openSocket(`/api/v1/perch/chats/${conversation.id}/stream?access_token=${token}`);
    const friendsRoom = await openSocket(
      `/api/v1/perch/chats/${conversation.id}/stream?access_token=${await tokenFor(friend.id, ["read", "write"])}`,
    );
    const events = await fetchWorker(`/api/v1/streaming/user?access_token=${token}`);
    expect(events.headers.get("Content-Type")).toBe("text/event-stream");
    const reader = events.body!.getReader();

    await moderate(asUser(moderator), { command: "disable", accountId: target.id, reason: "Taken over" });
    await deliverEvents();
    expect(await stream.closed).toBe(4401);
    expect(await room.closed).toBe(4401);
    let ended = false;
    while (!ended) ended = (await reader.read()).done;
    expect(friendsRoom.socket.readyState).toBe(WebSocket.OPEN);
    friendsRoom.socket.close(1000, "test over");
  });

  it("closes them when the account is deleted too", async () => {
    const target = await person();
    const stream = await openSocket(`/api/v1/streaming?stream=user&access_token=${await tokenFor(target.id, ["read"])}`);
    await deleteAccountAsAdmin(asUser(await person("admin")), target.id, "Asked to leave by email");
    await deliverEvents();
    expect(await stream.closed).toBe(4401);
  });
});
