import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, moderationActions, posts, sessions } from "#db/schema/index.ts";
import { makeFollow, makePost, makeUser } from "#db/seed/factories.ts";
import { actingAs } from "#domain/context.ts";
import { actionsAgainst, moderate } from "#domain/moderation/actions.ts";
import { fileReport } from "#domain/moderation/reports.ts";
import { callApi, deliverEvents, eventually, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let count = 0;
const PASSWORD = "a long enough password";

async function signedIn(role: "user" | "moderator" | "admin" = "user") {
  count += 1;
  const user = await makeUser(ctx, { username: `mod_actions${count}`, password: PASSWORD, role });
  const cookie = sessionOf(await postForm("/login", { identifier: user.username, password: PASSWORD }, { ip: `192.0.2.${100 + count}` }));
  return { user, cookie };
}

describe("/admin", () => {
  it("answers 403 to people without the permission on its loader and action, and sends visitors to log in", async () => {
    const { cookie } = await signedIn("user");
    expect((await getPage("/admin", cookie)).response.status).toBe(403);
    expect((await postForm("/admin/settings", { intent: "moderation", "moderation.blockedWords": "x" }, { cookie })).status).toBe(403);
    const visitor = await getPage("/admin");
    expect(visitor.response.status).toBe(302);
    expect(visitor.response.headers.get("Location")).toContain("/login");
    const moderator = await signedIn("moderator");
    const page = await getPage("/admin", moderator.cookie);
    expect(page.response.status).toBe(200);
    expect(page.html).toContain("AI classification is off");
    expect(page.html, "instance settings are for admins").not.toContain('href="/admin/settings"');
    expect(
      (await postForm("/admin/settings", { intent: "moderation", "moderation.blockedWords": "x" }, { cookie: moderator.cookie })).status,
    ).toBe(403);
  });

  it("shows a report with its post; removing it needs a reason, tells the author, who appeals once", async () => {
    const admin = await signedIn("admin");
    const author = await signedIn();
    const reporter = await makeUser(ctx, { username: "mod_actions_reporter" });
    const post = await makePost(ctx, author.user, { text: "A post someone reported" });
    const report = await fileReport(ctx, reporter.id, {
      targetAccountId: author.user.id,
      category: "harassment",
      comment: "Mean",
      postIds: [post.id],
    });
    expect((await getPage("/admin/reports", admin.cookie)).html).toContain("“Mean”");
    const reportPage = `/admin/reports/${report.id}`;
    const queue = await getPage(reportPage, admin.cookie);
    expect(queue.html).toContain("A post someone reported");
    expect(queue.html).toContain("“Mean”");

    const fields = { intent: "resolve", command: "remove_post" };
    const noReason = await postForm(reportPage, { ...fields, reason: " " }, { cookie: admin.cookie });
    expect(noReason.status).toBe(422);
    expect((await ctx.db.query.posts.findFirst({ where: eq(posts.id, post.id) }))!.moderationState).toBeNull();
    expect((await postForm(reportPage, { ...fields, reason: "Targets another member" }, { cookie: admin.cookie })).status).toBe(200);
    expect((await ctx.db.query.posts.findFirst({ where: eq(posts.id, post.id) }))!.moderationState).toBe("removed");
    expect((await callApi(`/api/v1/statuses/${post.id}`, null)).response.status).toBe(404);
    const [entry] = await ctx.db.select().from(auditLog).where(eq(auditLog.targetId, report.id));
    expect(entry).toMatchObject({ moderatorId: admin.user.id, action: "remove_post", reason: "Targets another member" });
    expect((await getPage("/admin/reports", admin.cookie)).html).not.toContain("“Mean”");

    const page = await getPage("/settings/moderation", author.cookie);
    expect(page.html).toContain("Post removed");
    expect(page.html).toContain("Targets another member");
    const [action] = await ctx.db.select().from(moderationActions).where(eq(moderationActions.postId, post.id));
    const first = await postForm(
      "/settings/moderation",
      { actionId: action!.id, appeal: "It was a joke between friends" },
      { cookie: author.cookie },
    );
    expect(first.status).toBe(200);
    const second = await postForm("/settings/moderation", { actionId: action!.id, appeal: "Again" }, { cookie: author.cookie });
    expect(second.status).toBe(409);
    expect((await ctx.db.query.moderationActions.findFirst({ where: eq(moderationActions.id, action!.id) }))!.appealText).toBe(
      "It was a joke between friends",
    );
    expect((await getPage("/admin", admin.cookie)).html).toContain("It was a joke between friends");
    expect(
      (await postForm("/admin", { intent: "appeal", actionId: action!.id, decision: "overturned" }, { cookie: admin.cookie })).status,
    ).toBe(200);
    expect((await ctx.db.query.posts.findFirst({ where: eq(posts.id, post.id) }))!.moderationState).toBeNull();

    // The action was taken through the page, so its event goes through the real relay and local queue.
    const token = await tokenFor(author.user.id, ["read"]);
    await eventually(async () => {
      const inbox = await callApi("/api/v1/notifications", token);
      expect(inbox.body.map((n: { type: string }) => n.type)).toContain("moderation_warning");
    });
  });
});

describe("limit (shadowban) and suspend", () => {
  it("a limited account's posts reach only its followers, and it is not told", async () => {
    const moderator = await makeUser(ctx, { username: "mod_actions_moderator", role: "moderator" });
    const [limited, follower, stranger] = [
      await makeUser(ctx, { username: "mod_actions_limited" }),
      await makeUser(ctx, { username: "mod_actions_follower" }),
      await makeUser(ctx, { username: "mod_actions_stranger" }),
    ];
    await makeFollow(ctx, follower, limited);
    const post = await makePost(ctx, limited, { text: "Limited reach" });
    await deliverEvents();
    await moderate(actingAs(ctx, moderator), { command: "limit", accountId: limited.id, reason: "Spammy replies" });

    expect((await callApi(`/api/v1/statuses/${post.id}`, await tokenFor(follower.id))).response.status).toBe(200);
    expect((await callApi(`/api/v1/statuses/${post.id}`, await tokenFor(stranger.id))).response.status).toBe(404);
    expect((await callApi(`/api/v1/statuses/${post.id}`, await tokenFor(limited.id))).response.status).toBe(200);
    const publicIds = ((await callApi("/api/v1/timelines/public?limit=40", await tokenFor(stranger.id))).body as { id: string }[]).map(
      (s) => s.id,
    );
    expect(publicIds).not.toContain(post.id);
    const home = ((await callApi("/api/v1/timelines/home", await tokenFor(follower.id))).body as { id: string }[]).map((s) => s.id);
    expect(home).toContain(post.id);

    await deliverEvents();
    expect(await actionsAgainst(ctx, limited.id)).toEqual([]);
    const told = (await callApi("/api/v1/notifications", await tokenFor(limited.id, ["read"]))).body as { type: string }[];
    expect(told.map((n) => n.type)).toEqual(["follow"]);
    const account = (await callApi(`/api/v1/accounts/${limited.id}`, null)).body;
    expect(JSON.stringify(account)).not.toMatch(/moderation|"limited"|silenced/);
  });

  it("suspending hides every post, ends sessions, and only moderators may do it", async () => {
    const { user, cookie } = await signedIn();
    const post = await makePost(ctx, user, { text: "Before the suspension" });
    const plain = await makeUser(ctx, { username: "mod_actions_plain" });
    await expect(moderate(actingAs(ctx, plain), { command: "suspend", accountId: user.id, reason: "No" })).rejects.toMatchObject({
      kind: "forbidden",
    });
    const moderator = await makeUser(ctx, { username: "mod_actions_suspender", role: "moderator" });
    await moderate(actingAs(ctx, moderator), { command: "suspend", accountId: user.id, reason: "Ban evasion" });
    expect(await ctx.db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
    expect((await getPage("/settings/moderation", cookie)).response.status).toBe(302);
    expect((await callApi(`/api/v1/statuses/${post.id}`, null)).response.status).toBe(404);
    expect((await actionsAgainst(ctx, user.id)).map((action) => action.kind)).toEqual(["suspend"]);
  });
});
