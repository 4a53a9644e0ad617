import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { notifications, posts } from "#db/schema/index.ts";
import { makeFollow, makePost, makeUser } from "#db/seed/factories.ts";
import { block, mute } from "#domain/graph/blocks.ts";
import { reblog } from "#domain/posts/engagement.ts";
import { updatePrivacy } from "#domain/profiles/settings.ts";
import { callApi, eventually, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let count = 0;

async function person(overrides: Parameters<typeof makeUser>[1] = {}) {
  count += 1;
  const user = await makeUser(ctx, { username: `poster${count}`, password: "a long enough password", ...overrides });
  return { user, token: await tokenFor(user.id, ["read", "write", "follow"]) };
}

const send = (path: string, token: string, body?: Record<string, unknown>, headers: Record<string, string> = {}) =>
  callApi(path, token, { method: "POST", body: JSON.stringify(body ?? {}), headers: { "Content-Type": "application/json", ...headers } });

describe("posting", () => {
  it("publishes with the author's default visibility, and an Idempotency-Key makes retries safe", async () => {
    const me = await person();
    await updatePrivacy(ctx, me.user.id, { defaultVisibility: "unlisted" });
    const first = await send("/api/v1/statuses", me.token, { status: "Hello #world" }, { "Idempotency-Key": "abc-123" });
    expect(first.response.status).toBe(200);
    expect(first.body).toMatchObject({ visibility: "unlisted", tags: [{ name: "world" }], favourited: false, reblogged: false });
    const retry = await send("/api/v1/statuses", me.token, { status: "Hello #world" }, { "Idempotency-Key": "abc-123" });
    expect(retry.body.id).toBe(first.body.id);
    expect(await ctx.db.select().from(posts).where(eq(posts.authorId, me.user.id))).toHaveLength(1);
    const form = await callApi("/api/v1/statuses", me.token, {
      method: "POST",
      body: new URLSearchParams({ status: "From a form", visibility: "private", spoiler_text: "cw" }),
    });
    expect(form.body).toMatchObject({ visibility: "private", spoiler_text: "cw" });
  });

  it("publishes friends-only posts, shown to Mastodon clients as private with Perch's value beside it", async () => {
    const me = await person();
    const json = await send("/api/v1/statuses", me.token, { status: "For my friends", visibility: "friends" });
    expect(json.response.status).toBe(200);
    expect(json.body).toMatchObject({ visibility: "private", perch: { visibility: "friends" } });
    const form = await callApi("/api/v1/statuses", me.token, {
      method: "POST",
      body: new URLSearchParams({ status: "Friends again", visibility: "friends" }),
    });
    expect(form.body).toMatchObject({ visibility: "private", perch: { visibility: "friends" } });
    const stored = await ctx.db.select({ visibility: posts.visibility }).from(posts).where(eq(posts.authorId, me.user.id));
    expect(stored).toEqual([{ visibility: "friends" }, { visibility: "friends" }]);
    const plain = await send("/api/v1/statuses", me.token, { status: "Just followers", visibility: "private" });
    expect(plain.body).toMatchObject({ visibility: "private", perch: { visibility: "private" } });
  });

  it.each([
    [{ status: "" }, 422, "Your post is empty"],
    [{ status: "x".repeat(501) }, 422, "1 character over the limit of 500"],
    [{ status: "hi", visibility: "secret" }, 422, "visibility"],
    [{ status: "hi", in_reply_to_id: "117000000000000000" }, 404, "replying to does not exist"],
    [{ status: "hi", media_ids: ["1"] }, 422, "not yours"],
  ])("refuses %o with %i and writes nothing", async (body, status, message) => {
    const me = await person();
    const answer = await send("/api/v1/statuses", me.token, body);
    expect(answer.response.status).toBe(status);
    expect(answer.body.error).toContain(message);
    expect(await ctx.db.select().from(posts).where(eq(posts.authorId, me.user.id))).toEqual([]);
  });

  it("notifies the people a post mentions, unless they cannot see it or muted its author", async () => {
    const me = await person();
    const friend = await person();
    const muter = await person();
    await send(`/api/v1/accounts/${me.user.id}/mute`, muter.token);
    await send("/api/v1/statuses", me.token, { status: `Hi @${friend.user.username} and @${muter.user.username}` });
    const received = async (userId: string) =>
      ctx.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, userId), eq(notifications.type, "mention")));
    await eventually(async () => expect(await received(friend.user.id)).toHaveLength(1));
    expect(await received(muter.user.id)).toHaveLength(0);
  });
});

describe("reposting", () => {
  it("makes one repost of several sent at once, and answers each with it", async () => {
    const author = await person();
    const fan = await person();
    const original = await send("/api/v1/statuses", author.token, { status: "Share me" });
    const answers = await Promise.all(Array.from({ length: 12 }, () => send(`/api/v1/statuses/${original.body.id}/reblog`, fan.token)));
    expect(answers.map((answer) => answer.response.status)).toEqual(Array.from({ length: 12 }, () => 200));
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    const reposts = await ctx.db.select().from(posts).where(eq(posts.reblogOfId, original.body.id));
    expect(reposts).toHaveLength(1);
  });
});

describe("deleting", () => {
  it("takes the post out of counts, timelines and reposts everywhere", async () => {
    const author = await person();
    const fan = await person();
    const original = await send("/api/v1/statuses", author.token, { status: "Here today" });
    const reply = await send("/api/v1/statuses", fan.token, { status: "Nice", in_reply_to_id: original.body.id });
    await send(`/api/v1/statuses/${original.body.id}/reblog`, fan.token);
    await send(`/api/v1/statuses/${original.body.id}/favourite`, fan.token);
    expect((await callApi(`/api/v1/statuses/${original.body.id}`, null)).body).toMatchObject({
      replies_count: 1,
      reblogs_count: 1,
      favourites_count: 1,
    });
    await callApi(`/api/v1/statuses/${reply.body.id}`, fan.token, { method: "DELETE" });
    expect((await callApi(`/api/v1/statuses/${original.body.id}`, null)).body.replies_count).toBe(0);

    await callApi(`/api/v1/statuses/${original.body.id}`, author.token, { method: "DELETE" });
    const onFansProfile = await callApi(`/api/v1/accounts/${fan.user.id}/statuses`, null);
    expect(onFansProfile.body).toEqual([]);
    const publicTimeline = await callApi("/api/v1/timelines/public?limit=40", null);
    expect(publicTimeline.body.map((status: { id: string }) => status.id)).not.toContain(original.body.id);
    expect((await callApi("/api/v1/favourites", fan.token)).body).toEqual([]);
    const [row] = await ctx.db
      .select({ count: sql<number>`count(*)` })
      .from(posts)
      .where(eq(posts.reblogOfId, original.body.id));
    expect(row!.count).toBe(0);
  });

  it("lets only the author delete, answers with the source for redrafting, and leaves quotes unavailable", async () => {
    const author = await person();
    const other = await person();
    const original = await send("/api/v1/statuses", author.token, { status: "Quote me" });
    const quote = await send("/api/v1/statuses", other.token, { status: "Look at this", quote_id: original.body.id });
    expect(quote.body.quote).toMatchObject({ state: "accepted", quoted_status: { id: original.body.id } });
    expect((await callApi(`/api/v1/statuses/${original.body.id}`, other.token, { method: "DELETE" })).response.status).toBe(403);
    const deleted = await callApi(`/api/v1/statuses/${original.body.id}`, author.token, { method: "DELETE" });
    expect(deleted.body).toMatchObject({ id: original.body.id, text: "Quote me" });
    expect((await callApi(`/api/v1/statuses/${original.body.id}`, author.token)).response.status).toBe(404);
    expect((await callApi(`/api/v1/statuses/${quote.body.id}`, author.token)).body.quote).toEqual({
      state: "unavailable",
      quoted_status: null,
    });
  });

  it("lets a quoted author take their post out of a quote, and refuses quoting what may not be quoted", async () => {
    const author = await person();
    const quoter = await person();
    const follower = await person();
    await makeFollow(ctx, follower.user, author.user);
    const original = await send("/api/v1/statuses", author.token, { status: "Public thought" });
    const quote = await send("/api/v1/statuses", quoter.token, { status: "Quoting", quote_id: original.body.id });
    await send(`/api/v1/statuses/${quote.body.id}/detach_quote`, author.token);
    expect((await callApi(`/api/v1/statuses/${quote.body.id}`, quoter.token)).body.quote.state).toBe("unavailable");
    const secret = await send("/api/v1/statuses", author.token, { status: "Followers only", visibility: "private" });
    expect((await send("/api/v1/statuses", follower.token, { status: "Quoting", quote_id: secret.body.id })).response.status).toBe(422);
    expect((await send("/api/v1/statuses", quoter.token, { status: "Quoting", quote_id: secret.body.id })).response.status).toBe(404);
  });
});

describe("quote controls", () => {
  it("let authors allow quotes by anyone, by followers only, or by nobody, and change it later", async () => {
    const author = await person();
    const follower = await person();
    const stranger = await person();
    await makeFollow(ctx, follower.user, author.user);
    const followersOnly = await send("/api/v1/statuses", author.token, {
      status: "Followers may quote",
      quote_approval_policy: "followers",
    });
    expect(followersOnly.body.quote_approval).toEqual({ automatic: ["followers"], manual: [], current_user: "unknown" });
    const refused = await send("/api/v1/statuses", stranger.token, { status: "Mine now", quote_id: followersOnly.body.id });
    expect(refused.response.status).toBe(422);
    expect(refused.body.error).toContain("followers can quote");
    expect((await send("/api/v1/statuses", follower.token, { status: "Allowed", quote_id: followersOnly.body.id })).response.status).toBe(
      200,
    );

    const closed = await send("/api/v1/statuses", author.token, { status: "No quotes", quote_approval_policy: "nobody" });
    expect((await send("/api/v1/statuses", follower.token, { status: "Try", quote_id: closed.body.id })).body.error).toContain(
      "does not allow quotes",
    );
    expect((await send("/api/v1/statuses", author.token, { status: "Self quote", quote_id: closed.body.id })).response.status).toBe(200);
    const reopened = await callApi(`/api/v1/statuses/${closed.body.id}`, author.token, {
      method: "PUT",
      body: JSON.stringify({ status: "Quotes welcome", quote_approval_policy: "public" }),
      headers: { "Content-Type": "application/json" },
    });
    expect(reopened.body.quote_approval.automatic).toEqual(["public"]);
    expect((await send("/api/v1/statuses", stranger.token, { status: "Now I can", quote_id: closed.body.id })).response.status).toBe(200);
    expect(await ctx.db.select().from(posts).where(eq(posts.authorId, stranger.user.id))).toHaveLength(1);
  });
});

describe("engagement", () => {
  it("keeps like counts exact under concurrency, and says who liked", async () => {
    const author = await person();
    const post = await send("/api/v1/statuses", author.token, { status: "Like me" });
    const fans = await Promise.all(Array.from({ length: 8 }, () => person()));
    await Promise.all([...fans, ...fans].map((fan) => send(`/api/v1/statuses/${post.body.id}/favourite`, fan.token)));
    const seen = await callApi(`/api/v1/statuses/${post.body.id}`, fans[0]!.token);
    expect(seen.body).toMatchObject({ favourites_count: 8, favourited: true });
    expect((await callApi(`/api/v1/statuses/${post.body.id}/favourited_by`, null)).body).toHaveLength(8);
    const firstFive = await callApi(`/api/v1/statuses/${post.body.id}/favourited_by?limit=5`, null);
    const rest = new URL(firstFive.response.headers.get("Link")!.match(/<([^>]+)>; rel="next"/)![1]!);
    const lastThree = await callApi(rest.pathname + rest.search, null);
    const likers = [...firstFive.body, ...lastThree.body].map((account: { id: string }) => account.id);
    expect(new Set(likers)).toEqual(new Set(fans.map((fan) => fan.user.id)));
    const unliked = await send(`/api/v1/statuses/${post.body.id}/unfavourite`, fans[0]!.token);
    expect(unliked.body).toMatchObject({ favourites_count: 7, favourited: false });
    const likes = () =>
      ctx.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, author.user.id), eq(notifications.type, "favourite")));
    await eventually(async () => expect(await likes()).toHaveLength(8));
  });

  it("reposts once, shows the repost on the reposter's profile, and never reposts followers-only posts", async () => {
    const author = await person();
    const fan = await person();
    const post = await send("/api/v1/statuses", author.token, { status: "Boost me" });
    const repost = await send(`/api/v1/statuses/${post.body.id}/reblog`, fan.token);
    expect(repost.body).toMatchObject({ reblog: { id: post.body.id, reblogs_count: 1, reblogged: true } });
    expect((await send(`/api/v1/statuses/${post.body.id}/reblog`, fan.token)).body.id).toBe(repost.body.id);
    const profile = await callApi(`/api/v1/accounts/${fan.user.id}/statuses`, null);
    expect(profile.body[0]).toMatchObject({ id: repost.body.id, reblog: { id: post.body.id } });
    expect((await callApi(`/api/v1/statuses/${post.body.id}/reblogged_by`, null)).body.map((a: { id: string }) => a.id)).toEqual([
      fan.user.id,
    ]);
    expect((await send(`/api/v1/statuses/${post.body.id}/unreblog`, fan.token)).body).toMatchObject({ reblogs_count: 0, reblogged: false });
    const secret = await send("/api/v1/statuses", author.token, { status: "Mine only", visibility: "private" });
    expect((await send(`/api/v1/statuses/${secret.body.id}/reblog`, author.token)).response.status).toBe(422);
  });

  it("bookmarks privately, pages bookmarks, and keeps dislikes out of every count", async () => {
    const author = await person();
    const reader = await person();
    const ids = [];
    for (let i = 0; i < 3; i += 1) ids.push((await send("/api/v1/statuses", author.token, { status: `Bookmark ${i}` })).body.id);
    for (const id of ids) await send(`/api/v1/statuses/${id}/bookmark`, reader.token);
    const first = await callApi("/api/v1/bookmarks?limit=2", reader.token);
    expect(first.body.map((status: { id: string }) => status.id)).toEqual([ids[2], ids[1]]);
    const next = new URL(first.response.headers.get("Link")!.match(/<([^>]+)>; rel="next"/)![1]!);
    expect((await callApi(next.pathname + next.search, reader.token)).body.map((status: { id: string }) => status.id)).toEqual([ids[0]]);
    expect((await callApi(`/api/v1/statuses/${ids[0]}`, author.token)).body.bookmarked).toBe(false);
    const disliked = await send(`/api/v1/statuses/${ids[0]}/dislike`, reader.token);
    expect(JSON.stringify(disliked.body)).not.toMatch(/dislike/i);
  });

  it("counts emoji reactions per emoji, one per person and emoji", async () => {
    const author = await person();
    const a = await person();
    const b = await person();
    const post = await send("/api/v1/statuses", author.token, { status: "React" });
    await callApi(`/api/v1/statuses/${post.body.id}/reactions/${encodeURIComponent("👍")}`, a.token, { method: "PUT" });
    await callApi(`/api/v1/statuses/${post.body.id}/reactions/${encodeURIComponent("👍")}`, b.token, { method: "PUT" });
    const reacted = await callApi(`/api/v1/statuses/${post.body.id}/reactions/${encodeURIComponent("🎉")}`, a.token, { method: "PUT" });
    expect(reacted.body.reactions).toEqual(
      expect.arrayContaining([
        { name: "👍", count: 2, me: true },
        { name: "🎉", count: 1, me: true },
      ]),
    );
    expect((await callApi(`/api/v1/statuses/${post.body.id}/reactions/ab`, a.token, { method: "PUT" })).response.status).toBe(422);
    expect((await callApi(`/api/v1/statuses/${post.body.id}/reacted_by`, null)).body).toHaveLength(2);
  });
});

describe("engagement forms on pages", () => {
  it("like and unlike without JavaScript, returning to the page", async () => {
    const author = await person();
    const post = await makePost(ctx, author.user, { text: "Form-liked post" });
    const cookie = sessionOf(
      await postForm("/login", { identifier: author.user.username, password: "a long enough password" }, { ip: "192.0.2.77" }),
    );
    const liked = await postForm(
      "/resources/engage",
      { intent: "favourite", postId: post.id, redirectTo: `/${author.user.username}` },
      { cookie },
    );
    expect(liked.headers.get("Location")).toBe(`/${author.user.username}`);
    const page = await getPage(`/${author.user.username}`, cookie);
    expect(page.html).toContain('aria-pressed="true"');
    expect(page.html).toContain("Like, 1 like");
    expect(
      (await postForm("/resources/engage", { intent: "favourite", postId: post.id, redirectTo: "/" })).headers.get("Location"),
    ).toMatch(/^\/login/);
  });
});

describe("editing", () => {
  it("keeps every version, marks the post edited, and re-reads hashtags and mentions", async () => {
    const me = await person();
    const friend = await person();
    const created = await send("/api/v1/statuses", me.token, { status: "First draft #draft" });
    const put = (token: string, body: Record<string, unknown>) =>
      callApi(`/api/v1/statuses/${created.body.id}`, token, {
        method: "PUT",
        body: JSON.stringify(body),
        headers: { "Content-Type": "application/json" },
      });
    const edited = await put(me.token, { status: `Final words #final with @${friend.user.username}`, spoiler_text: "cw" });
    expect(edited.response.status).toBe(200);
    expect(edited.body).toMatchObject({ spoiler_text: "cw", tags: [{ name: "final" }], mentions: [{ username: friend.user.username }] });
    expect(edited.body.edited_at).not.toBeNull();
    const history = await callApi(`/api/v1/statuses/${created.body.id}/history`, null);
    expect(history.body.map((version: { content: string }) => version.content.replace(/<[^>]+>/g, ""))).toEqual([
      "First draft #draft",
      `Final words #final with @${friend.user.username}`,
    ]);
    const source = await callApi(`/api/v1/statuses/${created.body.id}/source`, me.token);
    expect(source.body).toEqual({ id: created.body.id, text: `Final words #final with @${friend.user.username}`, spoiler_text: "cw" });
  });

  it("tells people who reposted or quoted the post that it changed, and newly mentioned people that they were mentioned", async () => {
    const me = await person();
    const reposter = await person();
    const quoter = await person();
    const named = await person();
    const created = await send("/api/v1/statuses", me.token, { status: "Worth sharing" });
    await send(`/api/v1/statuses/${created.body.id}/reblog`, reposter.token);
    await send("/api/v1/statuses", quoter.token, { status: "Look", quote_id: created.body.id });
    await callApi(`/api/v1/statuses/${created.body.id}`, me.token, {
      method: "PUT",
      body: JSON.stringify({ status: `Worth sharing, says @${named.user.username}` }),
      headers: { "Content-Type": "application/json" },
    });
    const byType = async (type: "update" | "mention") =>
      (
        await ctx.db
          .select()
          .from(notifications)
          .where(and(eq(notifications.postId, created.body.id), eq(notifications.type, type)))
      )
        .map((row) => row.userId)
        .sort();
    await eventually(async () => expect(await byType("update")).toEqual([reposter.user.id, quoter.user.id].sort()));
    await eventually(async () => expect(await byType("mention")).toEqual([named.user.id]));
  });

  it("tells a crowd of reposters about an edit, except those who muted or blocked the author", async () => {
    const me = await person();
    const created = await send("/api/v1/statuses", me.token, { status: "Going viral" });
    // More than the 90 ids one statement reads at a time; made concurrently, as one by one they take seconds under load.
    const crowd = await Promise.all(Array.from({ length: 120 }, (_, index) => makeUser(ctx, { username: `crowd${count}x${index}` })));
    await Promise.all(crowd.map((member) => reblog(ctx, member.id, created.body.id)));
    await mute(ctx, crowd[0]!.id, me.user.id, {});
    await block(ctx, crowd[1]!.id, me.user.id);
    const edited = await callApi(`/api/v1/statuses/${created.body.id}`, me.token, {
      method: "PUT",
      body: JSON.stringify({ status: "Going viral, edited" }),
      headers: { "Content-Type": "application/json" },
    });
    expect(edited.response.status).toBe(200);
    const told = await eventually(async () => {
      const rows = await ctx.db
        .select({ userId: notifications.userId })
        .from(notifications)
        .where(and(eq(notifications.postId, created.body.id), eq(notifications.type, "update")));
      expect(rows).toHaveLength(118);
      return rows;
    });
    expect(told.map((row) => row.userId)).not.toContain(crowd[0]!.id);
    expect(told.map((row) => row.userId)).not.toContain(crowd[1]!.id);
  });

  it.each([
    ["someone else's post", "other", { status: "Hijacked" }, 403],
    ["an empty edit", "me", { status: "  " }, 422],
    ["an edit over the limit", "me", { status: "y".repeat(501) }, 422],
  ])("refuses %s and keeps the post as it was", async (_, who, body, status) => {
    const me = await person();
    const other = await person();
    const created = await send("/api/v1/statuses", me.token, { status: "Untouched" });
    const token = who === "me" ? me.token : other.token;
    const answer = await callApi(`/api/v1/statuses/${created.body.id}`, token, {
      method: "PUT",
      body: JSON.stringify(body),
      headers: { "Content-Type": "application/json" },
    });
    expect(answer.response.status).toBe(status);
    expect(answer.body.error).toEqual(expect.any(String));
    const [row] = await ctx.db.select().from(posts).where(eq(posts.id, created.body.id));
    expect(row).toMatchObject({ text: "Untouched", editedAt: null });
    expect((await callApi(`/api/v1/statuses/${created.body.id}/history`, null)).body).toHaveLength(1);
  });
});
