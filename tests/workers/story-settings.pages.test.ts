import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { storyItems } from "#db/schema/index.ts";
import { identiconPng } from "#db/seed/artwork.ts";
import { makeFollow, makeUser } from "#db/seed/factories.ts";
import { expireStories } from "#domain/stories/expiry.ts";
import { ownHighlights } from "#domain/stories/highlights.ts";
import { storyArchiveOn, storyListMembers } from "#domain/stories/settings.ts";
import { deliverEvents, getPage, postForm, sessionOf, testDomain } from "./support.ts";

const ctx = testDomain();
let count = 0;

async function member() {
  count += 1;
  const user = await makeUser(ctx, { username: `storysettings${count}`, password: "a long enough password" });
  const cookie = sessionOf(
    await postForm("/login", { identifier: user.username, password: "a long enough password" }, { ip: `192.0.2.${140 + count}` }),
  );
  return { ...user, cookie };
}

const picture = async (name: string) => new File([(await identiconPng(name, 48)) as Uint8Array<ArrayBuffer>], `${name}.png`);

describe("/settings/stories, without JavaScript", () => {
  it("manages close friends and the hidden list by username, keeping what was typed when refused", async () => {
    const owner = await member();
    const friend = await member();
    const page = await getPage("/settings/stories", owner.cookie);
    expect(page.response.status).toBe(200);
    for (const heading of ["Archive", "Close friends", "Hide my story from", "Muted stories"]) expect(page.html).toContain(heading);
    expect((await getPage("/settings/account", owner.cookie)).html).toContain('href="/settings/stories"');

    const added = await postForm(
      "/settings/stories",
      { intent: "add", list: "close-friends", username: `@${friend.username}` },
      { cookie: owner.cookie },
    );
    expect(added.status).toBe(200);
    expect((await storyListMembers(ctx, owner.id, "close-friends")).map((account) => account.id)).toEqual([friend.id]);
    expect((await getPage("/settings/stories", owner.cookie)).html).toContain(`@${friend.username}`);

    const unknown = await postForm(
      "/settings/stories",
      { intent: "add", list: "hidden", username: "nobody-here" },
      { cookie: owner.cookie },
    );
    expect(unknown.status).toBe(404);
    const html = await unknown.text();
    expect(html).toContain("There is no @nobody-here");
    expect(html).toContain('value="nobody-here"');

    await postForm("/settings/stories", { intent: "add", list: "hidden", username: friend.username }, { cookie: owner.cookie });
    expect((await storyListMembers(ctx, owner.id, "hidden")).map((account) => account.id)).toEqual([friend.id]);
    await postForm("/settings/stories", { intent: "remove", list: "close-friends", accountId: friend.id }, { cookie: owner.cookie });
    expect(await storyListMembers(ctx, owner.id, "close-friends")).toEqual([]);
    expect((await postForm("/settings/stories", { intent: "add", list: "nonsense", username: "x" }, { cookie: owner.cookie })).status).toBe(
      400,
    );
  });

  it("turns the archive off and on, and mutes someone's stories", async () => {
    const owner = await member();
    const muted = await member();
    await postForm("/settings/stories", { intent: "archive" }, { cookie: owner.cookie });
    expect(await storyArchiveOn(ctx, owner.id)).toBe(false);
    await postForm("/settings/stories", { intent: "archive", archive: "on" }, { cookie: owner.cookie });
    expect(await storyArchiveOn(ctx, owner.id)).toBe(true);
    await postForm("/settings/stories", { intent: "add", list: "muted", username: muted.username }, { cookie: owner.cookie });
    expect((await storyListMembers(ctx, owner.id, "muted")).map((account) => account.id)).toEqual([muted.id]);
  });
});

describe("story pages", () => {
  it("mute an account's stories from the viewer: they leave the tray, the follow stays", async () => {
    const author = await member();
    const reader = await member();
    await makeFollow(ctx, reader, author);
    const form = new FormData();
    form.set("media", await picture("muted"));
    const location = (await postForm("/stories/new", form, { cookie: author.cookie })).headers.get("Location")!;
    expect((await getPage("/", reader.cookie)).html).toContain(`href="${location}"`);
    expect((await getPage(location, reader.cookie)).html).toContain("Mute story");
    const muted = await postForm(location, { intent: "mute", authorId: author.id }, { cookie: reader.cookie });
    expect(muted.headers.get("Location")).toBe("/");
    expect((await getPage("/", reader.cookie)).html).not.toContain(`href="${location}"`);
    expect((await storyListMembers(ctx, reader.id, "muted")).map((account) => account.id)).toEqual([author.id]);
  });

  it("post one item per file chosen, in order", async () => {
    const author = await member();
    const form = new FormData();
    for (const name of ["first", "second", "third"]) form.append("media", await picture(name));
    form.set("overlayText", "Three at once");
    const posted = await postForm("/stories/new", form, { cookie: author.cookie });
    expect(posted.status).toBe(302);
    const items = await ctx.db.select().from(storyItems).where(eq(storyItems.authorId, author.id)).orderBy(storyItems.createdAt);
    expect(items).toHaveLength(3);
    expect(posted.headers.get("Location")).toBe(`/stories/${author.username}/${items[0]!.id}`);
    expect(items.every((item) => item.overlayText === "Three at once")).toBe(true);
  });

  it("let the person a story mentions add it to their own story", async () => {
    const author = await member();
    const mentioned = await member();
    const form = new FormData();
    form.set("media", await picture("mention"));
    form.set("mention", `@${mentioned.username}`);
    const location = (await postForm("/stories/new", form, { cookie: author.cookie })).headers.get("Location")!;
    await deliverEvents();
    const page = await getPage(location, mentioned.cookie);
    expect(page.html).toContain("Add to your story");
    expect((await getPage(location, (await member()).cookie)).html).not.toContain("Add to your story");

    const shared = await postForm(location, { intent: "reshare", itemId: location.split("/").pop()! }, { cookie: mentioned.cookie });
    expect(shared.status).toBe(302);
    const [item] = await ctx.db
      .select()
      .from(storyItems)
      .where(and(eq(storyItems.authorId, mentioned.id)));
    expect(item).toMatchObject({ sharedFromId: location.split("/").pop() });
    expect(shared.headers.get("Location")).toBe(`/stories/${mentioned.username}/${item!.id}`);
  });

  it("show the author's archive, keep an archived item in a highlight, and let the owner edit the highlight", async () => {
    const author = await member();
    const stranger = await member();
    const form = new FormData();
    for (const name of ["archived-one", "archived-two"]) form.append("media", await picture(name));
    await postForm("/stories/new", form, { cookie: author.cookie });
    const [first, second] = await ctx.db.select().from(storyItems).where(eq(storyItems.authorId, author.id)).orderBy(storyItems.createdAt);
    await ctx.db
      .update(storyItems)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(storyItems.authorId, author.id));
    await expireStories(ctx);

    const archive = await getPage("/stories/archive", author.cookie);
    expect(archive.response.status).toBe(200);
    expect(archive.html).toContain(`/stories/${author.username}/${first!.id}/viewers`);
    const kept = await postForm("/stories/archive", { itemId: first!.id, highlightId: "", title: "Old days" }, { cookie: author.cookie });
    expect(kept.status).toBe(200);
    const { highlight } = (await ownHighlights(ctx, author.id))[0]!;
    await postForm("/stories/archive", { itemId: second!.id, highlightId: highlight.id }, { cookie: author.cookie });
    expect((await ownHighlights(ctx, author.id))[0]!.itemIds).toEqual([first!.id, second!.id]);

    const path = `/highlights/${highlight.id}`;
    expect((await getPage(`${path}?item=${second!.id}`, author.cookie)).html).toContain("Move earlier");
    expect((await getPage(path, stranger.cookie)).html).not.toContain("Remove from highlight");
    await postForm(path, { intent: "earlier", itemId: second!.id }, { cookie: author.cookie });
    expect((await ownHighlights(ctx, author.id))[0]!.itemIds).toEqual([second!.id, first!.id]);
    await postForm(path, { intent: "rename", itemId: second!.id, title: "Older days" }, { cookie: author.cookie });
    await postForm(path, { intent: "remove", itemId: first!.id }, { cookie: author.cookie });
    expect((await ownHighlights(ctx, author.id))[0]).toMatchObject({ highlight: { title: "Older days" }, itemIds: [second!.id] });
    const last = await postForm(path, { intent: "remove", itemId: second!.id }, { cookie: author.cookie });
    expect(last.status).toBe(422);
    expect(await last.text()).toContain("delete it instead");
    expect((await postForm(path, { intent: "delete", itemId: second!.id }, { cookie: stranger.cookie })).status).toBe(404);
    const deleted = await postForm(path, { intent: "delete", itemId: second!.id }, { cookie: author.cookie });
    expect(deleted.headers.get("Location")).toBe(`/${author.username}`);
    expect(await ownHighlights(ctx, author.id)).toEqual([]);
  });
});
