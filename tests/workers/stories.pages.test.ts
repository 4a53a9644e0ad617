import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { storyItems } from "#db/schema/index.ts";
import { identiconPng } from "#db/seed/artwork.ts";
import { makeFollow, makeUser } from "#db/seed/factories.ts";
import { expireStories } from "#domain/stories/expiry.ts";
import { getPage, postForm, sessionOf, testDomain } from "./support.ts";

const ctx = testDomain();
let count = 0;

async function member() {
  count += 1;
  const user = await makeUser(ctx, { username: `storypage${count}`, password: "a long enough password" });
  const cookie = sessionOf(
    await postForm("/login", { identifier: user.username, password: "a long enough password" }, { ip: `192.0.2.${60 + count}` }),
  );
  return { ...user, cookie };
}

async function postStoryForm(author: Awaited<ReturnType<typeof member>>, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set("media", new File([(await identiconPng(`page ${count}`, 48)) as Uint8Array<ArrayBuffer>], "story.png"));
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return postForm("/stories/new", form, { cookie: author.cookie });
}

describe("story pages", () => {
  it("posts a story from the form without JavaScript and shows it in followers' tray, ringed", async () => {
    const author = await member();
    const reader = await member();
    await makeFollow(ctx, reader, author);
    const posted = await postStoryForm(author, { overlayText: "Hello from the form", overlayColour: "pink", overlayPosition: "top" });
    expect(posted.status).toBe(302);
    const location = posted.headers.get("Location")!;
    expect(location).toMatch(new RegExp(`^/stories/${author.username}/\\d+$`));

    const home = await getPage("/", reader.cookie);
    expect(home.html).toContain('aria-label="Stories"');
    expect(home.html).toContain(`href="${location}"`);
    expect(home.html).toMatch(/, (<!-- -->)?new story/);

    const own = await getPage("/", author.cookie);
    expect(own.html).toContain("Your story");
    expect(own.html).toContain('href="/stories/new"');
  });

  it("is a plain page per item with Previous and Next links, records the view, and keeps a refused form's text", async () => {
    const author = await member();
    const reader = await member();
    const first = (await postStoryForm(author, { overlayText: "One" })).headers.get("Location")!;
    const second = (await postStoryForm(author, { overlayText: "Two" })).headers.get("Location")!;
    const page = await getPage(first, reader.cookie);
    expect(page.response.status).toBe(200);
    expect(page.html).toContain("One");
    expect(page.html).toContain(`href="${second}"`);
    expect(page.html).toMatch(/rel="next"[^>]*>Next|>Next</);
    const next = await getPage(second, reader.cookie);
    expect(next.html).toContain(`href="${first}"`);
    expect(next.html).toContain("Previous");

    const viewers = await getPage(`${first}/viewers`, author.cookie);
    expect(viewers.html).toContain(`@${reader.username}`);
    expect((await getPage(`${first}/viewers`, reader.cookie)).response.status).toBe(404);

    const refused = await postStoryForm(author, { overlayText: "Keep me", overlayColour: "mauve" });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("Keep me");
  });

  it("answers 410 to the author and 404 to others after expiry", async () => {
    const author = await member();
    const reader = await member();
    const link = (await postStoryForm(author)).headers.get("Location")!;
    const itemId = link.split("/").pop()!;
    await ctx.db
      .update(storyItems)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(storyItems.id, itemId));
    await expireStories(ctx);
    expect((await getPage(link, author.cookie)).response.status).toBe(410);
    expect((await getPage(link, reader.cookie)).response.status).toBe(404);
  });

  it("keeps an item in a highlight from the viewer's form, shown on the profile and viewable after expiry", async () => {
    const author = await member();
    const reader = await member();
    const link = (await postStoryForm(author, { overlayText: "Keep this" })).headers.get("Location")!;
    const kept = await postForm(
      link,
      { intent: "highlight", itemId: link.split("/").pop()!, highlightId: "", title: "Trips" },
      { cookie: author.cookie },
    );
    expect(kept.status).toBe(200);
    await ctx.db
      .update(storyItems)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(storyItems.authorId, author.id));
    await expireStories(ctx);
    const profile = await getPage(`/${author.username}`, reader.cookie);
    expect(profile.html).toContain("Trips");
    const highlightLink = /href="(\/highlights\/\d+)"/.exec(profile.html)![1]!;
    const opened = await getPage(highlightLink, reader.cookie);
    expect(opened.response.status).toBe(200);
    expect(opened.html).toContain("Keep this");
  });
});
