import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "#db/schema/index.ts";
import { identiconPng } from "#db/seed/artwork.ts";
import { makeFollow, makePost, makeUser } from "#db/seed/factories.ts";
import { block } from "#domain/graph/blocks.ts";
import { findUserByUsername } from "#domain/accounts/users.ts";
import { chatSettingsOf } from "#domain/messages/settings.ts";
import { fetchWorker, getPage, ORIGIN, postForm, sessionOf, testDomain } from "./support.ts";

const ctx = testDomain();
const PASSWORD = "a long enough password";
let count = 0;

async function signedIn(overrides: Parameters<typeof makeUser>[1] = {}) {
  count += 1;
  const user = await makeUser(ctx, { username: `prof${count}`, password: PASSWORD, ...overrides });
  const cookie = sessionOf(await postForm("/login", { identifier: user.username, password: PASSWORD }, { ip: `192.0.2.${count}` }));
  return { user, cookie };
}

describe("the profile page", () => {
  it("shows the profile with its bio links, fields, counts and posts", async () => {
    const { user } = await signedIn({ bio: "Birds and #code with @prof1 at https://example.com" });
    await ctx.db
      .update(users)
      .set({ location: "Porto", fields: [{ name: "Pronouns", value: "she/her" }], verifiedAt: new Date() })
      .where(eq(users.id, user.id));
    await makePost(ctx, user, { text: "My first public post" });
    await makePost(ctx, user, { text: "Only for followers", visibility: "private" });
    const { response, html } = await getPage(`/${user.username.toUpperCase()}`);
    expect(response.status).toBe(200);
    expect(html).toContain(`@${user.username}`);
    expect(html).toContain("Porto");
    expect(html).toContain("Pronouns");
    expect(html).toContain("Verified");
    expect(html).toContain('href="https://example.com"');
    expect(html).toContain("My first public post");
    expect(html).not.toContain("Only for followers");
  });

  it("is a 404 for accounts that do not exist, and for accounts that block the viewer", async () => {
    expect((await getPage("/no_such_person_here")).response.status).toBe(404);
    const blocker = await signedIn();
    const blocked = await signedIn();
    await block(ctx, blocker.user.id, blocked.user.id);
    const seen = await getPage(`/${blocker.user.username}`, blocked.cookie);
    expect(seen.response.status).toBe(404);
    expect(seen.html).toContain("no one here by that name");
    expect((await getPage(`/${blocker.user.username}/followers`, blocked.cookie)).response.status).toBe(404);
    expect((await postForm(`/${blocker.user.username}`, { intent: "follow" }, { cookie: blocked.cookie })).status).toBe(404);
    const byBlocker = await getPage(`/${blocked.user.username}`, blocker.cookie);
    expect(byBlocker.html).toContain("You block this account");
  });

  it("keeps followers-only and signed-in-only profiles to their audience", async () => {
    const { user } = await signedIn({ bio: "secret bio" });
    await ctx.db.update(users).set({ profileVisibility: "followers" }).where(eq(users.id, user.id));
    await makePost(ctx, user, { text: "followers-only profile post" });
    const stranger = await signedIn();
    const strangerView = await getPage(`/${user.username}`, stranger.cookie);
    expect(strangerView.html).toContain("Only approved followers can see this profile.");
    expect(strangerView.html).not.toContain("secret bio");
    expect(strangerView.html).not.toContain("followers-only profile post");
    const follower = await signedIn();
    await makeFollow(ctx, follower.user, user);
    expect((await getPage(`/${user.username}`, follower.cookie)).html).toContain("followers-only profile post");
    await ctx.db.update(users).set({ profileVisibility: "signed-in" }).where(eq(users.id, user.id));
    expect((await getPage(`/${user.username}`)).html).toContain("Log in to see this profile.");
  });

  it("follows, asks to follow a locked account, and blocks through plain forms", async () => {
    const me = await signedIn();
    const open = await signedIn();
    const locked = await signedIn({ locked: true });
    expect((await postForm(`/${open.user.username}`, { intent: "follow" }, { cookie: me.cookie })).status).toBe(200);
    expect((await getPage(`/${open.user.username}`, me.cookie)).html).toContain("Unfollow");
    await postForm(`/${locked.user.username}`, { intent: "follow" }, { cookie: me.cookie });
    expect((await getPage(`/${locked.user.username}`, me.cookie)).html).toContain("Cancel follow request");
    const requests = await getPage("/follow-requests", locked.cookie);
    expect(requests.html).toContain(`@${me.user.username}`);
    await postForm("/follow-requests", { intent: "accept", accountId: me.user.id }, { cookie: locked.cookie });
    expect((await getPage(`/${locked.user.username}`, me.cookie)).html).toContain("Unfollow");
    const again = await postForm("/follow-requests", { intent: "accept", accountId: me.user.id }, { cookie: locked.cookie });
    expect(again.status).toBe(404);
    expect(await again.text()).toContain("There is no follow request from this account");
    await postForm(`/${open.user.username}`, { intent: "block" }, { cookie: me.cookie });
    expect((await getPage(`/${me.user.username}`, open.cookie)).response.status).toBe(404);
    expect((await getPage("/settings/blocks", me.cookie)).html).toContain(`@${open.user.username}`);
    await postForm(`/${locked.user.username}`, { intent: "block" }, { cookie: me.cookie });
    const firstOfTwo = (await getPage("/settings/blocks?blocked_limit=1", me.cookie)).html;
    expect(firstOfTwo).toContain(`@${locked.user.username}`);
    expect(firstOfTwo).not.toContain(`@${open.user.username}`);
    const more = firstOfTwo.match(/href="([^"]+)"[^>]*>More blocked accounts/)![1]!.replaceAll("&amp;", "&");
    expect((await getPage(more, me.cookie)).html).toContain(`@${open.user.username}`);
    expect((await postForm(`/${open.user.username}`, { intent: "follow" })).status).toBe(302);
  });

  it("lets only admins give the verified badge", async () => {
    const admin = await signedIn({ role: "admin" });
    const regular = await signedIn();
    const target = await signedIn();
    expect((await postForm(`/${target.user.username}`, { intent: "verify" }, { cookie: regular.cookie })).status).toBe(403);
    expect((await findUserByUsername(ctx, target.user.username))?.verifiedAt).toBeNull();
    await postForm(`/${target.user.username}`, { intent: "verify" }, { cookie: admin.cookie });
    expect((await findUserByUsername(ctx, target.user.username))?.verifiedAt).toBeInstanceOf(Date);
  });
});

describe("editing the profile without JavaScript", () => {
  it("saves fields and a new avatar in one multipart form, and keeps typed values on errors", async () => {
    const me = await signedIn();
    const form = new FormData();
    form.set("displayName", "New Name");
    form.set("bio", "Hello there");
    form.set("location", "Oslo");
    form.set("website", "https://me.example");
    form.set("accentColor", "#22aa88");
    form.set("field-name-0", "Likes");
    form.set("field-value-0", "tea");
    form.set("avatar", new File([(await identiconPng("page-avatar", 256)) as Uint8Array<ArrayBuffer>], "a.png", { type: "image/png" }));
    const saved = await fetchWorker("/settings/profile", { method: "POST", body: form, headers: { Cookie: me.cookie, Origin: ORIGIN } });
    expect(saved.status).toBe(200);
    const user = await findUserByUsername(ctx, me.user.username);
    expect(user).toMatchObject({
      displayName: "New Name",
      location: "Oslo",
      accentColor: "#22aa88",
      fields: [{ name: "Likes", value: "tea" }],
    });
    expect(user!.avatarKey).toMatch(/^avatars\/[0-9a-f]{64}\/400\.webp$/);
    expect(await env.MEDIA.head(user!.avatarKey!)).not.toBeNull();
    expect((await getPage(`/${me.user.username}`)).html).toContain(`/media/${user!.avatarKey}`);

    const bad = new FormData();
    bad.set("displayName", "Keep Me");
    bad.set("website", "not a url");
    const refused = await fetchWorker("/settings/profile", { method: "POST", body: bad, headers: { Cookie: me.cookie, Origin: ORIGIN } });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain("Start the website with http:// or https://");
    expect(html).toContain('value="Keep Me"');
  });

  it("answers the instant-upload endpoint with JSON, including clear errors", async () => {
    const me = await signedIn();
    const upload = (file: File) => {
      const form = new FormData();
      form.set("kind", "header");
      form.set("file", file);
      return fetchWorker("/settings/profile/images", { method: "POST", body: form, headers: { Cookie: me.cookie, Origin: ORIGIN } });
    };
    const ok = await upload(new File([(await identiconPng("header", 300)) as Uint8Array<ArrayBuffer>], "h.png"));
    expect(await ok.json()).toMatchObject({ url: expect.stringMatching(/^\/media\/headers\/[0-9a-f]{64}\/1500\.webp$/) });
    const bad = await upload(new File(["#!/bin/sh\necho pwned"], "h.png", { type: "image/png" }));
    expect(bad.status).toBe(415);
    expect(await bad.json()).toEqual({ error: "Use a JPEG, PNG, GIF, WebP or AVIF image" });
  });
});

describe("privacy settings", () => {
  it("save every choice, and hidden collections are hidden on the pages too", async () => {
    const me = await signedIn();
    const fan = await signedIn();
    await makeFollow(ctx, fan.user, me.user);
    await postForm(
      "/settings/privacy",
      { locked: "on", hideCollections: "on", profileVisibility: "signed-in", messagePolicy: "following", defaultVisibility: "friends" },
      { cookie: me.cookie },
    );
    expect(await findUserByUsername(ctx, me.user.username)).toMatchObject({
      locked: true,
      hideCollections: true,
      discoverable: false,
      profileVisibility: "signed-in",
      messagePolicy: "following",
      defaultVisibility: "friends",
    });
    expect((await getPage(`/${me.user.username}/followers`, fan.cookie)).html).toContain("keeps this list private");
    expect((await getPage(`/${me.user.username}/followers`, me.cookie)).html).toContain(`@${fan.user.username}`);
    const invalid = await postForm(
      "/settings/privacy",
      { profileVisibility: "everybody-ever", messagePolicy: "everyone", defaultVisibility: "public" },
      { cookie: me.cookie },
    );
    expect(invalid.status).toBe(422);
  });
});

describe("chat privacy on the privacy settings", () => {
  const box = (html: string, name: string) => html.match(new RegExp(`<input[^>]*name="${name}"[^>]*>`))?.[0];

  it("turn read receipts off and hide presence, then back on, and the page shows what is stored", async () => {
    const me = await signedIn();
    const before = (await getPage("/settings/privacy", me.cookie)).html;
    expect(box(before, "readReceipts")).toContain("checked");
    expect(box(before, "showPresence")).toContain("checked");

    const choices = { profileVisibility: "public", messagePolicy: "everyone", defaultVisibility: "public" };
    const saved = await postForm("/settings/privacy", { ...choices, showPresence: "on" }, { cookie: me.cookie });
    expect(saved.status).toBe(200);
    expect(await chatSettingsOf(ctx, me.user.id)).toEqual({ readReceipts: false, showPresence: true });
    const off = (await getPage("/settings/privacy", me.cookie)).html;
    expect(box(off, "readReceipts")).not.toContain("checked");
    expect(box(off, "showPresence")).toContain("checked");

    await postForm("/settings/privacy", { ...choices, readReceipts: "on" }, { cookie: me.cookie });
    expect(await chatSettingsOf(ctx, me.user.id)).toEqual({ readReceipts: true, showPresence: false });
    const swapped = (await getPage("/settings/privacy", me.cookie)).html;
    expect(box(swapped, "readReceipts")).toContain("checked");
    expect(box(swapped, "showPresence")).not.toContain("checked");

    // An invalid form changes neither the privacy choices nor the chat settings.
    const invalid = await postForm("/settings/privacy", { ...choices, profileVisibility: "everybody-ever" }, { cookie: me.cookie });
    expect(invalid.status).toBe(422);
    expect(await chatSettingsOf(ctx, me.user.id)).toEqual({ readReceipts: true, showPresence: false });
  });
});

describe("friends and lists pages", () => {
  it("accept a friend request and build a list from followed accounts", async () => {
    const me = await signedIn();
    const pal = await signedIn();
    await postForm(`/${me.user.username}`, { intent: "friend" }, { cookie: pal.cookie });
    expect((await getPage("/friends", me.cookie)).html).toContain("Asking to be your friend");
    await postForm("/friends", { intent: "accept", accountId: pal.user.id }, { cookie: me.cookie });
    expect((await getPage("/friends", pal.cookie)).html).toContain(`@${me.user.username}`);

    await makeFollow(ctx, me.user, pal.user);
    await postForm("/lists", { title: "Pals" }, { cookie: me.cookie });
    const lists = await getPage("/lists", me.cookie);
    const listId = lists.html.match(/href="\/lists\/(\d+)"/)?.[1];
    expect(listId).toBeTruthy();
    await postForm(`/lists/${listId}`, { intent: "add", accountId: pal.user.id }, { cookie: me.cookie });
    expect((await getPage(`/lists/${listId}`, me.cookie)).html).toContain("In this list (1)");
    expect((await getPage(`/lists/${listId}`, pal.cookie)).response.status).toBe(404);
    const empty = await postForm("/lists", { title: "" }, { cookie: me.cookie });
    expect(await empty.text()).toContain("Give the list a title");
  });
});
