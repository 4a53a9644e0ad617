import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { newId } from "#db/ids.ts";
import { domainEvents, drafts, mediaAttachments, notifications, polls, posts, users } from "#db/schema/index.ts";
import { identiconPng } from "#db/seed/artwork.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { publishDuePosts, scheduleLimits } from "#domain/posts/drafts.ts";
import worker from "#workers/entry.ts";
import { callApi, eventually, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let count = 0;

async function person(scopes = ["read", "write"]) {
  count += 1;
  const user = await makeUser(ctx, { username: `scheduler${count}`, password: "a long enough password" });
  return { user, token: await tokenFor(user.id, scopes) };
}

const json = (method: string, body: unknown, headers: Record<string, string> = {}) => ({
  method,
  body: JSON.stringify(body),
  headers: { "Content-Type": "application/json", ...headers },
});
const send = (path: string, token: string, body: unknown = {}, headers: Record<string, string> = {}) =>
  callApi(path, token, json("POST", body, headers));

const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000);
const inTenMinutes = () => minutesFromNow(10).toISOString();

async function upload(token: string, name: string) {
  const form = new FormData();
  form.set("file", new File([(await identiconPng(name, 32)) as Uint8Array<ArrayBuffer>], "upload.png"));
  form.set("description", `Picture of ${name}`);
  const answer = await callApi("/api/v2/media", token, { method: "POST", body: form });
  expect(answer.response.status).toBe(200);
  return answer.body.id as string;
}

/** The minute cron, as Cloudflare runs it, waiting for what it hands to waitUntil (the relay). */
async function everyMinute() {
  const execution = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: "* * * * *", scheduledTime: new Date() }), env, execution);
  await waitOnExecutionContext(execution);
}

/** Moves a scheduled post's time to the past, as if its minute had come. */
const makeDue = (id: string) =>
  ctx.db
    .update(drafts)
    .set({ scheduledAt: new Date(Date.now() - 1000) })
    .where(eq(drafts.id, id));

const postsBy = (userId: string) => ctx.db.select().from(posts).where(eq(posts.authorId, userId)).orderBy(posts.id);

/** Scheduled posts written straight to the table, to reach the limits without 300 requests. */
async function fillSchedule(authorId: string, times: Date[]) {
  const now = new Date();
  const rows = times.map((scheduledAt) => ({
    id: newId(),
    authorId,
    text: "Filler",
    visibility: "public" as const,
    scheduledAt,
    createdAt: now,
    updatedAt: now,
  }));
  const statements = [];
  for (let start = 0; start < rows.length; start += 8) statements.push(ctx.db.insert(drafts).values(rows.slice(start, start + 8)));
  if (statements.length > 0) await ctx.db.batch(statements as [(typeof statements)[number], ...typeof statements]);
}

describe("scheduling through POST /api/v1/statuses", () => {
  it("answers a ScheduledStatus with the post's params and its uploads, and publishes nothing yet", async () => {
    const me = await person();
    const mediaId = await upload(me.token, "scheduled");
    const at = inTenMinutes();
    const answer = await send("/api/v1/statuses", me.token, {
      status: "Later, #perch",
      spoiler_text: "soon",
      visibility: "unlisted",
      language: "en",
      media_ids: [mediaId],
      scheduled_at: at,
    });
    expect(answer.response.status).toBe(200);
    expect(answer.body).toEqual({
      id: expect.stringMatching(/^\d+$/),
      scheduled_at: at,
      params: {
        text: "Later, #perch",
        thread: [],
        poll: null,
        media_ids: [mediaId],
        sensitive: false,
        spoiler_text: "soon",
        visibility: "unlisted",
        language: "en",
        in_reply_to_id: null,
        quoted_status_id: null,
        quote_approval_policy: "public",
        idempotency: null,
        scheduled_at: null,
        application_id: null,
        with_rate_limit: false,
        perch: { visibility: "unlisted" },
      },
      media_attachments: [expect.objectContaining({ id: mediaId, type: "image", description: "Picture of scheduled" })],
    });
    expect(await postsBy(me.user.id)).toEqual([]);
  });

  it("keeps a poll's length (not its end) and shows friends-only as private with perch.visibility", async () => {
    const me = await person();
    const answer = await send("/api/v1/statuses", me.token, {
      status: "Tea or coffee?",
      visibility: "friends",
      poll: { options: ["Tea", "Coffee"], expires_in: 3600, multiple: true },
      scheduled_at: inTenMinutes(),
    });
    expect(answer.body.params).toMatchObject({
      poll: { options: ["Tea", "Coffee"], expires_in: 3600, multiple: true, hide_totals: false },
      visibility: "private",
      perch: { visibility: "friends" },
    });
  });

  it("gives back the same scheduled post for the same Idempotency-Key", async () => {
    const me = await person();
    const body = { status: "Once", scheduled_at: inTenMinutes() };
    const first = await send("/api/v1/statuses", me.token, body, { "Idempotency-Key": "schedule-1" });
    const retry = await send("/api/v1/statuses", me.token, body, { "Idempotency-Key": "schedule-1" });
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.body.params.idempotency).toBe("schedule-1");
    expect(await ctx.db.select().from(drafts).where(eq(drafts.authorId, me.user.id))).toHaveLength(1);
  });

  it.each([
    [{ status: "Now-ish", scheduled_at: minutesFromNow(4).toISOString() }, 422, "at least 5 minutes in the future"],
    [{ status: "Yesterday", scheduled_at: minutesFromNow(-60 * 24).toISOString() }, 422, "at least 5 minutes in the future"],
    [{ status: "When?", scheduled_at: "next tuesday" }, 422, "scheduled_at"],
    [{ status: "x".repeat(501), scheduled_at: inTenMinutes() }, 422, "1 character over the limit of 500"],
    [{ status: "", scheduled_at: inTenMinutes() }, 422, "Your post is empty"],
    [{ status: "Hi", in_reply_to_id: "117000000000000000", scheduled_at: inTenMinutes() }, 404, "replying to does not exist"],
    [{ status: "Hi", media_ids: ["1"], scheduled_at: inTenMinutes() }, 422, "not yours"],
  ])("refuses %o with %i when it is scheduled, keeping nothing", async (body, status, message) => {
    const me = await person();
    const answer = await send("/api/v1/statuses", me.token, body);
    expect(answer.response.status).toBe(status);
    expect(answer.body.error).toContain(message);
    expect(await ctx.db.select().from(drafts).where(eq(drafts.authorId, me.user.id))).toEqual([]);
  });

  it("refuses an account that has not confirmed its email, as posting does", async () => {
    count += 1;
    const user = await makeUser(ctx, { username: `scheduler${count}`, emailVerified: false });
    const answer = await send("/api/v1/statuses", await tokenFor(user.id), { status: "Let me in", scheduled_at: inTenMinutes() });
    expect(answer.response.status).toBe(403);
  });

  it(`allows ${scheduleLimits.perDay} posts per UTC day and ${scheduleLimits.total} in all`, async () => {
    const me = await person();
    const day = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 0, 10, 12));
    await fillSchedule(
      me.user.id,
      Array.from({ length: scheduleLimits.perDay }, (_, index) => new Date(day.getTime() + index * 60_000)),
    );
    const laterThatDay = new Date(day.getTime() + 3 * 60 * 60 * 1000).toISOString();
    const sameDay = await send("/api/v1/statuses", me.token, { status: "One too many", scheduled_at: laterThatDay });
    expect(sameDay.response.status).toBe(422);
    expect(sameDay.body.error).toBe(`You can schedule at most ${scheduleLimits.perDay} posts for one day (UTC)`);
    const nextDay = new Date(day.getTime() + 24 * 60 * 60 * 1000).toISOString();
    expect((await send("/api/v1/statuses", me.token, { status: "Fine", scheduled_at: nextDay })).response.status).toBe(200);

    const spread = scheduleLimits.total - scheduleLimits.perDay - 1;
    await fillSchedule(
      me.user.id,
      Array.from({ length: spread }, (_, index) => new Date(day.getTime() + (index + 2) * 24 * 60 * 60 * 1000)),
    );
    const over = await send("/api/v1/statuses", me.token, { status: "Too many", scheduled_at: inTenMinutes() });
    expect(over.response.status).toBe(422);
    expect(over.body.error).toBe(`You can have at most ${scheduleLimits.total} scheduled posts`);
  });
});

describe("/api/v1/scheduled_statuses", () => {
  it("lists your scheduled posts newest first with Link paging, and only yours", async () => {
    const me = await person();
    const other = await person();
    const first = await send("/api/v1/statuses", me.token, { status: "First", scheduled_at: inTenMinutes() });
    const second = await send("/api/v1/statuses", me.token, { status: "Second", scheduled_at: inTenMinutes() });
    await send("/api/v1/statuses", other.token, { status: "Not yours", scheduled_at: inTenMinutes() });
    const page = await callApi("/api/v1/scheduled_statuses?limit=1", me.token);
    expect(page.body.map((item: { params: { text: string } }) => item.params.text)).toEqual(["Second"]);
    expect(page.response.headers.get("Link")).toContain(`max_id=${second.body.id}`);
    const next = await callApi(`/api/v1/scheduled_statuses?limit=1&max_id=${second.body.id}`, me.token);
    expect(next.body.map((item: { id: string }) => item.id)).toEqual([first.body.id]);
    expect((await callApi(`/api/v1/scheduled_statuses/${first.body.id}`, other.token)).response.status).toBe(404);
  });

  it("reads with read:statuses and changes with write:statuses only", async () => {
    const me = await person();
    const reader = await tokenFor(me.user.id, ["read:statuses"]);
    const writer = await tokenFor(me.user.id, ["write:statuses"]);
    const { body } = await send("/api/v1/statuses", me.token, { status: "Scoped", scheduled_at: inTenMinutes() });
    expect((await callApi("/api/v1/scheduled_statuses", reader)).response.status).toBe(200);
    expect((await callApi(`/api/v1/scheduled_statuses/${body.id}`, reader)).body.params.text).toBe("Scoped");
    expect((await callApi("/api/v1/scheduled_statuses", writer)).response.status).toBe(403);
    expect((await callApi(`/api/v1/scheduled_statuses/${body.id}`, null)).response.status).toBe(401);
    const later = minutesFromNow(60).toISOString();
    expect((await callApi(`/api/v1/scheduled_statuses/${body.id}`, reader, json("PUT", { scheduled_at: later }))).response.status).toBe(
      403,
    );
    expect((await callApi(`/api/v1/scheduled_statuses/${body.id}`, reader, { method: "DELETE" })).response.status).toBe(403);
    expect(await ctx.db.select().from(drafts).where(eq(drafts.id, body.id))).toHaveLength(1);
  });

  it("moves a scheduled post to another time, refusing one too soon, and cancels it", async () => {
    const me = await person();
    const other = await person();
    const { body } = await send("/api/v1/statuses", me.token, { status: "Movable", scheduled_at: inTenMinutes() });
    const later = minutesFromNow(90).toISOString();
    const moved = await callApi(`/api/v1/scheduled_statuses/${body.id}`, me.token, {
      method: "PUT",
      body: new URLSearchParams({ scheduled_at: later }),
    });
    expect(moved.response.status).toBe(200);
    expect(moved.body).toMatchObject({ id: body.id, scheduled_at: later, params: { text: "Movable" } });
    const tooSoon = await callApi(
      `/api/v1/scheduled_statuses/${body.id}`,
      me.token,
      json("PUT", { scheduled_at: minutesFromNow(1).toISOString() }),
    );
    expect(tooSoon.response.status).toBe(422);
    expect((await callApi(`/api/v1/scheduled_statuses/${body.id}`, me.token, json("PUT", {}))).response.status).toBe(422);
    expect(
      (await callApi(`/api/v1/scheduled_statuses/${body.id}`, other.token, json("PUT", { scheduled_at: later }))).response.status,
    ).toBe(404);
    expect((await callApi(`/api/v1/scheduled_statuses/${body.id}`, other.token, { method: "DELETE" })).response.status).toBe(404);
    const cancelled = await callApi(`/api/v1/scheduled_statuses/${body.id}`, me.token, { method: "DELETE" });
    expect(cancelled.response.status).toBe(200);
    expect(cancelled.body).toEqual({});
    expect((await callApi(`/api/v1/scheduled_statuses/${body.id}`, me.token)).response.status).toBe(404);
  });

  it("reserves its uploads: no other post takes them, they cannot be deleted, and the stale-upload job keeps them", async () => {
    const me = await person();
    const mediaId = await upload(me.token, "reserved");
    const { body } = await send("/api/v1/statuses", me.token, {
      status: "With a picture",
      media_ids: [mediaId],
      scheduled_at: inTenMinutes(),
    });
    const elsewhere = await send("/api/v1/statuses", me.token, { status: "Stealing it", media_ids: [mediaId] });
    expect(elsewhere.response.status).toBe(422);
    expect(elsewhere.body.error).toContain("kept for one of your drafts or scheduled posts");
    const again = await send("/api/v1/statuses", me.token, { status: "Twice", media_ids: [mediaId], scheduled_at: inTenMinutes() });
    expect(again.response.status).toBe(422);
    expect((await callApi(`/api/v1/media/${mediaId}`, me.token, { method: "DELETE" })).response.status).toBe(422);

    const [row] = await ctx.db
      .update(mediaAttachments)
      .set({ createdAt: new Date(Date.now() - 3 * 24 * 60 * 60 * 1000) })
      .where(eq(mediaAttachments.id, mediaId))
      .returning();
    const execution = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "0 * * * *", scheduledTime: new Date() }), env, execution);
    await waitOnExecutionContext(execution);
    expect(await ctx.db.select().from(mediaAttachments).where(eq(mediaAttachments.id, mediaId))).toHaveLength(1);
    expect(await env.MEDIA.head(row!.key)).not.toBeNull();
    expect((await callApi(`/api/v1/scheduled_statuses/${body.id}`, me.token)).body.media_attachments).toHaveLength(1);
  });
});

describe("publication by the minute cron", () => {
  it("publishes a due post through the same path as posting: text, uploads, poll, mentions and its event", async () => {
    const me = await person();
    const friend = await person();
    const mediaId = await upload(me.token, "published");
    const { body } = await send("/api/v1/statuses", me.token, {
      status: `Good morning @${friend.user.username} #sunrise`,
      media_ids: [mediaId],
      poll: { options: ["Yes", "No"], expires_in: 600 },
      scheduled_at: inTenMinutes(),
    });
    await everyMinute();
    expect(await postsBy(me.user.id)).toEqual([]);

    await makeDue(body.id);
    await everyMinute();
    const [post] = await postsBy(me.user.id);
    expect(post).toMatchObject({ text: `Good morning @${friend.user.username} #sunrise`, visibility: "public" });
    const status = await callApi(`/api/v1/statuses/${post!.id}`, me.token);
    expect(status.body).toMatchObject({
      tags: [{ name: "sunrise" }],
      mentions: [{ username: friend.user.username }],
      media_attachments: [{ id: mediaId }],
      poll: { options: [{ title: "Yes" }, { title: "No" }] },
    });
    const [poll] = await ctx.db.select().from(polls).where(eq(polls.postId, post!.id));
    expect(poll!.expiresAt.getTime() - post!.createdAt.getTime()).toBe(600_000);
    const [attachment] = await ctx.db.select().from(mediaAttachments).where(eq(mediaAttachments.id, mediaId));
    expect(attachment).toMatchObject({ postId: post!.id, draftId: null });
    expect(await ctx.db.select().from(drafts).where(eq(drafts.id, body.id))).toEqual([]);
    expect((await callApi(`/api/v1/scheduled_statuses/${body.id}`, me.token)).response.status).toBe(404);
    const events = await ctx.db.select().from(domainEvents).where(eq(domainEvents.type, "post.created"));
    expect(events.filter((event) => (event.payload as { postId: string }).postId === post!.id)).toHaveLength(1);
    await eventually(async () => {
      const received = await ctx.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, friend.user.id), eq(notifications.type, "mention")));
      expect(received).toHaveLength(1);
    });
  });

  it("publishes each post once, however often and however concurrently the cron runs", async () => {
    const me = await person();
    const { body } = await send("/api/v1/statuses", me.token, { status: "Exactly once", scheduled_at: inTenMinutes() });
    await makeDue(body.id);
    await Promise.all([everyMinute(), everyMinute(), everyMinute()]);
    await everyMinute();
    expect((await postsBy(me.user.id)).map((post) => post.text)).toEqual(["Exactly once"]);
  });

  it("takes over a publication whose run died, and still publishes once", async () => {
    const me = await person();
    const { body } = await send("/api/v1/statuses", me.token, { status: "Taken over", scheduled_at: inTenMinutes() });
    await makeDue(body.id);
    await ctx.db.update(drafts).set({ claimedAt: new Date() }).where(eq(drafts.id, body.id));
    await everyMinute();
    expect(await postsBy(me.user.id)).toEqual([]);
    expect((await callApi(`/api/v1/scheduled_statuses/${body.id}`, me.token, { method: "DELETE" })).response.status).toBe(409);
    await ctx.db
      .update(drafts)
      .set({ claimedAt: new Date(Date.now() - 3 * 60_000) })
      .where(eq(drafts.id, body.id));
    await everyMinute();
    expect((await postsBy(me.user.id)).map((post) => post.text)).toEqual(["Taken over"]);
  });

  it("keeps a post whose reply target was deleted in the author's drafts, with the reason, and publishes nothing", async () => {
    const me = await person();
    const other = await person();
    const parent = await makePost(ctx, other.user, { text: "Reply to me" });
    const mediaId = await upload(me.token, "orphan");
    const { body } = await send("/api/v1/statuses", me.token, {
      status: "A reply",
      in_reply_to_id: parent.id,
      media_ids: [mediaId],
      scheduled_at: inTenMinutes(),
    });
    expect((await callApi(`/api/v1/statuses/${parent.id}`, other.token, { method: "DELETE" })).response.status).toBe(200);
    await makeDue(body.id);
    await everyMinute();
    expect(await postsBy(me.user.id)).toEqual([]);
    expect((await callApi(`/api/v1/scheduled_statuses/${body.id}`, me.token)).response.status).toBe(404);
    const listed = await callApi("/api/v1/perch/drafts", me.token);
    expect(listed.body).toEqual([
      expect.objectContaining({
        id: body.id,
        error: "The post you are replying to does not exist",
        params: expect.objectContaining({ text: "A reply", in_reply_to_id: parent.id }),
        media_attachments: [expect.objectContaining({ id: mediaId })],
      }),
    ]);
    await everyMinute();
    expect(await postsBy(me.user.id)).toEqual([]);
  });

  it("does not publish for an author who may no longer post, and tells them why", async () => {
    const me = await person();
    const { body } = await send("/api/v1/statuses", me.token, { status: "Before the change", scheduled_at: inTenMinutes() });
    await ctx.db.update(users).set({ emailVerifiedAt: null }).where(eq(users.id, me.user.id));
    await makeDue(body.id);
    await everyMinute();
    expect(await postsBy(me.user.id)).toEqual([]);
    const [kept] = await ctx.db.select().from(drafts).where(eq(drafts.id, body.id));
    expect(kept).toMatchObject({ scheduledAt: null, claimedAt: null, failure: expect.stringContaining("Confirm your email address") });
  });

  it("retries a failure that is not the post's own each minute, and after an hour gives the post back with a general reason", async () => {
    const me = await person();
    const { body } = await send("/api/v1/statuses", me.token, { status: "Unlucky", scheduled_at: inTenMinutes() });
    await makeDue(body.id);
    const broken = Object.create(ctx.db) as typeof ctx.db;
    broken.batch = () => Promise.reject(new Error("D1 is unavailable"));
    const down = { ...testDomain(), db: broken };
    const reported: string[] = [];
    const onUnexpected = (_error: unknown, draftId: string) => reported.push(draftId);

    expect(await publishDuePosts(down, onUnexpected)).toMatchObject({ published: 0, retrying: 1, failed: 0 });
    expect(reported).toEqual([body.id]);
    const [waiting] = await ctx.db.select().from(drafts).where(eq(drafts.id, body.id));
    expect(waiting).toMatchObject({ failure: null, claimedAt: null });
    expect(waiting!.scheduledAt).not.toBeNull();

    await ctx.db
      .update(drafts)
      .set({ scheduledAt: new Date(Date.now() - 61 * 60_000) })
      .where(eq(drafts.id, body.id));
    expect(await publishDuePosts(down, onUnexpected)).toMatchObject({ retrying: 0, failed: 1 });
    const [given] = await ctx.db.select().from(drafts).where(eq(drafts.id, body.id));
    expect(given).toMatchObject({ scheduledAt: null, failure: expect.stringContaining("a problem on our side") });
    expect(await postsBy(me.user.id)).toEqual([]);
  });

  it("drops the scheduled posts of a deleted account with it", async () => {
    const me = await person();
    const { body } = await send("/api/v1/statuses", me.token, { status: "Never", scheduled_at: inTenMinutes() });
    await makeDue(body.id);
    await ctx.db.delete(users).where(eq(users.id, me.user.id));
    await everyMinute();
    expect(await ctx.db.select().from(drafts).where(eq(drafts.id, body.id))).toEqual([]);
    expect(await postsBy(me.user.id)).toEqual([]);
  });
});

describe("/api/v1/perch/drafts", () => {
  it("saves, lists, changes, schedules and deletes drafts, keeping their uploads for them", async () => {
    const me = await person();
    const reader = await tokenFor(me.user.id, ["read:statuses"]);
    const empty = await send("/api/v1/perch/drafts", me.token, { status: "  " });
    expect(empty.response.status).toBe(422);
    expect(empty.body.error).toBe("This draft is empty: write something first");
    expect((await send("/api/v1/perch/drafts", reader, { status: "Nope" })).response.status).toBe(403);

    const first = await upload(me.token, "draft one");
    const second = await upload(me.token, "draft two");
    const saved = await send("/api/v1/perch/drafts", me.token, {
      status: "Work in progress " + "x".repeat(600),
      thread: ["and more"],
      media_ids: [first, second],
    });
    expect(saved.response.status).toBe(200);
    expect(saved.body).toMatchObject({
      params: { thread: ["and more"], media_ids: [first, second], visibility: "public" },
      error: null,
      media_attachments: [{ id: first }, { id: second }],
    });
    expect((await callApi("/api/v1/perch/drafts", reader)).body.map((item: { id: string }) => item.id)).toEqual([saved.body.id]);
    expect((await callApi(`/api/v1/perch/drafts/${saved.body.id}`, reader)).body.params.text).toContain("Work in progress");

    const changed = await callApi(
      `/api/v1/perch/drafts/${saved.body.id}`,
      me.token,
      json("PUT", { status: "Shorter now", media_ids: [second], visibility: "private" }),
    );
    expect(changed.body).toMatchObject({ params: { text: "Shorter now", thread: [], visibility: "private", media_ids: [second] } });
    const [released] = await ctx.db.select().from(mediaAttachments).where(eq(mediaAttachments.id, first));
    expect(released!.draftId).toBeNull();

    const tooSoon = await send(`/api/v1/perch/drafts/${saved.body.id}/schedule`, me.token, {
      scheduled_at: minutesFromNow(2).toISOString(),
    });
    expect(tooSoon.response.status).toBe(422);
    const at = inTenMinutes();
    const scheduled = await send(`/api/v1/perch/drafts/${saved.body.id}/schedule`, me.token, { scheduled_at: at });
    expect(scheduled.body).toMatchObject({ id: saved.body.id, scheduled_at: at, media_attachments: [{ id: second }] });
    expect((await callApi("/api/v1/perch/drafts", me.token)).body).toEqual([]);
    expect((await callApi(`/api/v1/perch/drafts/${saved.body.id}`, me.token)).response.status).toBe(404);

    const other = await send("/api/v1/perch/drafts", me.token, { status: "Throwaway" });
    expect((await callApi(`/api/v1/perch/drafts/${other.body.id}`, me.token, { method: "DELETE" })).response.status).toBe(200);
    expect((await callApi(`/api/v1/perch/drafts/${other.body.id}`, me.token)).response.status).toBe(404);
  });

  it.each([
    [{ status: "x".repeat(1001) }, "A draft's posts are at most 1000 characters each"],
    [{ status: "Long thread", thread: Array.from({ length: 25 }, (_, index) => `Part ${index + 2}`) }, "A thread holds at most 25 posts"],
    [{ status: "Poll", poll: { options: ["Only one"], expires_in: 600 } }, "A poll needs at least 2 options"],
    [{ status: "Language", language: "klingon" }, "ISO 639"],
  ])("refuses a draft %#: %s", async (body, message) => {
    const me = await person();
    const answer = await send("/api/v1/perch/drafts", me.token, body);
    expect(answer.response.status).toBe(422);
    expect(answer.body.error).toContain(message);
    expect(await ctx.db.select().from(drafts).where(eq(drafts.authorId, me.user.id))).toEqual([]);
  });

  it("checks a draft in full only when it is scheduled or published", async () => {
    const me = await person();
    const long = await send("/api/v1/perch/drafts", me.token, { status: "x".repeat(501) });
    expect(long.response.status).toBe(200);
    const scheduled = await send(`/api/v1/perch/drafts/${long.body.id}/schedule`, me.token, { scheduled_at: inTenMinutes() });
    expect(scheduled.response.status).toBe(422);
    expect(scheduled.body.error).toContain("over the limit");
    const published = await send(`/api/v1/perch/drafts/${long.body.id}/publish`, me.token);
    expect(published.response.status).toBe(422);
    expect((await callApi(`/api/v1/perch/drafts/${long.body.id}`, me.token)).response.status).toBe(200);
  });

  it("publishes a draft now as a thread, in order, and deletes it", async () => {
    const me = await person();
    const saved = await send("/api/v1/perch/drafts", me.token, { status: "One", thread: ["Two", "Three"], visibility: "unlisted" });
    const published = await send(`/api/v1/perch/drafts/${saved.body.id}/publish`, me.token);
    expect(published.response.status).toBe(200);
    expect(published.body).toMatchObject({ content: expect.stringContaining("One"), visibility: "unlisted" });
    const thread = await postsBy(me.user.id);
    expect(thread.map((post) => post.text)).toEqual(["One", "Two", "Three"]);
    expect(thread[1]!.inReplyToId).toBe(thread[0]!.id);
    expect((await send(`/api/v1/perch/drafts/${saved.body.id}/publish`, me.token)).response.status).toBe(404);
  });

  it("is described in the OpenAPI document", async () => {
    const { body } = await callApi("/api/openapi.json", null);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/scheduled_statuses",
        "/api/v1/scheduled_statuses/{id}",
        "/api/v1/perch/drafts",
        "/api/v1/perch/drafts/{id}",
        "/api/v1/perch/drafts/{id}/publish",
        "/api/v1/perch/drafts/{id}/schedule",
      ]),
    );
    expect(Object.keys(body.components.schemas)).toEqual(expect.arrayContaining(["ScheduledStatus", "PerchDraft", "StatusParams"]));
    expect(body.paths["/api/v1/scheduled_statuses/{id}"].put.security).toEqual([{ oauth2: ["write:statuses"] }]);
  });
});
