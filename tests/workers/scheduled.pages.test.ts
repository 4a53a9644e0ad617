import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { drafts, posts } from "#db/schema/index.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { deletePost } from "#domain/posts/removal.ts";
import worker from "#workers/entry.ts";
import { asUser, fetchWorker, getPage, postForm, sessionOf, testDomain } from "./support.ts";

const ctx = testDomain();
let count = 0;

async function signedIn() {
  count += 1;
  const user = await makeUser(ctx, { username: `planner${count}`, password: "a long enough password" });
  const cookie = sessionOf(
    await postForm("/login", { identifier: user.username, password: "a long enough password" }, { ip: `192.0.2.${100 + count}` }),
  );
  return { user, cookie };
}

/** Next year, so any day of it is far enough ahead; January and July to see both sides of daylight saving time. */
const year = new Date().getUTCFullYear() + 1;
const draftsOf = (userId: string) => ctx.db.select().from(drafts).where(eq(drafts.authorId, userId)).orderBy(drafts.id);
const postsOf = (userId: string) => ctx.db.select().from(posts).where(eq(posts.authorId, userId)).orderBy(posts.id);

async function everyMinute() {
  const execution = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: "* * * * *", scheduledTime: new Date() }), env, execution);
  await waitOnExecutionContext(execution);
}

describe("the composer's Schedule and Save draft", () => {
  it("offers a time field with the zone it is read in, and both buttons, after Post", async () => {
    const me = await signedIn();
    const { html } = await getPage("/compose", me.cookie);
    expect(html).toContain('type="datetime-local"');
    expect(html).toContain('name="timeZone" value="UTC"');
    expect(html).toContain("Time zone: UTC");
    const post = html.indexOf('value="post"');
    expect(post).toBeGreaterThan(0);
    expect(html.indexOf('value="schedule"')).toBeGreaterThan(post);
    expect(html.indexOf('value="draft"')).toBeGreaterThan(post);
    const remembered = await getPage("/compose", `${me.cookie}; perch_tz=America%2FNew_York`);
    expect(remembered.html).toContain('name="timeZone" value="America/New_York"');
  });

  it.each([
    ["Europe/Berlin", `${year}-01-15T09:30`, `${year}-01-15T08:30:00.000Z`],
    ["Europe/Berlin", `${year}-07-15T09:30`, `${year}-07-15T07:30:00.000Z`],
    ["America/New_York", `${year}-01-15T09:30`, `${year}-01-15T14:30:00.000Z`],
  ])("schedules a post at a wall-clock time in %s (%s is %s)", async (timeZone, local, instant) => {
    const me = await signedIn();
    const response = await postForm(
      "/?index",
      { intent: "schedule", text: "Scheduled from the form", visibility: "unlisted", scheduledAt: local, timeZone },
      { cookie: me.cookie },
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/scheduled");
    const [saved] = await draftsOf(me.user.id);
    expect(saved).toMatchObject({ text: "Scheduled from the form", visibility: "unlisted" });
    expect(saved!.scheduledAt!.toISOString()).toBe(instant);
    expect(await postsOf(me.user.id)).toEqual([]);
  });

  it.each([
    [{ scheduledAt: new Date(Date.now() + 60_000).toISOString().slice(0, 16), timeZone: "UTC" }, "at least 5 minutes in the future"],
    [{ scheduledAt: "", timeZone: "UTC" }, "Pick the date and time to publish it"],
    [{ scheduledAt: `${year}-02-30T10:00`, timeZone: "UTC" }, "Pick the date and time to publish it"],
    [{ scheduledAt: `${year}-02-03T10:00`, timeZone: "Mars/Olympus_Mons" }, "Pick the date and time to publish it"],
  ])("refuses %o beside the form, keeping what was typed", async (time, message) => {
    const me = await signedIn();
    const response = await postForm(
      "/?index",
      { intent: "schedule", text: "Keep my words", visibility: "public", ...time },
      { cookie: me.cookie },
    );
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain(message);
    expect(html).toContain("Keep my words");
    if (time.scheduledAt) expect(html).toContain(`value="${time.scheduledAt}"`);
    expect(await draftsOf(me.user.id)).toEqual([]);
  });

  it("checks the post itself when it is scheduled, not only at its time", async () => {
    const me = await signedIn();
    const response = await postForm(
      "/?index",
      { intent: "schedule", text: "x".repeat(501), visibility: "public", scheduledAt: `${year}-03-01T10:00`, timeZone: "UTC" },
      { cookie: me.cookie },
    );
    expect(response.status).toBe(422);
    expect(await response.text()).toContain("1 character over the limit of 500");
  });

  it("saves a draft (a thread, too long as it is), opens it in the composer and publishes it from there", async () => {
    const me = await signedIn();
    const saved = await postForm(
      "/?index",
      { intent: "draft", text: ["First thought " + "x".repeat(500), "Second thought"], visibility: "private", spoilerText: "musings" },
      { cookie: me.cookie },
    );
    expect(saved.headers.get("Location")).toBe("/drafts");
    const [draft] = await draftsOf(me.user.id);
    expect(draft).toMatchObject({ thread: ["Second thought"], visibility: "private", spoilerText: "musings", scheduledAt: null });

    const list = await getPage("/drafts", me.cookie);
    expect(list.html).toContain("First thought");
    expect(list.html).toContain("Thread of 2 posts");
    expect(list.html).toContain(`href="/compose?draft=${draft!.id}"`);

    const opened = await getPage(`/?draft=${draft!.id}`, me.cookie);
    expect(opened.html).toContain(`name="draftId" value="${draft!.id}"`);
    expect(opened.html).toContain("Second thought");
    expect(opened.html).toContain('value="musings"');

    const tooLong = await postForm(
      "/?index",
      { intent: "post", draftId: draft!.id, text: ["First thought " + "x".repeat(500), "Second thought"], visibility: "private" },
      { cookie: me.cookie },
    );
    expect(tooLong.status).toBe(422);
    expect(await postsOf(me.user.id)).toEqual([]);
    expect(await draftsOf(me.user.id)).toEqual([draft]);

    const published = await postForm(
      "/?index",
      { intent: "post", draftId: draft!.id, text: ["First thought, trimmed", "Second thought"], visibility: "private" },
      { cookie: me.cookie },
    );
    const thread = await postsOf(me.user.id);
    expect(thread.map((post) => post.text)).toEqual(["First thought, trimmed", "Second thought"]);
    expect(published.headers.get("Location")).toBe(`/${me.user.username}/status/${thread[0]!.id}`);
    expect(await draftsOf(me.user.id)).toEqual([]);
  });

  it("posts an opened scheduled post as changed, and leaves it scheduled as it was when the post is refused", async () => {
    const me = await signedIn();
    await postForm(
      "/?index",
      { intent: "schedule", text: "Planned", visibility: "public", scheduledAt: `${year}-08-01T10:00`, timeZone: "UTC" },
      { cookie: me.cookie },
    );
    const [planned] = await draftsOf(me.user.id);
    const opened = await getPage(`/?draft=${planned!.id}`, me.cookie);
    expect(opened.html).toContain(`value="${year}-08-01T10:00"`);
    const refused = await postForm(
      "/?index",
      { intent: "post", draftId: planned!.id, text: "y".repeat(501), visibility: "public" },
      { cookie: me.cookie },
    );
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("y".repeat(501));
    expect(await draftsOf(me.user.id)).toEqual([expect.objectContaining({ text: "Planned", scheduledAt: planned!.scheduledAt })]);
    await postForm(
      "/?index",
      { intent: "post", draftId: planned!.id, text: "Planned, and sooner", visibility: "public" },
      { cookie: me.cookie },
    );
    expect((await postsOf(me.user.id)).map((post) => post.text)).toEqual(["Planned, and sooner"]);
    expect(await draftsOf(me.user.id)).toEqual([]);
  });

  it("puts drafts and scheduled posts in the account's export", async () => {
    const me = await signedIn();
    await postForm("/?index", { intent: "draft", text: "Exported draft", visibility: "public" }, { cookie: me.cookie });
    await postForm(
      "/?index",
      { intent: "schedule", text: "Exported plan", visibility: "public", scheduledAt: `${year}-09-09T09:09`, timeZone: "UTC" },
      { cookie: me.cookie },
    );
    const response = await fetchWorker("/settings/export", { headers: { Cookie: me.cookie } });
    const archive = (await response.json()) as { drafts: { text: string; scheduledAt: string | null }[] };
    expect(archive.drafts).toEqual([
      expect.objectContaining({ text: "Exported plan", scheduledAt: `${year}-09-09T09:09:00.000Z` }),
      expect.objectContaining({ text: "Exported draft", scheduledAt: null }),
    ]);
  });

  it("refuses an empty draft beside the form", async () => {
    const me = await signedIn();
    const response = await postForm("/?index", { intent: "draft", text: " ", visibility: "public" }, { cookie: me.cookie });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain("This draft is empty: write something first");
  });

  it("opens only your own drafts", async () => {
    const me = await signedIn();
    const other = await signedIn();
    await postForm("/?index", { intent: "draft", text: "Mine", visibility: "public" }, { cookie: me.cookie });
    const [draft] = await draftsOf(me.user.id);
    expect((await getPage(`/?draft=${draft!.id}`, other.cookie)).response.status).toBe(404);
    const response = await postForm("/drafts", { intent: "delete", draftId: draft!.id }, { cookie: other.cookie });
    expect(response.status).toBe(404);
    expect(await draftsOf(me.user.id)).toHaveLength(1);
    expect((await getPage("/drafts")).response.headers.get("Location")).toBe("/login?redirectTo=%2Fdrafts");
  });
});

describe("/scheduled and /drafts", () => {
  async function scheduledPost(cookie: string, text: string, local = `${year}-05-20T18:00`) {
    await postForm("/?index", { intent: "schedule", text, visibility: "public", scheduledAt: local, timeZone: "UTC" }, { cookie });
  }

  it("lists scheduled posts with their time in the reader's zone, and moves one to another time", async () => {
    const me = await signedIn();
    await scheduledPost(me.cookie, "See you in May");
    const [draft] = await draftsOf(me.user.id);
    const page = await getPage("/scheduled", `${me.cookie}; perch_tz=Asia%2FTokyo`);
    expect(page.html).toContain("See you in May");
    expect(page.html).toContain(`dateTime="${year}-05-20T18:00:00.000Z"`);
    expect(page.html).toContain(`21 May ${year}, 03:00 (Asia/Tokyo)`);
    expect(page.html).toContain(`value="${year}-05-21T03:00"`);

    const moved = await postForm(
      "/scheduled",
      { intent: "schedule", draftId: draft!.id, scheduledAt: `${year}-06-01T08:15`, timeZone: "Asia/Tokyo" },
      { cookie: me.cookie },
    );
    expect(moved.headers.get("Location")).toBe("/scheduled");
    const [after] = await draftsOf(me.user.id);
    expect(after!.scheduledAt!.toISOString()).toBe(`${year}-05-31T23:15:00.000Z`);
  });

  it("shows a refused new time beside that post, with what was typed", async () => {
    const me = await signedIn();
    await scheduledPost(me.cookie, "Not that soon");
    await scheduledPost(me.cookie, "Another one");
    const [first, second] = await draftsOf(me.user.id);
    const typed = new Date(Date.now() + 2 * 60_000).toISOString().slice(0, 16);
    const response = await postForm(
      "/scheduled",
      { intent: "schedule", draftId: first!.id, scheduledAt: typed, timeZone: "UTC" },
      { cookie: me.cookie },
    );
    expect(response.status).toBe(422);
    const html = await response.text();
    const around = (id: string) => html.slice(html.indexOf(`aria-labelledby="unsent-${id}"`));
    expect(around(first!.id).split("</article>")[0]).toContain("at least 5 minutes in the future");
    expect(around(first!.id).split("</article>")[0]).toContain(`value="${typed}"`);
    expect(around(second!.id).split("</article>")[0]).not.toContain("at least 5 minutes in the future");
    expect((await draftsOf(me.user.id))[0]!.scheduledAt!.toISOString()).toBe(`${year}-05-20T18:00:00.000Z`);
  });

  it("publishes a scheduled post now, and cancels another", async () => {
    const me = await signedIn();
    await scheduledPost(me.cookie, "Right away");
    await scheduledPost(me.cookie, "Never mind");
    const [now, never] = await draftsOf(me.user.id);
    const published = await postForm("/scheduled", { intent: "publish", draftId: now!.id }, { cookie: me.cookie });
    const [post] = await postsOf(me.user.id);
    expect(post!.text).toBe("Right away");
    expect(published.headers.get("Location")).toBe(`/${me.user.username}/status/${post!.id}`);
    const cancelled = await postForm("/scheduled", { intent: "delete", draftId: never!.id }, { cookie: me.cookie });
    expect(cancelled.headers.get("Location")).toBe("/scheduled");
    expect(await draftsOf(me.user.id)).toEqual([]);
    expect((await getPage("/scheduled", me.cookie)).html).toContain("Nothing scheduled");
  });

  it("schedules a draft from its list, and refuses it there when it cannot be published", async () => {
    const me = await signedIn();
    await postForm("/?index", { intent: "draft", text: "x".repeat(600), visibility: "public" }, { cookie: me.cookie });
    await postForm("/?index", { intent: "draft", text: "Ready to go", visibility: "public" }, { cookie: me.cookie });
    const [long, ready] = await draftsOf(me.user.id);
    const refused = await postForm(
      "/drafts",
      { intent: "schedule", draftId: long!.id, scheduledAt: `${year}-04-01T12:00`, timeZone: "UTC" },
      { cookie: me.cookie },
    );
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("100 characters over the limit of 500");
    const scheduled = await postForm(
      "/drafts",
      { intent: "schedule", draftId: ready!.id, scheduledAt: `${year}-04-01T12:00`, timeZone: "UTC" },
      { cookie: me.cookie },
    );
    expect(scheduled.headers.get("Location")).toBe("/scheduled");
    expect((await getPage("/scheduled", me.cookie)).html).toContain("Ready to go");
    expect((await getPage("/drafts", me.cookie)).html).not.toContain("Ready to go");
  });

  it("shows a scheduled post that could not be published in the drafts, with why, and says so on the scheduled list", async () => {
    const me = await signedIn();
    const other = await makeUser(ctx, { username: `planner${(count += 1)}` });
    const parent = await makePost(ctx, other, { text: "Ask me anything" });
    await postForm(
      "/?index",
      {
        intent: "schedule",
        text: "My answer",
        inReplyToId: parent.id,
        visibility: "public",
        scheduledAt: `${year}-05-20T18:00`,
        timeZone: "UTC",
      },
      { cookie: me.cookie },
    );
    const [draft] = await draftsOf(me.user.id);
    await deletePost(asUser(other), parent.id, { keepMedia: false });
    await ctx.db
      .update(drafts)
      .set({ scheduledAt: new Date(Date.now() - 1000) })
      .where(eq(drafts.id, draft!.id));
    await everyMinute();
    expect((await getPage("/scheduled", me.cookie)).html).toContain("1 scheduled post could not be published at its time");
    const list = await getPage("/drafts", me.cookie);
    expect(list.html).toContain("Could not be published at its time");
    expect(list.html).toContain("The post you are replying to does not exist");
    const opened = await getPage(`/?draft=${draft!.id}`, me.cookie);
    expect(opened.html).toContain("This post could not be published at its time");
  });
});
