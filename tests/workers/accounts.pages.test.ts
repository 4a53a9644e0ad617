import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { loginEvents, outbox, posts, sessions, users, verifications } from "#db/schema/index.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { currentStep, totpCode } from "#domain/accounts/totp.ts";
import { findUserByUsername } from "#domain/accounts/users.ts";
import { sha256Hex } from "#workers/platform/crypto.ts";
import {
  cookieFrom,
  fetchWorker,
  getPage,
  latestEmailTo,
  linkInLatestEmail,
  postForm,
  sessionOf,
  testDomain,
  eventually,
  freshRateLimitWindow,
} from "./support.ts";

const ctx = testDomain();
const PASSWORD = "a long enough password";
let ipCounter = 0;
/** Each test signs in from its own address, so the per-address limits of one test do not touch another. */
const freshIp = () => `198.51.100.${(ipCounter += 1)}`;

async function signUp(username: string, ip = freshIp()) {
  const response = await postForm(
    "/signup",
    { username, email: `${username}@example.test`, password: PASSWORD, displayName: username },
    { ip },
  );
  return response;
}

async function logIn(identifier: string, password = PASSWORD, ip = freshIp()) {
  return postForm("/login", { identifier, password, redirectTo: "/settings" }, { ip });
}

async function verifiedUser(username: string) {
  return makeUser(ctx, { username, password: PASSWORD });
}

describe("signing up", () => {
  it("creates an unverified account, signs it in and emails a single-use confirmation link", async () => {
    const response = await signUp("newcomer");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/welcome");
    const cookie = sessionOf(response);
    expect(response.headers.get("Set-Cookie")).toMatch(/HttpOnly; Secure; SameSite=Lax/);

    const user = await findUserByUsername(ctx, "newcomer");
    expect(user).toMatchObject({ email: "newcomer@example.test", emailVerifiedAt: null, role: "user" });
    const welcome = await getPage("/welcome", cookie);
    expect(welcome.html).toContain("newcomer@example.test");

    const link = await linkInLatestEmail("newcomer@example.test", "/verify-email");
    const opened = await getPage(link, cookie);
    expect(opened.response.status).toBe(200);
    expect(opened.html).toContain("Confirm email address");
    expect((await findUserByUsername(ctx, "newcomer"))?.emailVerifiedAt).toBeNull();

    const token = new URL(link, "http://x").searchParams.get("token")!;
    const confirmed = await postForm("/verify-email", { token }, { cookie });
    expect(confirmed.status).toBe(302);
    expect((await findUserByUsername(ctx, "newcomer"))?.emailVerifiedAt).toBeInstanceOf(Date);

    const reused = await postForm("/verify-email", { token }, { cookie });
    expect(reused.status).toBe(410);
    expect(await reused.text()).toContain("expired or has already been used");
  });

  it("keeps what was typed (never the password) and says what is wrong with each field", async () => {
    const response = await postForm(
      "/signup",
      { username: "bad name!", email: "not-an-email", password: "short", displayName: "Typed Name" },
      { ip: freshIp() },
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Use only letters, digits and underscores");
    expect(html).toContain("Enter a valid email address");
    expect(html).toContain("Use at least 10 characters");
    expect(html).toContain('value="bad name!"');
    expect(html).toContain('value="Typed Name"');
    expect(html).not.toContain('value="short"');
  });

  it("refuses reserved and taken usernames, without regard to case", async () => {
    await verifiedUser("TakenName");
    const taken = await postForm("/signup", { username: "takenname", email: "other@example.test", password: PASSWORD }, { ip: freshIp() });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain("That username is taken");
    const reserved = await postForm("/signup", { username: "settings", email: "s@example.test", password: PASSWORD }, { ip: freshIp() });
    expect(await reserved.text()).toContain("That username is reserved");
  });

  it("says plainly that an address is in use (ADR 0026), creating nothing, and tells its owner", async () => {
    const owner = await verifiedUser("owner");
    const before = await ctx.db.select().from(users);
    const response = await postForm(
      "/signup",
      { username: "impostor", email: owner.email.toUpperCase(), password: PASSWORD },
      { ip: freshIp() },
    );
    expect(response.status).toBe(409);
    expect(response.headers.get("Set-Cookie")).toBeNull();
    const html = await response.text();
    expect(html).toContain("An account already uses this email");
    expect(html).toContain('value="impostor"');
    expect(await ctx.db.select().from(users)).toHaveLength(before.length);
    expect((await latestEmailTo(owner.email))?.subject).toContain("Someone tried to sign up");
  });

  it("quietly ignores bots that fill in the hidden field", async () => {
    const response = await postForm(
      "/signup",
      { username: "botty", email: "bot@example.test", password: PASSWORD, website: "http://spam" },
      { ip: freshIp() },
    );
    expect(response.headers.get("Location")).toBe("/welcome?check-email=1");
    expect(await findUserByUsername(ctx, "botty")).toBeUndefined();
  });

  it("does not let an unverified account post, and says why", async () => {
    await signUp("unverified_poster");
    const user = await findUserByUsername(ctx, "unverified_poster");
    await expect(makePost(ctx, user!, { text: "hello" })).rejects.toMatchObject({
      kind: "forbidden",
      message: expect.stringContaining("Confirm your email"),
    });
  });

  it("refuses expired and forged confirmation links, changing nothing", async () => {
    await signUp("latecomer");
    const link = await linkInLatestEmail("latecomer@example.test", "/verify-email");
    await ctx.db.update(verifications).set({ expiresAt: new Date(Date.now() - 1000) });
    const token = new URL(link, "http://x").searchParams.get("token")!;
    expect((await getPage(link)).response.status).toBe(410);
    expect((await postForm("/verify-email", { token })).status).toBe(410);
    expect((await postForm("/verify-email", { token: "forged-token" })).status).toBe(410);
    expect((await findUserByUsername(ctx, "latecomer"))?.emailVerifiedAt).toBeNull();
  });
});

describe("logging in and out", () => {
  it("accepts the username or the email, in any case, and records the log-in", async () => {
    const user = await verifiedUser("Loginner");
    for (const identifier of ["loginner", "LOGINNER@example.test", "@Loginner"]) {
      const response = await logIn(identifier);
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toBe("/settings");
      sessionOf(response);
    }
    const history = await ctx.db.select().from(loginEvents).where(eq(loginEvents.userId, user.id));
    expect(history.filter((event) => event.success)).toHaveLength(3);
  });

  it("gives the same answer for a wrong password and an unknown account, and records the failure", async () => {
    const user = await verifiedUser("guarded");
    const wrong = await logIn("guarded", "not the password");
    const unknown = await logIn("nobody_at_all", "not the password");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const message = "That username or email and password do not match an account.";
    expect(await wrong.text()).toContain(message);
    expect(await unknown.text()).toContain(message);
    const [failure] = await ctx.db.select().from(loginEvents).where(eq(loginEvents.userId, user.id));
    expect(failure).toMatchObject({ success: false, reason: "wrong-password" });
  });

  it("slows down repeated failures from one address without locking the owner out from another", async () => {
    await verifiedUser("targeted");
    const attacker = freshIp();
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await logIn("targeted", "guess", attacker)).status).toBe(401);
    const slowed = await logIn("targeted", "guess", attacker);
    expect(slowed.status).toBe(429);
    expect(Number(slowed.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await logIn("targeted", PASSWORD, attacker)).status).toBe(429);
    expect((await logIn("targeted", PASSWORD, freshIp())).status).toBe(302);
  });

  it("limits log-in attempts per address with the rate-limit binding", async () => {
    const ip = freshIp();
    const statuses = [];
    await freshRateLimitWindow();
    // A different name each time, so that the per-identifier throttle (5 failures) is not what answers.
    for (let attempt = 0; attempt < 11; attempt += 1) statuses.push((await logIn(`no_such_user${attempt}`, "x", ip)).status);
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it("logs out the current session only", async () => {
    await verifiedUser("leaver");
    const first = sessionOf(await logIn("leaver"));
    const second = sessionOf(await logIn("leaver"));
    const out = await postForm("/logout", {}, { cookie: first });
    expect(out.headers.get("Location")).toBe("/login?notice=signed-out");
    expect((await getPage("/settings/account", first)).response.status).toBe(302);
    expect((await getPage("/settings/account", second)).response.status).toBe(200);
  });

  it("sends signed-out visitors of settings to the log-in page and back afterwards", async () => {
    const { response } = await getPage("/settings/security");
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fsettings%2Fsecurity");
  });
});

describe("cross-site request protection", () => {
  it("refuses form posts from other sites, and posts that do not say where they come from", async () => {
    await verifiedUser("csrf_target");
    const cookie = sessionOf(await logIn("csrf_target"));
    const foreign = await postForm("/settings/security", { intent: "revoke-other-sessions" }, { cookie, origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    const anonymous = await postForm("/logout", {}, { cookie, origin: null });
    expect(anonymous.status).toBe(403);
    expect((await getPage("/settings/account", cookie)).response.status).toBe(200);
  });
});

describe("recovering a password", () => {
  it("answers the same whether or not the account exists, and emails only real accounts", async () => {
    const user = await verifiedUser("forgetful");
    const known = await postForm("/forgot-password", { identifier: "forgetful" }, { ip: freshIp() });
    const unknown = await postForm("/forgot-password", { identifier: "ghost@example.test" }, { ip: freshIp() });
    const text = (html: string) => html.match(/If that matches an account[^<]*/)?.[0];
    expect(text(await known.text())).toBe(text(await unknown.text()));
    expect((await latestEmailTo(user.email))?.subject).toContain("Reset your");
    expect(await latestEmailTo("ghost@example.test")).toBeUndefined();
  });

  it("resets with a single-use link, signing the account out everywhere", async () => {
    await verifiedUser("resetter");
    const session = sessionOf(await logIn("resetter"));
    await postForm("/forgot-password", { identifier: "resetter@example.test" }, { ip: freshIp() });
    const link = await linkInLatestEmail("resetter@example.test", "/reset-password");
    const token = new URL(link, "http://x").searchParams.get("token")!;
    expect((await getPage(link)).response.status).toBe(200);

    const mismatch = await postForm("/reset-password", { token, password: "brand new password", confirm: "different" });
    expect(mismatch.status).toBe(400);
    const reset = await postForm("/reset-password", { token, password: "brand new password", confirm: "brand new password" });
    expect(reset.headers.get("Location")).toBe("/login?notice=reset");

    expect((await getPage("/settings/account", session)).response.status).toBe(302);
    expect((await logIn("resetter")).status).toBe(401);
    expect((await logIn("resetter", "brand new password")).status).toBe(302);
    expect((await postForm("/reset-password", { token, password: "another new password", confirm: "another new password" })).status).toBe(
      410,
    );
  });
});

describe("account settings", () => {
  it("changes the password only with the current one, ending the other sessions", async () => {
    await verifiedUser("changer");
    const here = sessionOf(await logIn("changer"));
    const elsewhere = sessionOf(await logIn("changer"));
    const wrong = await postForm(
      "/settings/account",
      { intent: "change-password", current: "wrong", next: "new password here", confirm: "new password here" },
      { cookie: here },
    );
    expect(wrong.status).toBe(422);
    const ok = await postForm(
      "/settings/account",
      { intent: "change-password", current: PASSWORD, next: "new password here", confirm: "new password here" },
      { cookie: here },
    );
    expect(ok.status).toBe(200);
    expect((await getPage("/settings/account", here)).response.status).toBe(200);
    expect((await getPage("/settings/account", elsewhere)).response.status).toBe(302);
  });

  it("changes the email only once the new address confirms it, telling the old one", async () => {
    const user = await verifiedUser("mover");
    const cookie = sessionOf(await logIn("mover"));
    const refused = await postForm(
      "/settings/account",
      { intent: "change-email", email: "new@example.test", password: "wrong" },
      { cookie, ip: freshIp() },
    );
    expect(refused.status).toBe(422);
    await postForm(
      "/settings/account",
      { intent: "change-email", email: "new@example.test", password: PASSWORD },
      { cookie, ip: freshIp() },
    );
    expect((await findUserByUsername(ctx, "mover"))?.email).toBe(user.email);
    expect((await latestEmailTo(user.email))?.subject).toContain("email is changing");
    const link = await linkInLatestEmail("new@example.test", "/verify-email");
    const token = new URL(link, "http://x").searchParams.get("token")!;
    await postForm("/verify-email", { token, change: "1" }, { cookie });
    expect((await findUserByUsername(ctx, "mover"))?.email).toBe("new@example.test");
  });

  it("lists sessions and signs out one device, or all the others", async () => {
    const user = await verifiedUser("many_devices");
    const here = sessionOf(await logIn("many_devices"));
    await logIn("many_devices");
    await logIn("many_devices");
    const page = await getPage("/settings/security", here);
    expect(page.html).toContain("this device");
    const others = (await ctx.db.select().from(sessions).where(eq(sessions.userId, user.id))).length - 1;
    expect(others).toBe(2);
    const currentId = await sha256Hex(decodeURIComponent(here.split("=")[1]!));
    const mine = () => ctx.db.select().from(sessions).where(eq(sessions.userId, user.id));
    const target = (await mine()).find((session) => session.id !== currentId)!;
    await postForm("/settings/security", { intent: "revoke-session", sessionId: target.id }, { cookie: here });
    expect(await mine()).toHaveLength(2);
    await postForm("/settings/security", { intent: "revoke-other-sessions" }, { cookie: here });
    expect((await mine()).map((session) => session.id)).toEqual([currentId]);
    expect((await getPage("/settings/security", here)).html).toContain("Log-in history");
  });

  it("exports the account's data as a JSON download", async () => {
    const user = await verifiedUser("exporter");
    await makePost(ctx, user, { text: "my exported post" });
    const cookie = sessionOf(await logIn("exporter"));
    const response = await fetchWorker("/settings/export", { headers: { Cookie: cookie } });
    expect(response.headers.get("Content-Disposition")).toMatch(/attachment; filename="perch-exporter-/);
    const archive = (await response.json()) as { profile: { username: string }; posts: { text: string }[]; loginHistory: unknown[] };
    expect(archive.profile.username).toBe("exporter");
    expect(archive.posts.map((post) => post.text)).toEqual(["my exported post"]);
    expect(archive.loginHistory.length).toBeGreaterThan(0);
  });

  it("deletes the account only when confirmed, removing its content, sessions and images", async () => {
    const user = await makeUser(ctx, { username: "departing", password: PASSWORD, avatarKey: "avatars/departing.png" });
    await env.MEDIA.put("avatars/departing.png", "image");
    await makePost(ctx, user, { text: "soon gone" });
    const cookie = sessionOf(await logIn("departing"));
    const unconfirmed = await postForm("/settings/account", { intent: "delete-account", password: "wrong", confirm: "delete" }, { cookie });
    expect(unconfirmed.status).toBe(422);
    expect(await findUserByUsername(ctx, "departing")).toBeDefined();
    const deleted = await postForm("/settings/account", { intent: "delete-account", password: PASSWORD, confirm: "delete" }, { cookie });
    expect(deleted.headers.get("Location")).toBe("/login?notice=deleted");
    expect(await findUserByUsername(ctx, "departing")).toBeUndefined();
    expect(await ctx.db.select().from(posts).where(eq(posts.authorId, user.id))).toEqual([]);
    expect(await ctx.db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
    await eventually(async () => expect(await env.MEDIA.head("avatars/departing.png")).toBeNull());
  });
});

describe("two-factor authentication", () => {
  it("is set up with a code from the app, then required at log-in, with single-use codes", async () => {
    await verifiedUser("careful");
    const cookie = sessionOf(await logIn("careful"));
    await postForm("/settings/security", { intent: "begin-two-factor" }, { cookie });
    const setup = await getPage("/settings/security", cookie);
    const secret = setup.html.match(/data-testid="totp-secret">([A-Z2-7]+)</)?.[1];
    expect(secret).toBeTruthy();
    expect(setup.html).toContain('src="data:image/svg+xml;base64,');

    const wrong = await postForm("/settings/security", { intent: "confirm-two-factor", code: "000000" }, { cookie });
    expect(wrong.status).toBe(422);
    const confirmed = await postForm(
      "/settings/security",
      { intent: "confirm-two-factor", code: await totpCode(secret!, currentStep() - 1) },
      { cookie },
    );
    const recovery = [...(await confirmed.text()).matchAll(/<li>([a-z2-9]{5}-[a-z2-9]{5})<\/li>/g)].map((match) => match[1]!);
    expect(recovery).toHaveLength(10);

    const password = await logIn("careful");
    expect(password.headers.get("Location")).toBe("/login/two-factor?redirectTo=%2Fsettings");
    expect(password.headers.getSetCookie().some((value) => value.startsWith("perch_session="))).toBe(false);
    const challenge = cookieFrom(password, "perch_2fa");

    const codePage = await getPage("/login/two-factor", challenge);
    expect(codePage.html).toContain("Enter your code");
    expect((await getPage("/login/two-factor")).response.headers.get("Location")).toBe("/login");

    const badCode = await postForm("/login/two-factor", { code: "123456" }, { cookie: challenge });
    expect(badCode.status).toBe(401);
    const code = await totpCode(secret!, currentStep());
    const signedIn = await postForm("/login/two-factor", { code, redirectTo: "/settings" }, { cookie: challenge });
    expect(signedIn.headers.get("Location")).toBe("/settings");
    sessionOf(signedIn);

    const replayChallenge = cookieFrom(await logIn("careful"), "perch_2fa");
    expect((await postForm("/login/two-factor", { code }, { cookie: replayChallenge })).status).toBe(401);
    const withRecovery = await postForm("/login/two-factor", { code: recovery[0]! }, { cookie: replayChallenge });
    expect(withRecovery.status).toBe(302);
    const again = cookieFrom(await logIn("careful"), "perch_2fa");
    expect((await postForm("/login/two-factor", { code: recovery[0]! }, { cookie: again })).status).toBe(401);
  });
});

describe("the admin panel", () => {
  it("is refused on the server to everyone but moderators and admins", async () => {
    await verifiedUser("regular");
    await makeUser(ctx, { username: "boss", password: PASSWORD, role: "admin" });
    expect((await getPage("/admin")).response.headers.get("Location")).toBe("/login?redirectTo=%2Fadmin");
    const regular = await getPage("/admin", sessionOf(await logIn("regular")));
    expect(regular.response.status).toBe(403);
    expect(regular.html).toContain("You can&#x27;t see this");
    const admin = await getPage("/admin", sessionOf(await logIn("boss")));
    expect(admin.response.status).toBe(200);
    expect(admin.html).toContain("Open reports");
    expect(admin.html).toContain("Recent dead letters");
  });
});

describe("the development mailbox", () => {
  it("lists sent emails with their links while running locally", async () => {
    await signUp("mailbox_reader");
    const { html } = await getPage("/dev/mailbox");
    expect(html).toContain("mailbox_reader@example.test");
    expect(html).toMatch(/<a href="http:\/\/perch\.test\/verify-email\?token=[^"]+"/);
    const [first] = await ctx.db.select().from(outbox).limit(1);
    expect(first).toBeDefined();
  });
});

describe("reset requests", () => {
  it("are limited per account as well as per address", async () => {
    await verifiedUser("popular_target");
    const statuses = [];
    for (let attempt = 0; attempt < 11; attempt += 1) {
      statuses.push((await postForm("/forgot-password", { identifier: "popular_target" }, { ip: freshIp() })).status);
    }
    expect(statuses.slice(0, 10).every((status) => status === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});
