import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { follows, users } from "#db/schema/index.ts";
import { identiconPng } from "#db/seed/artwork.ts";
import { makeFollow, makeUser } from "#db/seed/factories.ts";
import type { User } from "#domain/accounts/users.ts";
import { createList, addToList, listMembersOf } from "#domain/graph/lists.ts";
import { callApi, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let count = 0;

async function person(overrides: Partial<Parameters<typeof makeUser>[1]> = {}) {
  count += 1;
  const user = await makeUser(ctx, { username: `graph${count}`, ...overrides });
  return { user, token: await tokenFor(user.id) };
}

const post = (path: string, token: string, body?: Record<string, unknown>) =>
  callApi(
    path,
    token,
    body ? { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } } : { method: "POST" },
  );

async function countsOf(user: User) {
  const [row] = await ctx.db.select().from(users).where(eq(users.id, user.id));
  return { followers: row!.followersCount, following: row!.followingCount };
}

describe("following", () => {
  it("takes Mastodon's follow options: the bell, and the others at their defaults, refusing what Perch cannot honour yet", async () => {
    const [ana, ben] = await Promise.all([person(), person()]);
    const follow = (body: Record<string, unknown>) => post(`/api/v1/accounts/${ben.user.id}/follow`, ana.token, body);
    for (const [body, field] of [
      [{ reblogs: false }, "reblogs"],
      [{ languages: ["en"] }, "languages"],
      [{ notify: "loudly" }, "notify"],
    ] as const) {
      const refused = await follow(body);
      expect(refused.response.status).toBe(422);
      expect(refused.body.error).toContain(field);
    }
    expect((await callApi(`/api/v1/accounts/relationships?id[]=${ben.user.id}`, ana.token)).body[0].following).toBe(false);
    expect((await follow({ reblogs: true, notify: false, languages: [] })).body).toMatchObject({ following: true, notifying: false });
    // Following again is how a client rings the bell, and silences it; leaving notify out keeps it as it is.
    expect((await follow({ notify: true })).body).toMatchObject({ following: true, notifying: true });
    expect((await follow({})).body).toMatchObject({ notifying: true });
    expect((await callApi(`/api/v1/accounts/relationships?id[]=${ben.user.id}`, ana.token)).body[0].notifying).toBe(true);
    expect((await follow({ notify: false })).body).toMatchObject({ following: true, notifying: false });
  });

  it("follows and unfollows an open account, with exact counts and relationships", async () => {
    const ana = await person();
    const ben = await person();
    const followed = await post(`/api/v1/accounts/${ben.user.id}/follow`, ana.token);
    expect(followed.body).toMatchObject({ id: ben.user.id, following: true, requested: false });
    expect(await countsOf(ben.user)).toEqual({ followers: 1, following: 0 });
    const relationships = await callApi(`/api/v1/accounts/relationships?id[]=${ben.user.id}&id[]=${ana.user.id}`, ana.token);
    expect(relationships.body).toHaveLength(2);
    expect(relationships.body[0]).toMatchObject({ id: ben.user.id, following: true, followed_by: false });
    expect((await callApi(`/api/v1/accounts/relationships?id[]=${ana.user.id}`, ben.token)).body[0]).toMatchObject({ followed_by: true });
    const unfollowed = await post(`/api/v1/accounts/${ben.user.id}/unfollow`, ana.token);
    expect(unfollowed.body.following).toBe(false);
    expect(await countsOf(ben.user)).toEqual({ followers: 0, following: 0 });
  });

  it("turns a follow of a locked account into a request the owner accepts or rejects", async () => {
    const owner = await person({ locked: true });
    const fan = await person();
    const other = await person();
    expect((await post(`/api/v1/accounts/${owner.user.id}/follow`, fan.token)).body).toMatchObject({ following: false, requested: true });
    await post(`/api/v1/accounts/${owner.user.id}/follow`, other.token);
    expect(await countsOf(owner.user)).toEqual({ followers: 0, following: 0 });
    const pending = await callApi("/api/v1/follow_requests", owner.token);
    expect(pending.body.map((account: { id: string }) => account.id).sort()).toEqual([fan.user.id, other.user.id].sort());
    expect((await callApi("/api/v1/accounts/verify_credentials", owner.token)).body.source.follow_requests_count).toBe(2);

    const accepted = await post(`/api/v1/follow_requests/${fan.user.id}/authorize`, owner.token);
    expect(accepted.body).toMatchObject({ followed_by: true, requested_by: false });
    expect((await post(`/api/v1/follow_requests/${other.user.id}/reject`, owner.token)).body.followed_by).toBe(false);
    expect((await post(`/api/v1/follow_requests/${other.user.id}/reject`, owner.token)).response.status).toBe(404);
    expect(await countsOf(owner.user)).toEqual({ followers: 1, following: 0 });
  });

  it("lets everyone waiting in when the account unlocks", async () => {
    const owner = await person({ locked: true });
    const fans = await Promise.all([person(), person()]);
    for (const fan of fans) await post(`/api/v1/accounts/${owner.user.id}/follow`, fan.token);
    const unlocked = await callApi("/api/v1/accounts/update_credentials", owner.token, {
      method: "PATCH",
      body: new URLSearchParams({ locked: "false" }),
    });
    expect(unlocked.body.locked).toBe(false);
    expect(await countsOf(owner.user)).toEqual({ followers: 2, following: 0 });
  });

  it("removes a follower without blocking them", async () => {
    const me = await person();
    const follower = await person();
    await makeFollow(ctx, follower.user, me.user);
    expect((await post(`/api/v1/accounts/${follower.user.id}/remove_from_followers`, me.token)).body.followed_by).toBe(false);
    expect(await countsOf(me.user)).toEqual({ followers: 0, following: 0 });
  });

  it("pages followers newest first with the Link header, and hides collections when asked", async () => {
    const star = await person();
    const fans = [];
    for (let i = 0; i < 5; i += 1) {
      const fan = await person();
      await makeFollow(ctx, fan.user, star.user);
      fans.push(fan.user.id);
    }
    const first = await callApi(`/api/v1/accounts/${star.user.id}/followers?limit=2`, null);
    expect(first.body.map((account: { id: string }) => account.id)).toEqual([fans[4], fans[3]]);
    const next = first.response.headers.get("Link")!.match(/<([^>]+)>; rel="next"/)![1]!;
    const second = await callApi(new URL(next).pathname + new URL(next).search, null);
    expect(second.body.map((account: { id: string }) => account.id)).toEqual([fans[2], fans[1]]);
    expect((await callApi(`/api/v1/accounts/${fans[0]}/following`, null)).body.map((account: { id: string }) => account.id)).toEqual([
      star.user.id,
    ]);

    await callApi("/api/v1/accounts/update_credentials", star.token, {
      method: "PATCH",
      body: new URLSearchParams({ hide_collections: "true" }),
    });
    expect((await callApi(`/api/v1/accounts/${star.user.id}/followers`, null)).body).toEqual([]);
    expect((await callApi(`/api/v1/accounts/${star.user.id}/followers`, star.token)).body).toHaveLength(5);
  });

  it("refuses to follow yourself, and bad ids", async () => {
    const me = await person();
    expect((await post(`/api/v1/accounts/${me.user.id}/follow`, me.token)).response.status).toBe(422);
    expect((await post("/api/v1/accounts/117000000000000000/follow", me.token)).response.status).toBe(404);
    expect((await callApi(`/api/v1/accounts/${me.user.id}/followers?limit=-4`, null)).response.status).toBe(400);
    expect((await post(`/api/v1/accounts/${me.user.id}/follow`, "bad-token")).response.status).toBe(401);
  });
});

describe("blocking", () => {
  it("ends every tie and makes the blocker disappear for the blocked, who learns no more than a stranger", async () => {
    const blocker = await person();
    const blocked = await person();
    await makeFollow(ctx, blocked.user, blocker.user);
    await makeFollow(ctx, blocker.user, blocked.user);
    await post(`/api/v1/accounts/${blocked.user.id}/friend`, blocker.token);
    await post(`/api/v1/accounts/${blocker.user.id}/friend`, blocked.token);
    const list = await createList(ctx, blocker.user.id, { title: "close" });
    await addToList(ctx, blocker.user.id, list.id, [blocked.user.id]);

    const result = await post(`/api/v1/accounts/${blocked.user.id}/block`, blocker.token);
    expect(result.body).toMatchObject({ blocking: true, following: false, followed_by: false, friends: false });
    expect(await ctx.db.select().from(follows).where(eq(follows.followerId, blocked.user.id))).toEqual([]);
    expect(await countsOf(blocker.user)).toEqual({ followers: 0, following: 0 });
    expect(await listMembersOf(ctx, list.id)).toEqual([]);

    const stranger = await person();
    const asBlocked = async (path: string, method = "GET") =>
      (method === "GET" ? await callApi(path, blocked.token) : await post(path, blocked.token)).response.status;
    expect(await asBlocked(`/api/v1/accounts/${blocker.user.id}`)).toBe(404);
    expect(await asBlocked(`/api/v1/accounts/lookup?acct=${blocker.user.username}`)).toBe(404);
    expect(await asBlocked(`/api/v1/accounts/${blocker.user.id}/followers`)).toBe(404);
    expect(await asBlocked(`/api/v1/accounts/${blocker.user.id}/follow`, "POST")).toBe(404);
    expect(await asBlocked(`/api/v1/accounts/${blocker.user.id}/friend`, "POST")).toBe(404);
    expect(await asBlocked(`/api/v1/accounts/${blocker.user.id}/unfollow`, "POST")).toBe(404);
    const seenByBlocked = (await callApi(`/api/v1/accounts/relationships?id[]=${blocker.user.id}`, blocked.token)).body[0];
    const seenByStranger = (await callApi(`/api/v1/accounts/relationships?id[]=${blocker.user.id}`, stranger.token)).body[0];
    expect(seenByBlocked).toEqual(seenByStranger);
    const withSuspended = `/api/v1/accounts/relationships?id[]=${blocker.user.id}&with_suspended=`;
    expect((await callApi(`${withSuspended}true`, stranger.token)).body).toEqual([seenByStranger]);
    expect((await callApi(`${withSuspended}maybe`, stranger.token)).response.status).toBe(400);
    expect((await callApi(`/api/v1/accounts/${blocker.user.id}`, stranger.token)).response.status).toBe(200);

    expect((await callApi(`/api/v1/accounts/${blocked.user.id}`, blocker.token)).response.status).toBe(200);
    expect((await post(`/api/v1/accounts/${blocked.user.id}/follow`, blocker.token)).response.status).toBe(422);
    expect((await callApi("/api/v1/blocks", blocker.token)).body.map((account: { id: string }) => account.id)).toEqual([blocked.user.id]);
    expect((await callApi("/api/v1/blocks?max_id=x", blocker.token)).response.status).toBe(400);
    expect((await post(`/api/v1/accounts/${blocked.user.id}/unblock`, blocker.token)).body.blocking).toBe(false);
    expect(await asBlocked(`/api/v1/accounts/${blocker.user.id}`)).toBe(200);
  });
});

describe("muting", () => {
  it("mutes quietly, for a while or until unmuted", async () => {
    const me = await person();
    const noisy = await person();
    const temporary = await person();
    expect((await post(`/api/v1/accounts/${noisy.user.id}/mute`, me.token, { notifications: false })).body).toMatchObject({
      muting: true,
      muting_notifications: false,
    });
    await post(`/api/v1/accounts/${temporary.user.id}/mute`, me.token, { duration: 3600 });
    const mutes = await callApi("/api/v1/mutes?limit=1", me.token);
    expect(
      mutes.body.map((account: { id: string; mute_expires_at: string | null }) => [account.id, account.mute_expires_at !== null]),
    ).toEqual([[temporary.user.id, true]]);
    const older = mutes.response.headers.get("Link")!.match(/<([^>]+)>; rel="next"/)![1]!;
    expect((await callApi(new URL(older).pathname + new URL(older).search, me.token)).body).toMatchObject([
      { id: noisy.user.id, mute_expires_at: null },
    ]);
    expect((await callApi(`/api/v1/accounts/relationships?id[]=${me.user.id}`, noisy.token)).body[0].muting).toBe(false);
    await env.DB.prepare("UPDATE mutes SET expires_at = ? WHERE muted_id = ?")
      .bind(Date.now() - 1000, temporary.user.id)
      .run();
    expect((await callApi("/api/v1/mutes", me.token)).body.map((account: { id: string }) => account.id)).toEqual([noisy.user.id]);
    expect((await post(`/api/v1/accounts/${noisy.user.id}/unmute`, me.token)).body.muting).toBe(false);
  });
});

describe("muting in threads", () => {
  it("leaves a muted account's replies out of the muter's view of a thread, but not the post they open", async () => {
    const [author, reader, noisy] = await Promise.all([person(), person(), person()]);
    const root = await post("/api/v1/statuses", author.token, { status: "A thread" });
    const noise = await post("/api/v1/statuses", noisy.token, { status: "Noise", in_reply_to_id: root.body.id });
    const answer = await post("/api/v1/statuses", author.token, { status: "An answer to the noise", in_reply_to_id: noise.body.id });
    const calm = await post("/api/v1/statuses", author.token, { status: "Calm", in_reply_to_id: root.body.id });
    const replies = async (id: string, token: string) =>
      (await callApi(`/api/v1/statuses/${id}/context`, token)).body.descendants.map((status: { id: string }) => status.id);
    expect(await replies(root.body.id, reader.token)).toEqual([noise.body.id, answer.body.id, calm.body.id]);
    await post(`/api/v1/accounts/${noisy.user.id}/mute`, reader.token);
    expect(await replies(root.body.id, reader.token)).toEqual([calm.body.id]);
    expect(await replies(root.body.id, author.token)).toEqual([noise.body.id, answer.body.id, calm.body.id]);
    expect(await replies(noise.body.id, reader.token)).toEqual([answer.body.id]);
  });
});

describe("friends (Perch extension)", () => {
  it("are made by a request and its acceptance, and unmade by either", async () => {
    const ana = await person();
    const ben = await person();
    expect((await post(`/api/v1/accounts/${ben.user.id}/friend`, ana.token)).body).toMatchObject({
      friend_requested: true,
      friends: false,
    });
    expect((await callApi("/api/v1/perch/friend_requests", ben.token)).body.map((account: { id: string }) => account.id)).toEqual([
      ana.user.id,
    ]);
    expect((await post(`/api/v1/perch/friend_requests/${ana.user.id}/authorize`, ben.token)).body.friends).toBe(true);
    expect((await callApi("/api/v1/perch/friends", ana.token)).body.map((account: { id: string }) => account.id)).toEqual([ben.user.id]);
    expect((await post(`/api/v1/accounts/${ana.user.id}/unfriend`, ben.token)).body.friends).toBe(false);
    expect((await callApi("/api/v1/perch/friends", ana.token)).body).toEqual([]);
  });

  it("become friends at once when both ask, and can be refused or withdrawn", async () => {
    const ana = await person();
    const ben = await person();
    const cleo = await person();
    await post(`/api/v1/accounts/${ben.user.id}/friend`, ana.token);
    expect((await post(`/api/v1/accounts/${ana.user.id}/friend`, ben.token)).body.friends).toBe(true);
    await post(`/api/v1/accounts/${cleo.user.id}/friend`, ana.token);
    expect((await post(`/api/v1/perch/friend_requests/${ana.user.id}/reject`, cleo.token)).body.friend_requested_by).toBe(false);
    await post(`/api/v1/accounts/${cleo.user.id}/friend`, ben.token);
    expect((await post(`/api/v1/accounts/${cleo.user.id}/unfriend`, ben.token)).body.friend_requested).toBe(false);
    expect((await callApi("/api/v1/perch/friend_requests", cleo.token)).body).toEqual([]);
  });
});

describe("lists", () => {
  it("are created, filled with followed accounts, renamed and deleted by their owner only", async () => {
    const owner = await person();
    const followed = await person();
    const stranger = await person();
    await makeFollow(ctx, owner.user, followed.user);
    const created = await post("/api/v1/lists", owner.token, { title: "Friends of birds" });
    expect(created.body).toMatchObject({ title: "Friends of birds", replies_policy: "list", exclusive: false });
    const id = created.body.id;
    expect((await post(`/api/v1/lists/${id}/accounts`, owner.token, { account_ids: [stranger.user.id] })).response.status).toBe(422);
    expect((await post(`/api/v1/lists/${id}/accounts`, owner.token, { account_ids: [followed.user.id] })).response.status).toBe(200);
    expect((await callApi(`/api/v1/lists/${id}/accounts`, owner.token)).body.map((account: { id: string }) => account.id)).toEqual([
      followed.user.id,
    ]);
    expect((await callApi(`/api/v1/accounts/${followed.user.id}/lists`, owner.token)).body.map((list: { id: string }) => list.id)).toEqual([
      id,
    ]);
    const renamed = await callApi(`/api/v1/lists/${id}`, owner.token, {
      method: "PUT",
      body: new URLSearchParams({ title: "Birders", exclusive: "true" }),
    });
    expect(renamed.body).toMatchObject({ title: "Birders", exclusive: true });
    expect((await callApi(`/api/v1/lists/${id}`, stranger.token)).response.status).toBe(404);
    expect((await post("/api/v1/lists", owner.token, { title: "  " })).response.status).toBe(422);
    await callApi(`/api/v1/lists/${id}/accounts`, owner.token, {
      method: "DELETE",
      body: JSON.stringify({ account_ids: [followed.user.id] }),
      headers: { "Content-Type": "application/json" },
    });
    expect((await callApi(`/api/v1/lists/${id}/accounts`, owner.token)).body).toEqual([]);
    expect((await callApi(`/api/v1/lists/${id}`, owner.token, { method: "DELETE" })).response.status).toBe(200);
    expect((await callApi("/api/v1/lists", owner.token)).body).toEqual([]);
  });
  it("page their members with the Link header, and give all of them for limit=0", async () => {
    const owner = await person();
    const members = [await person(), await person(), await person()];
    for (const member of members) await makeFollow(ctx, owner.user, member.user);
    const list = await createList(ctx, owner.user.id, { title: "Paged" });
    for (const member of members) await addToList(ctx, owner.user.id, list.id, [member.user.id]);
    const ids = (body: { id: string }[]) => body.map((account) => account.id);
    const first = await callApi(`/api/v1/lists/${list.id}/accounts?limit=2`, owner.token);
    expect(ids(first.body)).toEqual([members[2]!.user.id, members[1]!.user.id]);
    const next = /<([^>]+)>; rel="next"/.exec(first.response.headers.get("Link") ?? "")?.[1];
    expect(next).toBeDefined();
    expect(ids((await callApi(new URL(next!).pathname + new URL(next!).search, owner.token)).body)).toEqual([members[0]!.user.id]);
    expect(ids((await callApi(`/api/v1/lists/${list.id}/accounts?limit=0`, owner.token)).body).sort()).toEqual(
      members.map((member) => member.user.id).sort(),
    );
    expect((await callApi(`/api/v1/lists/${list.id}/accounts?limit=-1`, owner.token)).response.status).toBe(400);
  });
});

describe("profiles through the API", () => {
  it("updates the profile, fields and privacy, and serves it by id and by username", async () => {
    const me = await person();
    const form = new URLSearchParams({
      display_name: "Graph Person",
      note: "Hello @graph1 and #birds https://example.com",
      "fields_attributes[0][name]": "Pronouns",
      "fields_attributes[0][value]": "they/them",
      "fields_attributes[1][name]": "Site",
      "fields_attributes[1][value]": "https://example.org",
      accent_color: "#FF8800",
      location: "Lisbon",
      "source[privacy]": "friends",
    });
    const updated = await callApi("/api/v1/accounts/update_credentials", me.token, { method: "PATCH", body: form });
    expect(updated.response.status).toBe(200);
    expect(updated.body).toMatchObject({
      display_name: "Graph Person",
      accent_color: "#ff8800",
      location: "Lisbon",
      source: { privacy: "private", perch: { privacy: "friends" } },
    });
    expect(updated.body.fields).toHaveLength(2);
    expect(updated.body.note).toContain('class="u-url mention"');
    expect(updated.body.note).toContain('rel="tag"');
    const byId = await callApi(`/api/v1/accounts/${me.user.id}`, null);
    expect(byId.body.fields[1].value).toContain('href="https://example.org"');
    expect((await callApi(`/api/v1/accounts/lookup?acct=@${me.user.username.toUpperCase()}`, null)).body.id).toBe(me.user.id);
    expect((await callApi("/api/v1/accounts/lookup?acct=nobody_here_at_all", null)).response.status).toBe(404);
    const tooMany = new URLSearchParams(
      Object.fromEntries(
        [0, 1, 2, 3, 4].flatMap((i) => [
          [`fields_attributes[${i}][name]`, `f${i}`],
          [`fields_attributes[${i}][value]`, "v"],
        ]),
      ),
    );
    expect((await callApi("/api/v1/accounts/update_credentials", me.token, { method: "PATCH", body: tooMany })).response.status).toBe(422);
    expect(
      (
        await callApi("/api/v1/accounts/update_credentials", me.token, {
          method: "PATCH",
          body: new URLSearchParams({ accent_color: "red" }),
        })
      ).response.status,
    ).toBe(422);
  });

  it("shows strangers only who a followers-only profile is, through the API as on its page", async () => {
    const hidden = await person({ bio: "only for my followers" });
    await callApi("/api/v1/accounts/update_credentials", hidden.token, {
      method: "PATCH",
      body: new URLSearchParams({ profile_visibility: "followers", location: "Somewhere" }),
    });
    const stranger = await person();
    const seen = await callApi(`/api/v1/accounts/${hidden.user.id}`, stranger.token);
    expect(seen.body).toMatchObject({ username: hidden.user.username, note: "", fields: [], location: "" });
    const follower = await person();
    await makeFollow(ctx, follower.user, hidden.user);
    expect((await callApi(`/api/v1/accounts/${hidden.user.id}`, follower.token)).body).toMatchObject({
      note: "<p>only for my followers</p>",
      location: "Somewhere",
    });
  });

  it("resizes an uploaded avatar into WebP variants, and refuses bad files leaving nothing behind", async () => {
    const me = await person();
    const upload = (name: string, bytes: Uint8Array, type = "image/png") => {
      const form = new FormData();
      form.set("avatar", new File([bytes as Uint8Array<ArrayBuffer>], name, { type }));
      return callApi("/api/v1/accounts/update_credentials", me.token, { method: "PATCH", body: form });
    };
    const before = (await env.MEDIA.list({ prefix: "avatars/" })).objects.length;
    const ok = await upload("me.png", await identiconPng("graph-avatar", 600));
    expect(ok.response.status).toBe(200);
    expect(ok.body.avatar).toMatch(/\/media\/avatars\/[0-9a-f]{64}\/400\.webp$/);
    const key = new URL(ok.body.avatar).pathname.slice("/media/".length);
    const info = await env.IMAGES.info((await env.MEDIA.get(key))!.body);
    expect(info).toMatchObject({ format: "image/webp", width: 400, height: 400 });
    expect((await env.MEDIA.list({ prefix: key.replace("400.webp", "") })).objects).toHaveLength(3);

    const executable = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, ...new Uint8Array(60)]);
    expect((await upload("innocent.png", executable)).response.status).toBe(415);
    expect((await upload("empty.png", new Uint8Array())).response.status).toBe(422);
    const corrupt = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(200).fill(7)]);
    expect((await upload("broken.png", corrupt)).response.status).toBe(422);
    const huge = new Uint8Array(4 * 1024 * 1024 + 1);
    huge.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const tooBig = await upload("huge.png", huge);
    expect(tooBig.response.status).toBe(413);
    expect(tooBig.body.error).toContain("at most 4 MB");
    expect((await env.MEDIA.list({ prefix: "avatars/" })).objects.length).toBe(before + 3);

    const replaced = await upload("second.png", await identiconPng("graph-avatar-2", 300));
    expect(replaced.body.avatar).not.toBe(ok.body.avatar);
    expect((await env.MEDIA.list({ prefix: key.replace("400.webp", "") })).objects).toHaveLength(0);
  });
});
