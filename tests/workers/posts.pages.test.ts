import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bookmarks, dislikes, mediaAttachments, polls, posts, reactions } from "#db/schema/index.ts";
import { identiconPng } from "#db/seed/artwork.ts";
import { makeFollow, makePost, makeUser } from "#db/seed/factories.ts";
import { favourite } from "#domain/posts/engagement.ts";
import { cookieFrom, getPage, postForm, sessionOf, testDomain, eventually } from "./support.ts";

const ctx = testDomain();
let count = 0;

async function signedIn() {
  count += 1;
  const user = await makeUser(ctx, { username: `paged${count}`, password: "a long enough password", displayName: `Paged ${count}` });
  const cookie = sessionOf(
    await postForm("/login", { identifier: user.username, password: "a long enough password" }, { ip: `192.0.2.${100 + count}` }),
  );
  return { user, cookie };
}

const file = async (name: string) =>
  new File([(await identiconPng(name, 64)) as Uint8Array<ArrayBuffer>], `${name}.png`, { type: "image/png" });
const authored = (userId: string) => ctx.db.select().from(posts).where(eq(posts.authorId, userId)).orderBy(posts.id);

async function composeWithImagesAndPoll(cookie: string, extra: Record<string, string> = {}) {
  const form = new FormData();
  for (const [key, value] of Object.entries({
    intent: "post",
    text: "Which bird? #birds",
    visibility: "public",
    pollOption0: "Robin",
    pollOption1: "Wren",
    pollDuration: "3600",
    ...extra,
  }))
    form.set(key, value);
  form.append("media", await file("robin"));
  form.append("media", await file("wren"));
  form.append("alt", "A robin on a fence");
  form.append("alt", "A wren in a hedge");
  return postForm("/?index", form, { cookie });
}

describe("composing with media and a poll", () => {
  it("publishes two described images and a poll from the plain form, and shows them on the post page", async () => {
    const me = await signedIn();
    const response = await composeWithImagesAndPoll(me.cookie);
    expect(response.status).toBe(302);
    const [post] = await authored(me.user.id);
    expect(response.headers.get("Location")).toBe(`/${me.user.username}/status/${post!.id}`);
    const media = await ctx.db
      .select()
      .from(mediaAttachments)
      .where(eq(mediaAttachments.postId, post!.id))
      .orderBy(mediaAttachments.position);
    expect(media.map((item) => item.description)).toEqual(["A robin on a fence", "A wren in a hedge"]);

    const voter = await signedIn();
    const { html } = await getPage(`/${me.user.username}/status/${post!.id}`, voter.cookie);
    expect(html).toContain('alt="A robin on a fence"');
    expect(html).toContain('alt="A wren in a hedge"');
    expect(html).toContain('action="/resources/vote"');
    expect(html).toContain('<input type="radio" name="choice" required="" value="1"/>Wren');
    const anonymous = await getPage(`/${me.user.username}/status/${post!.id}`);
    expect(anonymous.html).not.toContain('action="/resources/vote"');
    expect(anonymous.html).toContain("Results are shown once you vote");
  });

  it("refuses a bad poll with the form kept, the chosen file kept as an upload with its preview, and posts it on the next try", async () => {
    const me = await signedIn();
    const form = new FormData();
    for (const [key, value] of Object.entries({
      intent: "post",
      text: "Bad poll",
      visibility: "public",
      pollOption0: "Same",
      pollOption1: "same",
      pollDuration: "3600",
    }))
      form.set(key, value);
    form.append("media", await file("orphan"));
    form.append("alt", "An orphan bird");
    const response = await postForm("/?index", form, { cookie: me.cookie });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain("Poll options must all be different");
    expect(html).toContain("Bad poll");
    expect(await authored(me.user.id)).toEqual([]);
    const [upload] = await ctx.db.select().from(mediaAttachments).where(eq(mediaAttachments.ownerId, me.user.id));
    expect(upload).toMatchObject({ postId: null, description: "An orphan bird" });
    // The form comes back holding the file: its id, its preview, and its description in a field of its own.
    expect(html).toContain(`name="keepMedia" checked="" value="${upload!.id}"`);
    expect(html).toMatch(new RegExp(`<img src="/media/[^"]+" alt=""[^>]*/>`));
    expect(html).toContain(`name="alt:${upload!.id}"`);
    expect(html).toContain("An orphan bird</textarea>");

    const again = await postForm(
      "/?index",
      { intent: "post", text: "Good post", visibility: "public", keepMedia: upload!.id, [`alt:${upload!.id}`]: "A bird, described again" },
      { cookie: me.cookie },
    );
    expect(again.status).toBe(302);
    const [post] = await authored(me.user.id);
    const [attached] = await ctx.db.select().from(mediaAttachments).where(eq(mediaAttachments.postId, post!.id));
    expect(attached).toMatchObject({ id: upload!.id, description: "A bird, described again" });
  });
});

describe("voting without JavaScript", () => {
  it("records the vote, returns to the page with results, and reports a second vote as refused", async () => {
    const me = await signedIn();
    await composeWithImagesAndPoll(me.cookie);
    const [post] = await authored(me.user.id);
    const pollId = (await ctx.db.query.polls.findFirst({ where: (polls, { eq: equals }) => equals(polls.postId, post!.id) }))!.id;
    const voter = await signedIn();
    const path = `/${me.user.username}/status/${post!.id}`;
    const voted = await postForm("/resources/vote", { pollId, choice: "1", redirectTo: path }, { cookie: voter.cookie });
    expect(voted.status).toBe(302);
    expect(voted.headers.get("Location")).toBe(path);
    const { html } = await getPage(path, voter.cookie);
    expect(html).toContain("100% (1 vote)");
    expect(html).toContain("your vote");

    const again = await postForm("/resources/vote", { pollId, choice: "0", redirectTo: path }, { cookie: voter.cookie });
    expect(again.headers.get("Location")).toBe(path);
    const toast = cookieFrom(again, "perch_toast");
    const shown = await getPage(path, `${voter.cookie}; ${toast}`);
    expect(shown.html).toContain("You have already voted in this poll");
    expect(
      shown.response.headers.getSetCookie().some((cookie) => cookie.startsWith("perch_toast=;") || /perch_toast=.*Max-Age=0/.test(cookie)),
    ).toBe(true);
  });

  it("shows a voter no counts until the end when the author hid them, and the author always", async () => {
    const me = await signedIn();
    await composeWithImagesAndPoll(me.cookie, { pollHideTotals: "on" });
    const [post] = await authored(me.user.id);
    const pollId = (await ctx.db.query.polls.findFirst({ where: (polls, { eq: equals }) => equals(polls.postId, post!.id) }))!.id;
    const voter = await signedIn();
    const path = `/${me.user.username}/status/${post!.id}`;
    await postForm("/resources/vote", { pollId, choice: "1", redirectTo: path }, { cookie: voter.cookie });
    const { html } = await getPage(path, voter.cookie);
    expect(html).toContain("Results are shown when the poll ends.");
    expect(html).not.toContain("(1 vote)");
    expect((await getPage(path, me.cookie)).html).toContain("100% (1 vote)");
  });
});

describe("editing from the page", () => {
  it("lets the author edit, marks the post edited, and shows the history", async () => {
    const me = await signedIn();
    const post = await makePost(ctx, me.user, { text: "Frist post" });
    const path = `/${me.user.username}/status/${post.id}`;
    expect((await getPage(`${path}/edit`, me.cookie)).html).toContain("Frist post");
    const saved = await postForm(`${path}/edit`, { text: "First post", spoilerText: "", language: "en" }, { cookie: me.cookie });
    expect(saved.headers.get("Location")).toBe(path);
    const page = await getPage(path, me.cookie);
    expect(page.html).toContain(`href="${path}/history"`);
    const history = await getPage(`${path}/history`);
    expect(history.html).toContain("Frist post");
    expect(history.html).toContain("First post");
    expect(history.html.indexOf("First post")).toBeLessThan(history.html.indexOf("Frist post"));
  });

  it("changes attachments and the poll: keeps, describes, removes and adds files; keeps or removes the poll", async () => {
    const me = await signedIn();
    await composeWithImagesAndPoll(me.cookie);
    const [post] = await authored(me.user.id);
    const path = `/${me.user.username}/status/${post!.id}`;
    const attachments = () =>
      ctx.db.select().from(mediaAttachments).where(eq(mediaAttachments.postId, post!.id)).orderBy(mediaAttachments.position);
    const [robin, wren] = await attachments();
    const voter = await signedIn();
    await postForm(
      "/resources/vote",
      { pollId: (await ctx.db.select().from(polls).where(eq(polls.postId, post!.id)))[0]!.id, choice: "1", redirectTo: path },
      { cookie: voter.cookie },
    );

    const editPage = await getPage(`${path}/edit`, me.cookie);
    expect(editPage.html).toContain(`name="keepMedia" checked="" value="${robin!.id}"`);
    expect(editPage.html).toContain("A wren in a hedge</textarea>");
    expect(editPage.html).toContain('value="Robin"');
    expect(editPage.html).toContain('<option value="keep" selected="">Until');

    const form = new FormData();
    for (const [key, value] of Object.entries({
      text: "Which bird now?",
      pollOption0: "Robin",
      pollOption1: "Wren",
      pollDuration: "keep",
      keepMedia: wren!.id,
      [`alt:${wren!.id}`]: "A wren, closer",
    }))
      form.set(key, value);
    form.append("media", await file("finch"));
    form.append("alt", "A finch");
    expect((await postForm(`${path}/edit`, form, { cookie: me.cookie })).headers.get("Location")).toBe(path);
    expect((await attachments()).map((item) => item.description)).toEqual(["A wren, closer", "A finch"]);
    await eventually(async () => expect(await env.MEDIA.head(robin!.key)).toBeNull());
    const [poll] = await ctx.db.select().from(polls).where(eq(polls.postId, post!.id));
    expect(poll).toMatchObject({ votesCount: 1 });

    // A new question that keeps the end: the votes start again, and it ends when the old one would have.
    const asked = await postForm(
      `${path}/edit`,
      { text: "Which bird now?", pollOption0: "Robin", pollOption1: "Finch", pollDuration: "keep", keepMedia: wren!.id },
      { cookie: me.cookie },
    );
    expect(asked.status).toBe(302);
    const [renewed] = await ctx.db.select().from(polls).where(eq(polls.postId, post!.id));
    expect(renewed).toMatchObject({ votesCount: 0 });
    expect(renewed!.id).not.toBe(poll!.id);
    expect(Math.abs(renewed!.expiresAt.getTime() - poll!.expiresAt.getTime())).toBeLessThan(2000);

    const cleared = await postForm(
      `${path}/edit`,
      { text: "No poll now", keepMedia: wren!.id, pollDuration: "keep" },
      { cookie: me.cookie },
    );
    expect(cleared.status).toBe(302);
    expect(await ctx.db.select().from(polls).where(eq(polls.postId, post!.id))).toEqual([]);
    expect((await attachments()).map((item) => item.id)).toEqual([wren!.id]);
    const history = await getPage(`${path}/history`);
    expect(history.html).toContain('alt="A wren, closer"');
    expect(history.html).toContain("<li>Wren</li>");
    expect(history.html).toContain("<li>Finch</li>");
  });

  it("keeps a file chosen for a refused edit, offered beside the post's own, and attaches it on the next try", async () => {
    const me = await signedIn();
    const post = await makePost(ctx, me.user, { text: "Before" });
    const path = `/${me.user.username}/status/${post.id}`;
    const form = new FormData();
    form.set("text", "Too long ".repeat(100));
    form.append("media", await file("heron"));
    form.append("alt", "A heron in the reeds");
    const refused = await postForm(`${path}/edit`, form, { cookie: me.cookie });
    expect(refused.status).toBe(422);
    const [upload] = await ctx.db.select().from(mediaAttachments).where(eq(mediaAttachments.ownerId, me.user.id));
    expect(upload).toMatchObject({ postId: null, description: "A heron in the reeds" });
    const html = await refused.text();
    expect(html).toContain(`name="keepMedia" checked="" value="${upload!.id}"`);
    expect(html).toContain("A heron in the reeds</textarea>");

    const saved = await postForm(
      `${path}/edit`,
      { text: "After, with a heron", keepMedia: upload!.id, [`alt:${upload!.id}`]: "A grey heron" },
      { cookie: me.cookie },
    );
    expect(saved.headers.get("Location")).toBe(path);
    const attached = await ctx.db.select().from(mediaAttachments).where(eq(mediaAttachments.postId, post.id));
    expect(attached).toMatchObject([{ id: upload!.id, description: "A grey heron" }]);
  });

  it("refuses anyone else, and an empty edit keeps the post and what was typed", async () => {
    const me = await signedIn();
    const other = await signedIn();
    const post = await makePost(ctx, me.user, { text: "Mine" });
    const path = `/${me.user.username}/status/${post.id}`;
    expect((await getPage(`${path}/edit`, other.cookie)).response.status).toBe(403);
    expect((await postForm(`${path}/edit`, { text: "Theirs" }, { cookie: other.cookie })).status).toBe(403);
    const empty = await postForm(`${path}/edit`, { text: " ", spoilerText: "still typed" }, { cookie: me.cookie });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain("still typed");
    expect((await authored(me.user.id))[0]).toMatchObject({ text: "Mine", editedAt: null });
  });
});

describe("lists of people and posts", () => {
  it("shows who liked a post, and bookmarks only to their owner", async () => {
    const me = await signedIn();
    const fan = await signedIn();
    const post = await makePost(ctx, me.user, { text: "Like me" });
    await favourite(ctx, fan.user.id, post.id);
    const likes = await getPage(`/${me.user.username}/status/${post.id}/likes`);
    expect(likes.html).toContain(fan.user.displayName);
    const reposts = await getPage(`/${me.user.username}/status/${post.id}/reposts`);
    expect(reposts.html).toContain("No reposts yet");

    await ctx.db.insert(bookmarks).values({ userId: fan.user.id, postId: post.id, createdAt: new Date() });
    expect((await getPage("/bookmarks", fan.cookie)).html).toContain("Like me");
    expect((await getPage("/bookmarks", me.cookie)).html).not.toContain("Like me");
    expect((await getPage("/bookmarks")).response.status).toBe(302);
  });
});

describe("the post menu and buttons", () => {
  it("deletes from the post's page and lands on the profile with a message", async () => {
    const me = await signedIn();
    const post = await makePost(ctx, me.user, { text: "Soon gone" });
    const path = `/${me.user.username}/status/${post.id}`;
    const response = await postForm("/resources/post", { intent: "delete", postId: post.id, redirectTo: path }, { cookie: me.cookie });
    expect(response.headers.get("Location")).toBe(`/${me.user.username}`);
    expect(await authored(me.user.id)).toEqual([]);
    const profile = await getPage(`/${me.user.username}`, `${me.cookie}; ${cookieFrom(response, "perch_toast")}`);
    expect(profile.html).toContain("Your post was deleted.");
  });

  it("redrafts: deletes and opens the composer with the text, warning and visibility", async () => {
    const me = await signedIn();
    const post = await makePost(ctx, me.user, { text: "Draft me again", spoilerText: "spoilers", visibility: "unlisted" });
    const response = await postForm("/resources/post", { intent: "redraft", postId: post.id, redirectTo: "/" }, { cookie: me.cookie });
    const location = response.headers.get("Location")!;
    expect(location).toMatch(/^\/compose\?/);
    const home = await getPage(location, me.cookie);
    expect(home.html).toContain("Draft me again</textarea>");
    expect(home.html).toContain('value="spoilers"');
    expect(await authored(me.user.id)).toEqual([]);
  });

  it("redrafts a post with images and a poll: the composer keeps both, and posting again reuses the files", async () => {
    const me = await signedIn();
    await composeWithImagesAndPoll(me.cookie);
    const [post] = await authored(me.user.id);
    const [robin, wren] = await ctx.db
      .select()
      .from(mediaAttachments)
      .where(eq(mediaAttachments.postId, post!.id))
      .orderBy(mediaAttachments.position);
    const response = await postForm("/resources/post", { intent: "redraft", postId: post!.id, redirectTo: "/" }, { cookie: me.cookie });
    const home = await getPage(response.headers.get("Location")!.replace(/#.*/, ""), me.cookie);
    expect(home.html).toContain(`name="keepMedia" checked="" value="${robin!.id}"`);
    expect(home.html).toContain("A wren in a hedge</textarea>");
    expect(home.html).toContain('value="Wren"');
    expect(await env.MEDIA.head(robin!.key)).not.toBeNull();

    const again = await postForm(
      "/?index",
      {
        intent: "post",
        text: "Which bird? Second try",
        visibility: "public",
        keepMedia: wren!.id,
        [`alt:${wren!.id}`]: "A wren",
        pollOption0: "Robin",
        pollOption1: "Wren",
        pollDuration: "3600",
      },
      { cookie: me.cookie },
    );
    expect(again.status).toBe(302);
    const [redrafted] = await authored(me.user.id);
    const media = await ctx.db.select().from(mediaAttachments).where(eq(mediaAttachments.postId, redrafted!.id));
    expect(media.map((item) => [item.id, item.description])).toEqual([[wren!.id, "A wren"]]);
    expect(await ctx.db.select().from(polls).where(eq(polls.postId, redrafted!.id))).toHaveLength(1);
  });

  it("keeps nobody else's upload in a redraft address", async () => {
    const me = await signedIn();
    const other = await signedIn();
    await composeWithImagesAndPoll(other.cookie);
    const [theirs] = await ctx.db.select().from(mediaAttachments).where(eq(mediaAttachments.ownerId, other.user.id));
    const home = await getPage(`/?text=Mine&media=${theirs!.id}`, me.cookie);
    expect(home.html).toContain("Mine</textarea>");
    expect(home.html).not.toContain('name="keepMedia"');
  });

  it("embeds the post to quote in the composer, and reports a refused repost as a message", async () => {
    const me = await signedIn();
    const author = await signedIn();
    await makeFollow(ctx, me.user, author.user);
    const open = await makePost(ctx, author.user, { text: "Quote this" });
    const home = await getPage(`/?quote=${open.id}`, me.cookie);
    expect(home.html).toContain(`name="quoteOfId" value="${open.id}"`);
    expect(home.html).toContain(`Quoting @${author.user.username}`);

    const closed = await makePost(ctx, author.user, { text: "Followers only", visibility: "private" });
    const refused = await postForm("/resources/engage", { intent: "reblog", postId: closed.id, redirectTo: "/" }, { cookie: me.cookie });
    expect(refused.headers.get("Location")).toBe("/");
    const after = await getPage("/", `${me.cookie}; ${cookieFrom(refused, "perch_toast")}`);
    expect(after.html).toContain("Only public and unlisted posts can be reposted");
  });
});

describe("reactions and dislikes without JavaScript", () => {
  it("react with any single emoji, toggle it off again, and refuse anything else with a message", async () => {
    const me = await signedIn();
    const author = await signedIn();
    const post = await makePost(ctx, author.user, { text: "React to me" });
    const path = `/${author.user.username}/status/${post.id}`;
    expect((await getPage(path, me.cookie)).html).toContain("React with an emoji");
    await postForm("/resources/engage", { intent: "react", emoji: "🎉", postId: post.id, redirectTo: path }, { cookie: me.cookie });
    expect(await ctx.db.select().from(reactions).where(eq(reactions.postId, post.id))).toMatchObject([{ userId: me.user.id, emoji: "🎉" }]);
    const page = await getPage(path, me.cookie);
    expect(page.html).toContain("🎉: 1 reaction, including yours");
    await postForm("/resources/engage", { intent: "unreact", emoji: "🎉", postId: post.id, redirectTo: path }, { cookie: me.cookie });
    expect(await ctx.db.select().from(reactions).where(eq(reactions.postId, post.id))).toEqual([]);
    const refused = await postForm(
      "/resources/engage",
      { intent: "react", emoji: "lol", postId: post.id, redirectTo: path },
      { cookie: me.cookie },
    );
    const after = await getPage(path, `${me.cookie}; ${cookieFrom(refused, "perch_toast")}`);
    expect(after.html).toContain("A reaction is a single emoji");
  });

  it("dislike privately: recorded, pressed for the disliker, invisible to everyone else", async () => {
    const me = await signedIn();
    const author = await signedIn();
    const post = await makePost(ctx, author.user, { text: "Meh" });
    const path = `/${author.user.username}/status/${post.id}`;
    await postForm("/resources/engage", { intent: "dislike", postId: post.id, redirectTo: path }, { cookie: me.cookie });
    expect(await ctx.db.select().from(dislikes).where(eq(dislikes.postId, post.id))).toHaveLength(1);
    expect((await getPage(path, me.cookie)).html).toMatch(/value="undislike" aria-pressed="true"/);
    const authorView = await getPage(path, author.cookie);
    // The dislike sits in the post menu of other people's posts; the author has none to press and sees no count.
    expect(authorView.html).not.toContain('value="undislike"');
    expect(authorView.html).not.toMatch(/dislikes?\b[^"]*\d/);
  });
});
