import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { mediaAttachments, posts } from "#db/schema/index.ts";
import { identiconPng } from "#db/seed/artwork.ts";
import { makeUser } from "#db/seed/factories.ts";
import { getPage, postForm, sessionOf, testDomain } from "./support.ts";

const ctx = testDomain();
let count = 0;

async function signedIn(overrides: Parameters<typeof makeUser>[1] = {}) {
  count += 1;
  const user = await makeUser(ctx, { username: `composer${count}`, password: "a long enough password", ...overrides });
  const cookie = sessionOf(
    await postForm("/login", { identifier: user.username, password: "a long enough password" }, { ip: `192.0.2.${200 + count}` }),
  );
  return { user, cookie };
}

const authored = (userId: string) => ctx.db.select().from(posts).where(eq(posts.authorId, userId)).orderBy(posts.id);

describe("composing on the home page", () => {
  it("publishes a post with a plain form and opens it", async () => {
    const me = await signedIn();
    const page = await getPage("/compose", me.cookie);
    expect(page.html).toContain('aria-label="New post"');
    const response = await postForm(
      "/?index",
      { intent: "post", text: "Hello from the form #perch", visibility: "unlisted", spoilerText: "", language: "en" },
      { cookie: me.cookie },
    );
    const [post] = await authored(me.user.id);
    expect(post).toMatchObject({ text: "Hello from the form #perch", visibility: "unlisted", language: "en" });
    expect(response.headers.get("Location")).toBe(`/${me.user.username}/status/${post!.id}`);
  });

  it("publishes a thread in order, each post replying to the one before", async () => {
    const me = await signedIn();
    await postForm("/?index", { intent: "post", text: ["One", "Two", "Three"], visibility: "public" }, { cookie: me.cookie });
    const thread = await authored(me.user.id);
    expect(thread.map((post) => post.text)).toEqual(["One", "Two", "Three"]);
    expect(thread[1]!.inReplyToId).toBe(thread[0]!.id);
    expect(thread[2]!.inReplyToId).toBe(thread[1]!.id);
  });

  it("writes nothing when any post of a thread is invalid, and keeps what was typed", async () => {
    const me = await signedIn();
    const response = await postForm(
      "/?index",
      { intent: "post", text: ["Fine", "x".repeat(600)], visibility: "public" },
      { cookie: me.cookie },
    );
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain("Post 2 of the thread is 100 characters over the limit of 500");
    // Both boxes come back with what was in them.
    expect(html).toContain(">Fine</textarea>");
    expect(html).toContain(`>${"x".repeat(600)}</textarea>`);
    expect(await authored(me.user.id)).toEqual([]);
    const empty = await postForm("/?index", { intent: "post", text: "   ", visibility: "public" }, { cookie: me.cookie });
    expect(await empty.text()).toContain("Your post is empty: write something first");
  });

  it("tells an unconfirmed account why it cannot post yet", async () => {
    const me = await signedIn({ emailVerified: false });
    const response = await postForm("/?index", { intent: "post", text: "Let me in", visibility: "public" }, { cookie: me.cookie });
    expect(response.status).toBe(403);
    const html = await response.text();
    expect(html).toContain("Confirm your email address to start posting");
    expect(html).toContain("Let me in");
  });

  it("replies from the post page, and the reply shows below the post", async () => {
    const me = await signedIn();
    const friend = await signedIn();
    await postForm("/?index", { intent: "post", text: "Start of a conversation", visibility: "public" }, { cookie: me.cookie });
    const [root] = await authored(me.user.id);
    await postForm(
      `/${me.user.username}/status/${root!.id}`,
      { intent: "post", text: "A reply!", inReplyToId: root!.id, visibility: "public" },
      { cookie: friend.cookie },
    );
    const page = await getPage(`/${me.user.username}/status/${root!.id}`);
    expect(page.html).toContain("A reply!");
  });
});

describe("the composer, collapsed and without JavaScript", () => {
  const textareas = (html: string) => [...html.matchAll(/<textarea[^>]*name="text"[^>]*>([^<]*)<\/textarea>/g)].map((match) => match[1]);

  it("is one line on the home page and under a post, linking to the /compose page, which opens it", async () => {
    const me = await signedIn();
    const home = await getPage("/", me.cookie);
    expect(home.html).toMatch(/<a [^>]*href="\/compose"[^>]*>What(&#x27;|')s happening\?<\/a>/);
    expect(textareas(home.html)).toEqual([]);
    await postForm("/?index", { intent: "post", text: "Reply to me", visibility: "public" }, { cookie: me.cookie });
    const [root] = await authored(me.user.id);
    const postPage = await getPage(`/${me.user.username}/status/${root!.id}`, me.cookie);
    expect(postPage.html).toContain(`href="/compose?inReplyTo=${root!.id}"`);
    expect(textareas(postPage.html)).toEqual([]);

    const reply = await getPage(`/compose?inReplyTo=${root!.id}`, me.cookie);
    expect(reply.html).toContain(`Replying to @${me.user.username}`);
    expect(reply.html).toContain(`name="inReplyToId" value="${root!.id}"`);
    const sent = await postForm(
      `/compose?inReplyTo=${root!.id}`,
      { intent: "post", text: "Replied from /compose", inReplyToId: root!.id, visibility: "public" },
      { cookie: me.cookie },
    );
    const [, replied] = await authored(me.user.id);
    expect(replied).toMatchObject({ text: "Replied from /compose", inReplyToId: root!.id });
    expect(sent.headers.get("Location")).toBe(`/${me.user.username}/status/${replied!.id}`);
    expect((await getPage("/compose")).response.headers.get("Location")).toBe("/login?redirectTo=%2Fcompose");
  });

  it("adds a box to the thread with a round trip that keeps what was typed, and posts the thread", async () => {
    const me = await signedIn();
    const first = await postForm(
      "/compose",
      { intent: "thread", text: "First of two", visibility: "unlisted", spoilerText: "Birds ahead" },
      { cookie: me.cookie },
    );
    expect(first.status).toBe(200);
    const html = await first.text();
    expect(textareas(html)).toEqual(["First of two", ""]);
    expect(html).toContain('value="Birds ahead"');
    expect(html).toMatch(/<option value="unlisted" selected="">/);
    expect(html).toContain("Post 2 of the thread");
    expect(await authored(me.user.id)).toEqual([]);
    await postForm("/compose", { intent: "post", text: ["First of two", "Second of two"], visibility: "public" }, { cookie: me.cookie });
    const thread = await authored(me.user.id);
    expect(thread.map((post) => post.text)).toEqual(["First of two", "Second of two"]);
    expect(thread[1]!.inReplyToId).toBe(thread[0]!.id);
  });

  it("attaches the chosen files with a round trip: each comes back with its preview and its own description field", async () => {
    const me = await signedIn();
    const form = new FormData();
    form.set("intent", "attach");
    form.set("text", "Look at these");
    form.set("visibility", "public");
    for (const name of ["left", "right"]) {
      form.append("media", new File([(await identiconPng(name, 32)) as Uint8Array<ArrayBuffer>], `${name}.png`, { type: "image/png" }));
    }
    const response = await postForm("/compose", form, { cookie: me.cookie });
    expect(response.status).toBe(200);
    const html = await response.text();
    const uploads = await ctx.db.select().from(mediaAttachments).where(eq(mediaAttachments.ownerId, me.user.id));
    expect(uploads).toHaveLength(2);
    for (const upload of uploads) {
      expect(upload.postId).toBeNull();
      expect(html).toContain(`value="${upload.id}"`);
      expect(html).toContain(`name="alt:${upload.id}"`);
    }
    expect(html.match(/<img src="\/media\//g)).toHaveLength(2);
    expect(textareas(html)).toEqual(["Look at these"]);
  });
});
