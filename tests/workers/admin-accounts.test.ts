import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, invites, notifications, users } from "#db/schema/index.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { setRegistrationsMode } from "#domain/accounts/registrations.ts";
import type { User } from "#domain/accounts/users.ts";
import { fileReport } from "#domain/moderation/reports.ts";
import { animatedGif } from "#tests/fixtures/media.ts";
import { asUser, callApi, eventually, fetchWorker, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
const PASSWORD = "a long enough password";
let count = 0;

async function person(role: User["role"] = "user") {
  count += 1;
  return makeUser(ctx, { username: `adm_acct${count}`, password: PASSWORD, role, emailVerified: true });
}

async function signedIn(role: User["role"] = "user", ip = `192.0.2.${10 + (count % 200)}`) {
  const user = await person(role);
  const response = await postForm("/login", { identifier: user.username, password: PASSWORD }, { ip });
  return { user, cookie: sessionOf(response) };
}

const ADMIN_SCOPES = ["read", "write", "admin:read", "admin:write"];

const auditFor = (targetId: string, action: string) =>
  ctx.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetId, targetId), eq(auditLog.action, action)));

describe("permissions", () => {
  it("answers 403 to a signed-in non-moderator on every /admin/accounts loader and action", async () => {
    const { cookie } = await signedIn();
    const target = await person();
    for (const path of ["/admin/accounts", "/admin/accounts?status=pending", `/admin/accounts/${target.id}`]) {
      expect((await getPage(path, cookie)).response.status, path).toBe(403);
    }
    const actions: [string, Record<string, string>][] = [
      ["/admin/accounts", { intent: "approve", accountId: target.id }],
      ["/admin/accounts", { intent: "reject", accountId: target.id }],
      ["/admin/accounts", { intent: "registrations", mode: "closed" }],
      ["/admin/accounts", { intent: "invite" }],
      ["/admin/accounts", { intent: "revoke-invite", inviteId: "1" }],
      [`/admin/accounts/${target.id}`, { intent: "moderate", command: "suspend", reason: "x" }],
      [`/admin/accounts/${target.id}`, { intent: "role", role: "admin" }],
      [`/admin/accounts/${target.id}`, { intent: "verify" }],
      [`/admin/accounts/${target.id}`, { intent: "approve" }],
      [`/admin/accounts/${target.id}`, { intent: "reject" }],
      [`/admin/accounts/${target.id}`, { intent: "delete", confirm: "on", reason: "x" }],
    ];
    for (const [path, fields] of actions) {
      expect((await postForm(path, fields, { cookie })).status, `${path} ${fields.intent}`).toBe(403);
    }
    expect((await ctx.db.query.users.findFirst({ where: eq(users.id, target.id) }))?.moderationStatus).toBeNull();
  });

  it("answers 403 on every admin API route to a non-moderator, even with admin scopes, and to a token without them", async () => {
    const user = await person();
    const target = await person();
    const token = await tokenFor(user.id, ADMIN_SCOPES);
    const moderator = await person("moderator");
    const narrow = await tokenFor(moderator.id, ["read", "write"]);
    const routes: [string, string][] = [
      ["GET", "/api/v2/admin/accounts"],
      ["GET", `/api/v1/admin/accounts/${target.id}`],
      ["POST", `/api/v1/admin/accounts/${target.id}/action`],
      ["POST", `/api/v1/admin/accounts/${target.id}/approve`],
      ["POST", `/api/v1/admin/accounts/${target.id}/reject`],
      ["POST", `/api/v1/admin/accounts/${target.id}/unsuspend`],
      ["POST", `/api/v1/admin/accounts/${target.id}/unsilence`],
      ["POST", `/api/v1/admin/accounts/${target.id}/enable`],
      ["POST", `/api/v1/admin/accounts/${target.id}/unsensitive`],
      ["DELETE", `/api/v1/admin/accounts/${target.id}`],
      ["GET", "/api/v1/admin/reports"],
      ["GET", "/api/v1/admin/reports/1"],
      ["POST", "/api/v1/admin/reports/1/assign_to_self"],
      ["POST", "/api/v1/admin/reports/1/unassign"],
      ["POST", "/api/v1/admin/reports/1/resolve"],
      ["POST", "/api/v1/admin/reports/1/reopen"],
    ];
    for (const [method, path] of routes) {
      const init: RequestInit = { method };
      if (path.endsWith("/action")) {
        init.body = JSON.stringify({ type: "suspend", text: "x" });
        init.headers = { "Content-Type": "application/json" };
      }
      const asUserCall = await callApi(path, token, init);
      expect(asUserCall.response.status, `${method} ${path} as a user`).toBe(403);
      expect(asUserCall.body.error).toBeTruthy();
      expect((await callApi(path, narrow, init)).response.status, `${method} ${path} without admin scopes`).toBe(403);
      expect((await callApi(path, null, init)).response.status, `${method} ${path} without a token`).toBe(401);
    }
    expect((await ctx.db.query.users.findFirst({ where: eq(users.id, target.id) }))?.moderationStatus).toBeNull();
  });

  it("keeps email, IP addresses, roles and deletion for admins", async () => {
    const moderator = await signedIn("moderator");
    const target = await person();
    const token = await tokenFor(moderator.user.id, ADMIN_SCOPES);
    expect((await callApi(`/api/v2/admin/accounts?email=${target.email}`, token)).response.status).toBe(403);
    expect((await callApi("/api/v2/admin/accounts?ip=192.0.2.1", token)).response.status).toBe(403);
    expect((await callApi(`/api/v1/admin/accounts/${target.id}`, token, { method: "DELETE" })).response.status).toBe(403);
    const shown = await callApi(`/api/v1/admin/accounts/${target.id}`, token);
    expect(shown.body).toMatchObject({ id: target.id, email: "", ips: [], ip: null });
    expect((await postForm(`/admin/accounts/${target.id}`, { intent: "role", role: "admin" }, { cookie: moderator.cookie })).status).toBe(
      403,
    );
    const page = await getPage(`/admin/accounts/${target.id}`, moderator.cookie);
    expect(page.response.status).toBe(200);
    expect(page.html).not.toContain(target.email);
    expect(page.html).not.toContain("Log-in history");
  });
});

describe("/admin/accounts", () => {
  it("finds accounts; an admin sees email, addresses and log-ins with the browser; a moderator sees reports and actions", async () => {
    const admin = await signedIn("admin");
    const moderator = await signedIn("moderator");
    const target = await person();
    await postForm("/login", { identifier: target.username, password: PASSWORD }, { ip: "203.0.113.77" });
    const reporter = await person();
    const post = await makePost(ctx, target, { text: "Something reportable here" });
    await fileReport(ctx, reporter.id, { targetAccountId: target.id, category: "spam", comment: "Looks like spam", postIds: [post.id] });

    const found = await getPage(`/admin/accounts?q=${target.username}`, moderator.cookie);
    expect(found.response.status).toBe(200);
    expect(found.html).toContain(`/admin/accounts/${target.id}`);
    expect(found.html).not.toContain(`/admin/accounts/${reporter.id}`);
    expect(found.html, "the admin nav links the section").toContain('aria-current="page"');

    const forModerator = await getPage(`/admin/accounts/${target.id}`, moderator.cookie);
    expect(forModerator.html).toContain("Looks like spam");
    expect(forModerator.html).toContain("Something reportable here");
    expect(forModerator.html).not.toContain("203.0.113.77");

    const byEmail = await getPage(`/admin/accounts?q=${encodeURIComponent(target.email)}`, admin.cookie);
    expect(byEmail.html).toContain(`/admin/accounts/${target.id}`);
    const forAdmin = await getPage(`/admin/accounts/${target.id}`, admin.cookie);
    expect(forAdmin.html).toContain(target.email);
    expect(forAdmin.html).toContain("203.0.113.77");
    expect(forAdmin.html).toContain("Log-in history");
  });

  it("changes a role, gives the badge, limits, suspends, lifts and deletes, each in the audit log", async () => {
    const admin = await signedIn("admin");
    const target = await person();
    const page = `/admin/accounts/${target.id}`;
    const act = (fields: Record<string, string>) => postForm(page, fields, { cookie: admin.cookie });
    const row = () => ctx.db.query.users.findFirst({ where: eq(users.id, target.id) });

    expect((await act({ intent: "role", role: "moderator" })).status).toBe(200);
    expect((await row())?.role).toBe("moderator");
    expect(await auditFor(target.id, "role_moderator")).toHaveLength(1);
    expect((await act({ intent: "role", role: "user" })).status).toBe(200);

    expect((await act({ intent: "verify" })).status).toBe(200);
    expect((await row())?.verifiedAt).not.toBeNull();
    expect(await auditFor(target.id, "verify")).toHaveLength(1);
    expect((await getPage(`/${target.username}`)).html).toContain("Verified");

    expect((await act({ intent: "moderate", command: "limit", reason: "Spammy replies" })).status).toBe(200);
    expect((await row())?.moderationStatus).toBe("limited");
    expect((await act({ intent: "moderate", command: "unlimit", reason: "Better now" })).status).toBe(200);
    expect((await row())?.moderationStatus).toBeNull();
    expect(await auditFor(target.id, "unlimit")).toHaveLength(1);
    const noReason = await act({ intent: "moderate", command: "suspend", reason: "" });
    expect(noReason.status).toBe(422);
    expect((await act({ intent: "moderate", command: "suspend", reason: "Harassment" })).status).toBe(200);
    expect((await row())?.moderationStatus).toBe("suspended");
    expect((await act({ intent: "moderate", command: "unsuspend", reason: "Appeal upheld" })).status).toBe(200);
    expect((await row())?.moderationStatus).toBeNull();

    expect((await act({ intent: "delete", reason: "Ban evasion" })).status, "deleting needs the box ticked").toBe(422);
    const deleted = await act({ intent: "delete", confirm: "on", reason: "Ban evasion" });
    expect(deleted.status).toBe(302);
    expect(await row()).toBeUndefined();
    expect((await auditFor(target.id, "delete_account"))[0]).toMatchObject({ moderatorId: admin.user.id, reason: "Ban evasion" });
  });
});

describe("registrations", () => {
  it("closed: the sign-up page says so, its form and POST /api/v1/accounts are refused, the instance says so", async () => {
    const admin = await person("admin");
    await setRegistrationsMode(asUser(admin), "closed");
    try {
      const page = await getPage("/signup");
      expect(page.html).toContain("Registrations are closed");
      const refused = await postForm("/signup", { username: "closed_try", email: "closed_try@example.test", password: PASSWORD });
      expect(refused.status).toBe(403);
      expect(await ctx.db.query.users.findFirst({ where: eq(users.username, "closed_try") })).toBeUndefined();
      const app = await callApi("/api/v1/apps", null, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ client_name: "Reg", redirect_uris: "urn:ietf:wg:oauth:2.0:oob", scopes: "read write" }),
      });
      const appToken = await callApi("/oauth/token", null, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ grant_type: "client_credentials", client_id: app.body.client_id, client_secret: app.body.client_secret }),
      });
      const api = await callApi("/api/v1/accounts", appToken.body.access_token, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username: "closed_api", email: "closed_api@example.test", password: PASSWORD, agreement: true }),
      });
      expect(api.response.status).toBe(403);
      expect(api.body.error).toContain("Registrations are closed");
      const v2 = await callApi("/api/v2/instance", null);
      expect(v2.body.registrations).toMatchObject({ enabled: false, approval_required: false });
      expect((await callApi("/api/v1/instance", null)).body).toMatchObject({ registrations: false, approval_required: false });
    } finally {
      await setRegistrationsMode(asUser(admin), "open");
    }
  });

  it("approval: the sign-up waits with its reason, cannot log in, moderators hear of it and approve it", async () => {
    const admin = await person("admin");
    const moderator = await signedIn("moderator");
    await setRegistrationsMode(asUser(admin), "approval");
    try {
      expect((await callApi("/api/v2/instance", null)).body.registrations).toMatchObject({ enabled: true, approval_required: true });
      const form = await getPage("/signup");
      expect(form.html).toContain("Why do you want to join?");
      const created = await postForm("/signup", {
        username: "pending_one",
        email: "pending_one@example.test",
        password: PASSWORD,
        reason: "I birdwatch",
      });
      expect(created.status).toBe(302);
      expect(created.headers.get("Location")).toBe("/welcome?pending=1");
      expect(created.headers.getSetCookie().some((cookie) => cookie.startsWith("perch_session="))).toBe(false);
      const pending = (await ctx.db.query.users.findFirst({ where: eq(users.username, "pending_one") }))!;
      expect(pending).toMatchObject({ approved: false, signUpReason: "I birdwatch" });

      const login = await postForm("/login", { identifier: "pending_one", password: PASSWORD }, { ip: "192.0.2.250" });
      expect(login.status).toBe(403);
      expect(await login.text()).toContain("pending approval");

      await eventually(async () => {
        const [told] = await ctx.db
          .select()
          .from(notifications)
          .where(and(eq(notifications.userId, moderator.user.id), eq(notifications.type, "admin.sign_up")));
        expect(told?.fromUserId).toBe(pending.id);
      });
      const queue = await getPage("/admin/accounts?status=pending", moderator.cookie);
      expect(queue.html).toContain("I birdwatch");
      expect(queue.html).toMatch(/Approve @(<!-- -->)?pending_one/);
      const listed = await callApi("/api/v2/admin/accounts?status=pending", await tokenFor(moderator.user.id, ADMIN_SCOPES));
      expect(listed.body.map((account: { id: string }) => account.id)).toContain(pending.id);
      expect(listed.body.find((account: { id: string }) => account.id === pending.id)).toMatchObject({
        approved: false,
        invite_request: "I birdwatch",
      });

      expect((await postForm("/admin/accounts", { intent: "approve", accountId: pending.id }, { cookie: moderator.cookie })).status).toBe(
        200,
      );
      expect(await auditFor(pending.id, "approve")).toHaveLength(1);
      const after = await postForm("/login", { identifier: "pending_one", password: PASSWORD }, { ip: "192.0.2.251" });
      expect(after.status).toBe(302);

      await postForm("/signup", { username: "pending_two", email: "pending_two@example.test", password: PASSWORD });
      const second = (await ctx.db.query.users.findFirst({ where: eq(users.username, "pending_two") }))!;
      const rejected = await callApi(`/api/v1/admin/accounts/${second.id}/reject`, await tokenFor(moderator.user.id, ADMIN_SCOPES), {
        method: "POST",
      });
      expect(rejected.response.status).toBe(200);
      expect(await ctx.db.query.users.findFirst({ where: eq(users.id, second.id) })).toBeUndefined();
      expect(await auditFor(second.id, "reject")).toHaveLength(1);
    } finally {
      await setRegistrationsMode(asUser(admin), "open");
    }
  });

  it("invite links let people in while closed, up to their uses, until revoked", async () => {
    const moderator = await signedIn("moderator");
    const admin = await person("admin");
    await setRegistrationsMode(asUser(admin), "closed");
    try {
      expect(
        (await postForm("/admin/accounts", { intent: "invite", maxUses: "1", expiresInHours: "24" }, { cookie: moderator.cookie })).status,
      ).toBe(200);
      const [invite] = await ctx.db.select().from(invites).where(eq(invites.createdById, moderator.user.id));
      expect(invite).toMatchObject({ maxUses: 1, uses: 0 });
      expect((await getPage("/admin/accounts", moderator.cookie)).html).toContain(`/signup?invite=${invite!.code}`);
      const page = await getPage(`/signup?invite=${invite!.code}`);
      expect(page.html).not.toContain("Registrations are closed");
      const joined = await postForm("/signup", {
        username: "invited_one",
        email: "invited_one@example.test",
        password: PASSWORD,
        invite: invite!.code,
      });
      expect(joined.status).toBe(302);
      expect(joined.headers.get("Location")).toBe("/welcome");
      expect(await ctx.db.query.users.findFirst({ where: eq(users.username, "invited_one") })).toMatchObject({
        approved: true,
        inviteId: invite!.id,
      });
      const usedUp = await postForm("/signup", {
        username: "invited_two",
        email: "invited_two@example.test",
        password: PASSWORD,
        invite: invite!.code,
      });
      expect(usedUp.status).toBe(422);
      expect(await usedUp.text()).toContain("used up");

      await postForm("/admin/accounts", { intent: "invite" }, { cookie: moderator.cookie });
      const [open] = await ctx.db
        .select()
        .from(invites)
        .where(and(eq(invites.createdById, moderator.user.id), eq(invites.uses, 0)));
      expect(
        (await postForm("/admin/accounts", { intent: "revoke-invite", inviteId: open!.id }, { cookie: moderator.cookie })).status,
      ).toBe(200);
      const revoked = await postForm("/signup", {
        username: "invited_three",
        email: "invited_three@example.test",
        password: PASSWORD,
        invite: open!.code,
      });
      expect(revoked.status).toBe(422);
      expect(await auditFor(open!.id, "revoke_invite")).toHaveLength(1);
    } finally {
      await setRegistrationsMode(asUser(admin), "open");
    }
  });
});

/** A multipart body with one file field, as an upload sends it. */
function formWith(bytes: Uint8Array): FormData {
  const form = new FormData();
  form.set("file", new File([bytes as Uint8Array<ArrayBuffer>], "upload.gif"));
  return form;
}

describe("suspended accounts", () => {
  it("sign in to a restricted view: a banner with the appeal link, export and appeal work, every write is a 403", async () => {
    const moderator = await person("moderator");
    const { user, cookie: before } = await signedIn();
    const other = await person();
    const otherPost = await makePost(ctx, other, { text: "Something to like" });
    const ownPost = await makePost(ctx, user, { text: "Mine, to pin" });
    const pollPost = await makePost(ctx, other, { text: "Vote?", poll: { options: ["Yes", "No"], expiresInSeconds: 3600 } });
    const poll = await ctx.db.query.polls.findFirst({ where: (polls, { eq }) => eq(polls.postId, pollPost.id) });
    expect(
      (
        await postForm(
          `/admin/accounts/${user.id}`,
          { intent: "moderate", command: "suspend", reason: "Spam" },
          { cookie: (await signedIn("admin")).cookie },
        )
      ).status,
    ).toBe(200);
    expect((await getPage("/settings/account", before)).response.status, "suspending ended the session").toBe(302);

    const login = await postForm("/login", { identifier: user.username, password: PASSWORD }, { ip: "192.0.2.240" });
    expect(login.status).toBe(302);
    const cookie = sessionOf(login);
    const home = await getPage("/settings/moderation", cookie);
    expect(home.html).toContain("Your account is suspended");
    expect(home.html).toContain('href="/settings/moderation"');
    expect((await fetchWorker("/settings/export", { headers: { Cookie: cookie } })).status).toBe(200);

    const token = await tokenFor(user.id);
    const json = (body: unknown): RequestInit => ({
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const writes: [string, RequestInit][] = [
      ["/api/v1/statuses", json({ status: "Still here" })],
      [`/api/v1/statuses/${otherPost.id}/favourite`, { method: "POST" }],
      [`/api/v1/statuses/${otherPost.id}/reblog`, { method: "POST" }],
      [`/api/v1/accounts/${other.id}/follow`, { method: "POST" }],
      [
        "/api/v1/accounts/update_credentials",
        { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ note: "x" }) },
      ],
      // Writes that do not pass commit(): each asks the same rule itself.
      [`/api/v1/statuses/${otherPost.id}/bookmark`, { method: "POST" }],
      [`/api/v1/statuses/${otherPost.id}/reactions/${encodeURIComponent("👍")}`, { method: "PUT" }],
      [`/api/v1/statuses/${ownPost.id}/pin`, { method: "POST" }],
      [`/api/v1/polls/${poll!.id}/votes`, json({ choices: [0] })],
      ["/api/v1/lists", json({ title: "Friends" })],
      ["/api/v1/tags/birds/follow", { method: "POST" }],
      ["/api/v1/perch/moments", json({ title: "Mine" })],
      // Settings and uploads, which change what others see or what Perch stores for them.
      ["/api/v1/accounts/update_credentials", { ...json({ locked: true }), method: "PATCH" }],
      ["/api/v2/media", { method: "POST", body: formWith(animatedGif()) }],
      ["/api/v1/perch/chats/settings", { ...json({ show_presence: false }), method: "PATCH" }],
      ["/api/v2/notifications/policy", { ...json({ for_not_following: "filter" }), method: "PATCH" }],
      ["/api/v1/perch/notification_preferences", { ...json({ follow: "off" }), method: "PATCH" }],
      ["/api/v1/perch/stories/settings", { ...json({ archive: false }), method: "PUT" }],
      [`/api/v1/perch/close_friends/${other.id}`, { method: "PUT" }],
    ];
    for (const [path, init] of writes) {
      const answer = await callApi(path, token, init);
      expect(answer.response.status, path).toBe(403);
      expect(answer.body.error, path).toContain("suspended");
    }
    expect((await callApi("/api/v1/accounts/verify_credentials", token)).response.status, "reading still works").toBe(200);
    const posting = await postForm("/compose", { text: "From the page" }, { cookie });
    expect(posting.status).toBe(403);
    const unlocking = await postForm("/settings/privacy", { profileVisibility: "public", messagePolicy: "everyone" }, { cookie });
    expect(unlocking.status).toBe(403);
    expect(await unlocking.text()).toContain("Your account is suspended");

    const [action] = await ctx.db.query.moderationActions.findMany({ where: (actions, { eq }) => eq(actions.accountId, user.id) });
    const appealed = await postForm(
      "/settings/moderation",
      { intent: "appeal", actionId: action!.id, appeal: "It was not spam" },
      { cookie },
    );
    expect(appealed.status).toBeLessThan(400);
    expect((await ctx.db.query.moderationActions.findFirst({ where: (actions, { eq }) => eq(actions.id, action!.id) }))?.appealText).toBe(
      "It was not spam",
    );
    expect(moderator.role).toBe("moderator");
  });
});

describe("Mastodon admin API", () => {
  it("lists accounts with filters and Link pages, refuses unknown parameters, missing types and warning presets", async () => {
    const admin = await person("admin");
    const token = await tokenFor(admin.id, ["admin:read", "admin:write"]);
    const made = [await person(), await person(), await person()];
    const first = await callApi("/api/v2/admin/accounts?limit=2&origin=local", token);
    expect(first.response.status).toBe(200);
    expect(first.body).toHaveLength(2);
    expect(first.response.headers.get("Link")).toContain('rel="next"');
    expect(first.body[0]).toMatchObject({ id: made[2]!.id, domain: null, role: { name: "" }, approved: true, suspended: false });
    const byName = await callApi(`/api/v2/admin/accounts?username=${made[0]!.username}`, token);
    expect(byName.body.map((account: { id: string }) => account.id)).toEqual([made[0]!.id]);
    expect((await callApi(`/api/v2/admin/accounts?email=${made[1]!.email}`, token)).body[0]).toMatchObject({ email: made[1]!.email });
    expect((await callApi("/api/v2/admin/accounts?origin=remote", token)).body).toEqual([]);
    expect(
      (await callApi("/api/v2/admin/accounts?permissions=staff", token)).body.every((a: { role: { id: string } }) => a.role.id !== "-99"),
    ).toBe(true);
    const unknown = await callApi("/api/v2/admin/accounts?by_domain=example.com", token);
    expect(unknown.response.status).toBe(400);
    expect(unknown.body.error).toContain("by_domain");
    expect((await callApi("/api/v2/admin/accounts?status=frozen", token)).response.status).toBe(400);

    const action = (body: unknown) =>
      callApi(`/api/v1/admin/accounts/${made[0]!.id}/action`, token, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await action({ type: "freeze" })).response.status).toBe(422);
    expect((await action({})).response.status).toBe(422);
    expect((await action({ type: "suspend", warning_preset_id: "1" })).response.status).toBe(422);
    expect((await action({ type: "silence", text: "Spam" })).response.status).toBe(200);
    expect((await callApi(`/api/v1/admin/accounts/${made[0]!.id}`, token)).body).toMatchObject({ silenced: true });
    expect((await callApi(`/api/v1/admin/accounts/${made[0]!.id}/unsilence`, token, { method: "POST" })).body).toMatchObject({
      silenced: false,
    });
    expect((await action({ type: "suspend", text: "Abuse" })).response.status).toBe(200);
    expect((await callApi(`/api/v1/admin/accounts/${made[0]!.id}/unsuspend`, token, { method: "POST" })).body).toMatchObject({
      suspended: false,
    });
    expect(await auditFor(made[0]!.id, "suspend")).toHaveLength(1);
    const removed = await callApi(`/api/v1/admin/accounts/${made[2]!.id}`, token, { method: "DELETE" });
    expect(removed.response.status).toBe(200);
    expect((await callApi(`/api/v1/admin/accounts/${made[2]!.id}`, token)).response.status).toBe(404);
  });

  it("lists reports as Admin::Report and assigns, resolves and reopens them", async () => {
    const moderator = await person("moderator");
    const token = await tokenFor(moderator.id, ["admin:read:reports", "admin:write:reports"]);
    const reporter = await person();
    const target = await person();
    const post = await makePost(ctx, target, { text: "Reported post text" });
    const report = await fileReport(ctx, reporter.id, { targetAccountId: target.id, category: "hate", postIds: [post.id] });
    const list = await callApi("/api/v1/admin/reports", token);
    expect(list.response.status).toBe(200);
    const listed = list.body.find((item: { id: string }) => item.id === report.id);
    expect(listed).toMatchObject({
      category: "violation",
      action_taken: false,
      account: { id: reporter.id },
      target_account: { id: target.id },
      assigned_account: null,
      perch: { category: "hate" },
    });
    expect(listed.statuses[0]).toMatchObject({ id: post.id });
    const assigned = await callApi(`/api/v1/admin/reports/${report.id}/assign_to_self`, token, { method: "POST" });
    expect(assigned.body.assigned_account).toMatchObject({ id: moderator.id });
    expect((await callApi(`/api/v1/admin/reports/${report.id}/unassign`, token, { method: "POST" })).body.assigned_account).toBeNull();
    expect((await callApi(`/api/v1/admin/reports/${report.id}/resolve`, token, { method: "POST" })).body).toMatchObject({
      action_taken: true,
    });
    expect((await callApi("/api/v1/admin/reports?resolved=true", token)).body.map((item: { id: string }) => item.id)).toContain(report.id);
    expect((await callApi(`/api/v1/admin/reports/${report.id}/reopen`, token, { method: "POST" })).body).toMatchObject({
      action_taken: false,
    });
    expect(await auditFor(report.id, "report_assign_to_self")).toHaveLength(1);
    expect((await callApi("/api/v1/admin/reports/999", token)).response.status).toBe(404);
    expect((await callApi("/api/v1/admin/reports?status=open", token)).response.status).toBe(400);
  });
});
