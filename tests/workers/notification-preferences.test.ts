import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { notificationPreferences, notifications, outbox } from "#db/schema/index.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import type { User } from "#domain/accounts/users.ts";
import { acceptFollowRequest, follow } from "#domain/graph/follows.ts";
import { emailNotifications } from "#domain/notifications/emails.ts";
import { deliveriesOf, readPreferences, updatePreferences } from "#domain/notifications/preferences.ts";
import { notifyAboutNewPost } from "#domain/notifications/recipients.ts";
import { favourite, reblog } from "#domain/posts/engagement.ts";
import worker from "#workers/entry.ts";
import { callApi, deliverEvents, fetchWorker, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let count = 0;
const person = (overrides: Parameters<typeof makeUser>[1] = {}) => makeUser(ctx, { username: `prefs${(count += 1)}`, ...overrides });

async function signedIn() {
  const user = await person({ password: "a long enough password" });
  const cookie = sessionOf(
    await postForm("/login", { identifier: user.username, password: "a long enough password" }, { ip: `192.0.2.${100 + count}` }),
  );
  return { user, cookie };
}

const emailsTo = (user: User) => ctx.db.select().from(outbox).where(eq(outbox.to, user.email)).orderBy(outbox.id);

async function told(user: User) {
  await deliverEvents();
  return ctx.db
    .select({ type: notifications.type, fromUserId: notifications.fromUserId, postId: notifications.postId })
    .from(notifications)
    .where(eq(notifications.userId, user.id))
    .orderBy(notifications.id);
}

/** The path of the List-Unsubscribe link of an email (links point at the public origin, the dev server in tests). */
function unsubscribePath(email: { headers: Record<string, string> | null }): string {
  const link = email.headers?.["List-Unsubscribe"]?.match(/^<(https?:\/\/[^>]+)>$/)?.[1];
  expect(link, "a List-Unsubscribe link").toBeTruthy();
  return new URL(link!).pathname;
}

const oneClick = (path: string, headers: Record<string, string> = {}) =>
  fetchWorker(path, {
    method: "POST",
    body: "List-Unsubscribe=One-Click",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  });

describe("notification preferences through the API", () => {
  it("reads every kind (in the app by default), changes the kinds sent, and refuses unknown kinds and deliveries", async () => {
    const user = await person();
    const token = await tokenFor(user.id);
    const path = "/api/v1/perch/notification_preferences";
    const initial = await callApi(path, token);
    expect(initial.response.status).toBe(200);
    expect(initial.body).toMatchObject({ mention: "in_app", favourite: "in_app", status: "in_app", poll: "in_app" });

    const patched = await callApi(path, token, {
      method: "PATCH",
      body: JSON.stringify({ favourite: "email", mention: "digest", reblog: "off" }),
      headers: { "Content-Type": "application/json" },
    });
    expect(patched.response.status).toBe(200);
    expect(patched.body).toMatchObject({ favourite: "email", mention: "digest", reblog: "off", follow: "in_app" });

    const put = await callApi(path, token, {
      method: "PUT",
      body: new URLSearchParams({ favourite: "in_app" }),
    });
    expect(put.body).toMatchObject({ favourite: "in_app", mention: "digest", reblog: "off" });

    for (const [body, words] of [
      [{ favourite: "loudly" }, ["favourite", "must be in_app, email, digest or off"]],
      [{ carrier_pigeon: "email" }, ["not a kind of notification: carrier_pigeon"]],
      [{ moderation_warning: "off" }, ["moderation_warning", "cannot be turned off"]],
    ] as const) {
      const refused = await callApi(path, token, {
        method: "PATCH",
        body: JSON.stringify(body),
        headers: { "Content-Type": "application/json" },
      });
      expect(refused.response.status).toBe(422);
      for (const word of words) expect(refused.body.error).toContain(word);
    }
    expect(await readPreferences(ctx, user.id)).toMatchObject({ favourite: "in_app", mention: "digest", reblog: "off" });
    expect((await callApi(path, null)).response.status).toBe(401);
    const readOnly = await tokenFor(user.id, ["read"]);
    expect((await callApi(path, readOnly, { method: "PATCH", body: new URLSearchParams({ favourite: "off" }) })).response.status).toBe(403);
  });

  it("is described in the OpenAPI document", async () => {
    const { body } = await callApi("/api/openapi.json", null);
    const operations = body.paths["/api/v1/perch/notification_preferences"];
    expect(Object.keys(operations).sort()).toEqual(["get", "patch", "put"]);
    expect(body.components.schemas.PerchNotificationPreferences.properties.status).toBeDefined();
  });
});

describe("a kind turned off", () => {
  it("writes no notification of that kind, and still the others", async () => {
    const author = await person();
    const fan = await person();
    await updatePreferences(ctx, author.id, { favourite: "off" });
    const post = await makePost(ctx, author, { text: "No likes, please" });
    await favourite(ctx, fan.id, post.id);
    await reblog(ctx, fan.id, post.id);
    expect((await told(author)).map((row) => row.type)).toEqual(["reblog"]);
  });
});

describe("email at once", () => {
  it("queues one email through the outbox with one-click unsubscribe headers, once however often the event comes", async () => {
    const author = await person();
    const fan = await person();
    await updatePreferences(ctx, author.id, { favourite: "email" });
    const post = await makePost(ctx, author, { text: "Email me likes" });
    await favourite(ctx, fan.id, post.id);
    const [notification] = await told(author);
    expect(notification).toMatchObject({ type: "favourite" });

    const emails = await emailsTo(author);
    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(email!.subject).toBe(`@${fan.username} liked your post`);
    expect(email!.status).toBe("sent");
    expect(email!.headers).toMatchObject({ "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });
    expect(email!.text).toContain(unsubscribePath(email!));

    const [row] = await ctx.db.select({ id: notifications.id }).from(notifications).where(eq(notifications.userId, author.id));
    expect(await emailNotifications(ctx, [row!.id])).toBe(0);
    expect(await emailsTo(author)).toHaveLength(1);
  });

  it("sends nothing for kinds left in the app, nor to an address not confirmed", async () => {
    const quiet = await person();
    const unconfirmed = await person({ emailVerified: false });
    const fan = await person();
    await updatePreferences(ctx, unconfirmed.id, { follow: "email" });
    for (const followed of [quiet, unconfirmed]) await follow(ctx, fan.id, followed.id);
    expect(await told(quiet)).toHaveLength(1);
    expect(await told(unconfirmed)).toHaveLength(1);
    expect(await emailsTo(quiet)).toEqual([]);
    expect(await emailsTo(unconfirmed)).toEqual([]);
  });
});

describe("the unsubscribe link", () => {
  async function emailedAuthor() {
    const author = await person();
    const fan = await person();
    await updatePreferences(ctx, author.id, { favourite: "email", mention: "email" });
    await favourite(ctx, fan.id, (await makePost(ctx, author, { text: "Unsubscribe me" })).id);
    await deliverEvents();
    const [email] = await emailsTo(author);
    return { author, path: unsubscribePath(email!) };
  }

  it("stops that kind of email with a one-click POST, without a cookie or a same-origin header, and answers 200", async () => {
    const { author, path } = await emailedAuthor();
    const response = await oneClick(path);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("No more of these emails");
    expect(await readPreferences(ctx, author.id)).toMatchObject({ favourite: "in_app", mention: "email" });
    // Used again, or posted from a mail provider's web page on another site: the same answer, never a 500.
    expect((await oneClick(path, { Origin: "https://mail.example" })).status).toBe(200);
  });

  it("shows a page with a button on GET, changing nothing until it is pressed, and refuses altered tokens", async () => {
    const { author, path } = await emailedAuthor();
    const { response, html } = await getPage(path);
    expect(response.status).toBe(200);
    expect(html).toContain("Stop these emails?");
    expect(html).toContain("likes");
    expect(html).toMatch(/<form method="post"/);
    expect((await readPreferences(ctx, author.id)).favourite).toBe("email");

    const [userId, kinds, mac] = path.slice("/unsubscribe/".length).split(".");
    const someoneElse = await person();
    for (const forged of [
      `${someoneElse.id}.${kinds}.${mac}`,
      `${userId}.mention.${mac}`,
      `${userId}.${kinds}.${"0".repeat(64)}`,
      "nonsense",
    ]) {
      expect((await getPage(`/unsubscribe/${forged}`)).response.status).toBe(404);
      expect((await oneClick(`/unsubscribe/${forged}`)).status).toBe(404);
    }
    expect(await readPreferences(ctx, author.id)).toMatchObject({ favourite: "email", mention: "email" });
    expect((await postForm(path, {})).status).toBe(200);
    expect((await readPreferences(ctx, author.id)).favourite).toBe("in_app");
  });
});

describe("the daily digest", () => {
  it("is sent by the hourly cron job once per person per day, summing up the day before in the chosen kinds", async () => {
    const reader = await person();
    const fan = await person();
    await updatePreferences(ctx, reader.id, { mention: "digest", favourite: "digest" });
    await makePost(ctx, fan, { text: `Yesterday @${reader.username}` });
    await favourite(ctx, fan.id, (await makePost(ctx, reader, { text: "Like me" })).id);
    await makePost(ctx, fan, { text: `Today @${reader.username}` });
    await deliverEvents();
    const written = await ctx.db.select().from(notifications).where(eq(notifications.userId, reader.id)).orderBy(notifications.id);
    expect(written.map((row) => row.type)).toEqual(["mention", "favourite", "mention"]);
    const yesterday = new Date(Date.now() - 86_400_000);
    for (const row of written.slice(0, 2)) {
      await ctx.db.update(notifications).set({ createdAt: yesterday }).where(eq(notifications.id, row.id));
    }
    expect(await emailsTo(reader)).toEqual([]);

    const runHourly = () =>
      worker.scheduled(createScheduledController({ cron: "0 * * * *", scheduledTime: new Date() }), env, createExecutionContext());
    await runHourly();
    await runHourly();
    const emails = await emailsTo(reader);
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toBe("Your day on Perch: 2 notifications");
    expect(emails[0]!.text).toContain("Likes: 1");
    expect(emails[0]!.text).toContain("Mentions and replies: 1");
    expect(emails[0]!.headers).toMatchObject({ "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });

    expect((await oneClick(unsubscribePath(emails[0]!))).status).toBe(200);
    expect(await readPreferences(ctx, reader.id)).toMatchObject({ mention: "in_app", favourite: "in_app" });
  });
});

describe("the bell", () => {
  it("tells a follower who rang it of the author's new posts and threads, not replies to others, reposts or direct posts", async () => {
    const author = await person();
    const listener = await person();
    const plain = await person();
    const other = await person();
    await follow(ctx, listener.id, author.id, { notify: true });
    await follow(ctx, plain.id, author.id);
    const post = await makePost(ctx, author, { text: "Something new" });
    const thread = await makePost(ctx, author, { text: "And more", inReplyToId: post.id });
    const theirs = await makePost(ctx, other, { text: "Unrelated" });
    await makePost(ctx, author, { text: "A reply to someone else", inReplyToId: theirs.id });
    await reblog(ctx, author.id, theirs.id);
    await makePost(ctx, author, { text: "Just for you", visibility: "direct" });
    const followersOnly = await makePost(ctx, author, { text: "Followers only", visibility: "private" });
    expect(await told(listener)).toEqual([
      { type: "status", fromUserId: author.id, postId: post.id },
      { type: "status", fromUserId: author.id, postId: thread.id },
      { type: "status", fromUserId: author.id, postId: followersOnly.id },
    ]);
    expect(await told(plain)).toEqual([]);

    // A redelivered event tells no one twice.
    const again = await notifyAboutNewPost(ctx, {
      id: "redelivered",
      type: "post.created",
      payload: { postId: post.id, authorId: author.id, mentioned: [] },
      occurredAt: new Date(),
    });
    expect(again).toHaveLength(1);
    expect(
      await notifyAboutNewPost(ctx, {
        id: "redelivered",
        type: "post.created",
        payload: { postId: post.id, authorId: author.id, mentioned: [] },
        occurredAt: new Date(),
      }),
    ).toEqual([]);
  });

  it("tells someone both named and listening once, of the mention; and the kind can be turned off", async () => {
    const author = await person();
    const listener = await person();
    await follow(ctx, listener.id, author.id, { notify: true });
    await makePost(ctx, author, { text: `Hello @${listener.username}` });
    expect((await told(listener)).map((row) => row.type)).toEqual(["mention"]);
    await updatePreferences(ctx, listener.id, { status: "off" });
    await makePost(ctx, author, { text: "Not for the bell" });
    expect((await told(listener)).map((row) => row.type)).toEqual(["mention"]);
  });

  it("keeps the bell asked for with a request to a locked account for the follow it becomes", async () => {
    const locked = await person({ locked: true });
    const asker = await person();
    expect(await follow(ctx, asker.id, locked.id, { notify: true })).toMatchObject({ requested: true, notifying: true });
    expect(await acceptFollowRequest(ctx, locked.id, asker.id)).toMatchObject({ followedBy: true });
    const post = await makePost(ctx, locked, { text: "Now you hear me", visibility: "private" });
    expect((await told(asker)).filter((row) => row.type === "status")).toEqual([
      { type: "status", fromUserId: locked.id, postId: post.id },
    ]);
  });

  it("is a toggle button on the profile of an account you follow, working without JavaScript", async () => {
    const { user, cookie } = await signedIn();
    const author = await person();
    expect((await getPage(`/${author.username}`, cookie)).html).not.toContain("Notify me of new posts");
    await follow(ctx, user.id, author.id);
    const before = await getPage(`/${author.username}`, cookie);
    expect(before.html).toContain(`aria-label="Notify me of new posts from @${author.username}"`);
    expect(before.html).toMatch(/aria-pressed="false"[^>]*aria-label="Notify me/);
    const rung = await postForm(`/${author.username}`, { intent: "bell", notify: "true" }, { cookie });
    expect(rung.status).toBe(200);
    const after = await getPage(`/${author.username}`, cookie);
    expect(after.html).toMatch(/aria-pressed="true"[^>]*aria-label="Notify me/);
    const [row] = await ctx.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, user.id), eq(notifications.type, "status")));
    expect(row).toBeUndefined();
    await makePost(ctx, author, { text: "Ding" });
    expect((await told(user)).map((n) => n.type)).toContain("status");
  });
});

describe("the /settings/notifications page", () => {
  it("shows a choice for every kind, saves a change without JavaScript, and refuses a value that is not a choice", async () => {
    const { user, cookie } = await signedIn();
    const { response, html } = await getPage("/settings/notifications", cookie);
    expect(response.status).toBe(200);
    expect(html).toContain('href="/settings/notifications"');
    expect(html).toMatch(/<label for="delivery-favourite"[^>]*>Likes<\/label>/);
    expect(html).toContain('name="status"');

    const saved = await postForm("/settings/notifications", { favourite: "digest", mention: "email" }, { cookie });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Notification settings saved.");
    expect(await readPreferences(ctx, user.id)).toMatchObject({ favourite: "digest", mention: "email", reblog: "in_app" });

    const refused = await postForm("/settings/notifications", { favourite: "shouting" }, { cookie });
    expect(refused.status).toBe(422);
    const text = await refused.text();
    expect(text).toContain("must be in_app, email, digest or off");
    expect(text).toContain('aria-invalid="true"');
    expect((await readPreferences(ctx, user.id)).favourite).toBe("digest");

    expect((await fetchWorker("/settings/notifications")).status).toBe(302);
  });

  it("offers no Off for moderation decisions, and hears of one stored as off in the app", async () => {
    const { user, cookie } = await signedIn();
    const { html } = await getPage("/settings/notifications", cookie);
    const choices = html.match(/<select[^>]*id="delivery-moderation_warning"[^>]*>(.*?)<\/select>/s)?.[1] ?? "";
    expect(choices).toContain('value="email"');
    expect(choices).not.toContain('value="off"');
    expect(html.match(/<select[^>]*id="delivery-favourite"[^>]*>(.*?)<\/select>/s)?.[1]).toContain('value="off"');
    await ctx.db.insert(notificationPreferences).values({ userId: user.id, type: "moderation_warning", delivery: "off" });
    expect((await readPreferences(ctx, user.id)).moderation_warning).toBe("in_app");
    expect((await deliveriesOf(ctx, [user.id])).get(`${user.id}:moderation_warning`)).toBe("in_app");
  });
});
