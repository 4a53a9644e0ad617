import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { posts } from "#db/schema/index.ts";
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
    const home = await getPage("/", me.cookie);
    expect(home.html).toContain('aria-label="New post"');
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
    expect(await response.text()).toContain("Post 2 of the thread is 100 characters over the limit of 500");
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
