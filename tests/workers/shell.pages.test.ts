import { describe, expect, it } from "vitest";
import { identiconPng } from "#db/seed/artwork.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { eq } from "drizzle-orm";
import { users } from "#db/schema/index.ts";
import { favourite, react } from "#domain/posts/engagement.ts";
import { getPage, postForm, sessionOf, testDomain } from "./support.ts";

const ctx = testDomain();
let count = 0;

async function signedIn() {
  count += 1;
  const user = await makeUser(ctx, { username: `shell${count}`, password: "a long enough password", displayName: `Shell ${count}` });
  const cookie = sessionOf(
    await postForm("/login", { identifier: user.username, password: "a long enough password" }, { ip: `198.51.100.${10 + count}` }),
  );
  return { user, cookie };
}

/** The HTML of the first element opening with `start`, up to its closing tag (enough for the flat navs asserted on). */
function section(html: string, start: string, end = "</nav>"): string {
  const from = html.indexOf(start);
  expect(from, `${start} is on the page`).toBeGreaterThan(-1);
  return html.slice(from, html.indexOf(end, from));
}

const links = (html: string) => [...html.matchAll(/<a [^>]*href="([^"]+)"/g)].map((match) => match[1]);

describe("navigation", () => {
  it("gives a visitor on a phone the ways in from the top bar, and puts the API in the menu rather than the main navigation", async () => {
    const { html } = await getPage("/");
    const topBar = section(html, '<header class="flex items-center justify-between', "</header>");
    expect(links(topBar)).toEqual(["/", "/login", "/signup"]);
    expect(links(section(html, 'aria-label="Primary, phone layout"'))).toEqual(["/", "/search", "/explore", "/menu"]);
    expect(links(section(html, 'aria-label="Primary"'))).not.toContain("/api/docs");
    const menu = await getPage("/menu");
    expect(links(section(menu.html, 'aria-label="Everywhere"'))).toEqual(["/", "/search", "/explore", "/api/docs"]);
    expect(menu.html).toContain('href="/login"');
  });

  it("keeps a signed-in phone's bottom bar to five, with everything else, the theme and Log out on the menu page", async () => {
    const me = await signedIn();
    const { html } = await getPage("/", me.cookie);
    expect(links(section(html, 'aria-label="Primary, phone layout"'))).toEqual(["/", "/search", "/compose", "/notifications", "/menu"]);
    const menu = await getPage("/menu", me.cookie);
    const everywhere = links(section(menu.html, 'aria-label="Everywhere"'));
    expect(everywhere).toEqual(
      expect.arrayContaining([
        `/${me.user.username}`,
        "/friends",
        "/settings",
        "/bookmarks",
        "/lists",
        "/follow-requests",
        "/drafts",
        "/scheduled",
        "/api/docs",
      ]),
    );
    expect(menu.html).toContain('action="/logout"');
    expect(menu.html).toContain('action="/resources/theme"');
  });

  it("marks the profile current on the profile, not on one's own post page", async () => {
    const me = await signedIn();
    const post = await makePost(ctx, me.user, { text: "Mine" });
    const profileLink = (html: string) =>
      section(html, 'aria-label="Primary"').match(new RegExp(`<a [^>]*href="/${me.user.username}"[^>]*>`))![0];
    expect(profileLink((await getPage(`/${me.user.username}`, me.cookie)).html)).toContain('aria-current="page"');
    const postPage = await getPage(`/${me.user.username}/status/${post.id}`, me.cookie);
    expect(profileLink(postPage.html)).not.toContain("aria-current");
    expect(postPage.html).toContain('title="Back"');
  });
});

describe("post buttons without JavaScript", () => {
  it("come back to the same post: every form's return address carries the post's anchor, and the action keeps it", async () => {
    const me = await signedIn();
    const author = await signedIn();
    const post = await makePost(ctx, author.user, { text: "Come back to me" });
    const { html } = await getPage("/?feed=latest", me.cookie);
    expect(html).toContain(`<article id="post-${post.id}"`);
    const anchored = `value="/?feed=latest#post-${post.id}"`;
    // Repost, like and bookmark in the bar, the dislike in the post menu.
    expect(html.split(anchored).length - 1).toBeGreaterThanOrEqual(4);
    const liked = await postForm(
      "/resources/engage",
      { intent: "favourite", postId: post.id, redirectTo: `/#post-${post.id}` },
      { cookie: me.cookie },
    );
    expect(liked.headers.get("Location")).toBe(`/#post-${post.id}`);
  });

  it("brings reactions and poll votes back to the post's anchor too", async () => {
    const me = await signedIn();
    const author = await signedIn();
    const post = await makePost(ctx, author.user, {
      text: "Pick one",
      poll: { options: ["Robin", "Wren"], expiresInSeconds: 3600, multiple: false, hideTotals: false },
    });
    await react(ctx, author.user.id, post.id, "🐦", true);
    const { html } = await getPage("/?feed=latest", me.cookie);
    const anchored = `name="redirectTo" value="/?feed=latest#post-${post.id}"`;
    const formsTo = (action: string) =>
      html
        .split(`action="${action}"`)
        .slice(1)
        .map((form) => form.slice(0, form.indexOf("</form>")));
    expect(formsTo("/resources/vote").filter((form) => form.includes(anchored))).toHaveLength(1);
    expect(formsTo("/resources/engage").some((form) => form.includes('name="emoji" value="🐦"') && form.includes(anchored))).toBe(true);
  });

  it("names every action, with the counts in correct English plurals", async () => {
    const me = await signedIn();
    const author = await signedIn();
    const post = await makePost(ctx, author.user, { text: "Count me" });
    await favourite(ctx, me.user.id, post.id);
    const path = `/${author.user.username}/status/${post.id}`;
    const mine = await getPage(path, me.cookie);
    expect(mine.html).toContain("Like, 1 like<");
    expect(mine.html).toContain("Repost or quote, 0 reposts<");
    expect(mine.html).toContain("Reply, 0 replies<");
    expect(mine.html).toContain('title="Bookmark (only you see it)"');
    expect(mine.html).toContain("Show less like this");
    const visitor = await getPage(path);
    expect(visitor.html).not.toMatch(/\b1(<[^>]+>)* likes\b/);
    expect(visitor.html).toMatch(/>1<\/span><span class="sr-only"> like<\/span>/);
  });
});

describe("quotes, profiles and empty pages", () => {
  it("shows a quoted post as a compact card with a thumbnail of its first image, not the image itself", async () => {
    const me = await signedIn();
    const form = new FormData();
    form.set("intent", "post");
    form.set("text", "The original, with a picture");
    form.set("visibility", "public");
    form.append("media", new File([(await identiconPng("quoted", 64)) as Uint8Array<ArrayBuffer>], "quoted.png", { type: "image/png" }));
    form.append("alt", "A small square");
    await postForm("/compose", form, { cookie: me.cookie });
    const [original] = await ctx.db.query.posts.findMany({ where: (table, { eq: is }) => is(table.authorId, me.user.id) });
    const quote = await makePost(ctx, me.user, { text: "Look at this", quoteOfId: original!.id });
    const { html } = await getPage(`/${me.user.username}/status/${quote.id}`);
    const card = html.slice(html.indexOf("<blockquote"), html.indexOf("</blockquote>"));
    expect(card).toContain("The original, with a picture");
    expect(card).toMatch(/<img src="\/media\/[^"]+" alt="A small square" width="64" height="64"/);
    expect(card).toContain(`href="/${me.user.username}/status/${original!.id}"`);
  });

  it("draws a profile without a header of its own from its accent colour, and shows its chosen header otherwise", async () => {
    const me = await signedIn();
    await ctx.db.update(users).set({ accentColor: "#0f766e" }).where(eq(users.id, me.user.id));
    const plain = await getPage(`/${me.user.username}`);
    expect(plain.html).toContain('style="--accent:#0f766e"');
    expect(plain.html).toContain("profile-default-header");
    expect(plain.html).not.toContain('<img src="/headers/original/missing.png"');
    await ctx.db.update(users).set({ headerKey: "headers/mine.webp" }).where(eq(users.id, me.user.id));
    const chosen = await getPage(`/${me.user.username}`);
    expect(chosen.html).toContain('src="/media/headers/mine.webp"');
    expect(chosen.html).not.toContain("profile-default-header");
  });

  it("gives an empty page an icon and a next step", async () => {
    const me = await signedIn();
    const home = await getPage("/", me.cookie);
    expect(home.html).toContain("Your feed is empty");
    expect(home.html).toMatch(/<a [^>]*href="\/\?feed=latest"[^>]*>Find people to follow<\/a>/);
    const profile = await getPage(`/${me.user.username}`, me.cookie);
    expect(profile.html).toMatch(/<a [^>]*href="\/compose"[^>]*>Write your first post<\/a>/);
    const bookmarks = await getPage("/bookmarks", me.cookie);
    expect(bookmarks.html).toMatch(/<svg[^>]*aria-hidden="true"[^>]*>[\s\S]*Nothing bookmarked yet/);
  });
});

describe("deleting a post", () => {
  it("asks first: the menu leads to a confirmation page whose form deletes; nobody else gets the page", async () => {
    const me = await signedIn();
    const other = await signedIn();
    const post = await makePost(ctx, me.user, { text: "Think twice" });
    const path = `/${me.user.username}/status/${post.id}`;
    const postPage = await getPage(path, me.cookie);
    expect(postPage.html).toContain(`href="${path}/delete?redirectTo=${encodeURIComponent(path)}"`);
    const confirm = await getPage(`${path}/delete?redirectTo=${encodeURIComponent(path)}`, me.cookie);
    expect(confirm.response.status).toBe(200);
    expect(confirm.html).toContain("Delete this post?");
    expect(confirm.html).toContain("Think twice");
    expect(confirm.html).toMatch(/name="intent" value="delete"/);
    expect(confirm.html).toContain(`href="${path}"`);
    expect((await getPage(`${path}/delete`, other.cookie)).response.status).toBe(403);
    expect((await getPage(`${path}/delete`)).response.headers.get("Location")).toMatch(/^\/login\?/);
  });
});

describe("composing", () => {
  it("says how far a single post is over the limit", async () => {
    const me = await signedIn();
    const response = await postForm("/?index", { intent: "post", text: "x".repeat(512), visibility: "public" }, { cookie: me.cookie });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain("Your post is 12 characters over the limit of 500");
  });
});

describe("titles, descriptions and link previews", () => {
  it("gives every main page a title and a description", async () => {
    const me = await signedIn();
    for (const [path, cookie] of [
      ["/"],
      ["/login"],
      ["/signup"],
      ["/menu"],
      ["/friends", me.cookie],
      ["/settings/privacy", me.cookie],
    ] as const) {
      const { html } = await getPage(path, cookie);
      expect(html, path).toMatch(/<title>[^<]+<\/title>/);
      expect(html, path).toMatch(/<meta name="description" content="[^"]+"/);
    }
  });

  it("gives posts and profiles Open Graph and Twitter card tags with absolute addresses", async () => {
    const me = await signedIn();
    const post = await makePost(ctx, me.user, { text: "Share   me\nwidely" });
    const { html } = await getPage(`/${me.user.username}/status/${post.id}`);
    expect(html).toContain('<meta property="og:type" content="article"/>');
    expect(html).toContain('<meta property="og:description" content="Share me widely"/>');
    expect(html).toMatch(new RegExp(`<meta property="og:url" content="http://[^"]+/${me.user.username}/status/${post.id}"/>`));
    expect(html).toMatch(/<meta property="og:image" content="http:\/\/[^"]+"\/>/);
    expect(html).toContain('<meta name="twitter:card" content="summary"/>');

    const profile = await getPage(`/${me.user.username}`);
    expect(profile.html).toContain('<meta property="og:type" content="profile"/>');
    expect(profile.html).toContain(`<meta property="og:title" content="Shell ${count} (@${me.user.username})"/>`);
  });
});
