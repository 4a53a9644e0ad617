import { describe, expect, it } from "vitest";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { favourite } from "#domain/posts/engagement.ts";
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
    expect(links(section(html, 'aria-label="Primary, phone layout"'))).toEqual(["/", "/menu"]);
    expect(links(section(html, 'aria-label="Primary"'))).not.toContain("/api/docs");
    const menu = await getPage("/menu");
    expect(links(section(menu.html, 'aria-label="Everywhere"'))).toEqual(["/", "/api/docs"]);
    expect(menu.html).toContain('href="/login"');
  });

  it("keeps a signed-in phone's bottom bar to five, with everything else, the theme and Log out on the menu page", async () => {
    const me = await signedIn();
    const { html } = await getPage("/", me.cookie);
    expect(links(section(html, 'aria-label="Primary, phone layout"'))).toEqual([
      "/",
      "/friends",
      "/compose",
      `/${me.user.username}`,
      "/menu",
    ]);
    const menu = await getPage("/menu", me.cookie);
    const everywhere = links(section(menu.html, 'aria-label="Everywhere"'));
    expect(everywhere).toEqual(
      expect.arrayContaining(["/settings", "/bookmarks", "/lists", "/follow-requests", "/drafts", "/scheduled", "/api/docs"]),
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
