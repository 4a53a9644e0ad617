import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apps, outbox } from "#db/schema/index.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { block } from "#domain/graph/blocks.ts";
import { favourite, react, reblog } from "#domain/posts/engagement.ts";
import { updatePrivacy } from "#domain/profiles/settings.ts";
import { randomToken, sha256Hex } from "#workers/platform/crypto.ts";
import { parseConfig } from "#workers/platform/env.ts";
import { callApi, fetchWorker, freshRateLimitWindow, getPage, linkInLatestEmail, postForm, sessionOf, testDomain } from "./support.ts";

const ctx = testDomain();
const PASSWORD = "a long enough password";
const REDIRECT = "https://client.example/callback";

let ipCount = 0;
/** A fresh address for each request that should not count against another's limits. */
const freshIp = () => `203.0.114.${(ipCount += 1)}`;

let userCount = 0;
async function signedInUser(prefix = "sec") {
  userCount += 1;
  const user = await makeUser(ctx, { username: `${prefix}${userCount}`, password: PASSWORD });
  const cookie = sessionOf(await postForm("/login", { identifier: user.username, password: PASSWORD }, { ip: freshIp() }));
  return { user, cookie };
}

const logIn = (identifier: string, password: string, ip: string) => postForm("/login", { identifier, password }, { ip });

const jsonPost = (body: unknown): RequestInit => ({
  method: "POST",
  body: JSON.stringify(body),
  headers: { "Content-Type": "application/json" },
});

async function registerApp(redirectUris: string | string[] = [REDIRECT]) {
  return callApi("/api/v1/apps", null, jsonPost({ client_name: "Sec Client", redirect_uris: redirectUris, scopes: "read write" }));
}

/** An OAuth access token for the user through the consent page and /oauth/token, as a real client gets one. */
async function oauthToken(cookie: string): Promise<string> {
  const { body: app } = await registerApp();
  const params = { response_type: "code", client_id: app.client_id, redirect_uri: REDIRECT, scope: "read write" };
  const approved = await postForm("/oauth/authorize", { ...params, decision: "approve" }, { cookie });
  const code = new URL(approved.headers.get("Location")!).searchParams.get("code")!;
  const { body } = await callApi(
    "/oauth/token",
    null,
    jsonPost({
      grant_type: "authorization_code",
      client_id: app.client_id,
      client_secret: app.client_secret,
      code,
      redirect_uri: REDIRECT,
    }),
  );
  expect(body.access_token).toBeTruthy();
  return body.access_token as string;
}

/** A personal access token made on /settings/apps, confirmed with the password. */
async function personalToken(cookie: string): Promise<string> {
  const created = await postForm(
    "/settings/apps",
    { intent: "create-token", name: "script", scopes: ["read", "write"], password: PASSWORD },
    { cookie },
  );
  const token = (await created.text()).match(/data-testid="new-token"[^>]*>([\w-]+)</)?.[1];
  expect(token).toBeTruthy();
  return token!;
}

const verifyStatus = async (token: string) => (await callApi("/api/v1/accounts/verify_credentials", token)).response.status;
const postStatus = async (token: string) => (await callApi("/api/v1/statuses", token, jsonPost({ status: "still here?" }))).response.status;

describe("password resets and changes end API access too", () => {
  it("revokes every OAuth and personal token on a reset", async () => {
    const { user, cookie } = await signedInUser("resetting");
    const [appToken, ownToken] = [await oauthToken(cookie), await personalToken(cookie)];
    expect(await verifyStatus(appToken)).toBe(200);
    expect(await verifyStatus(ownToken)).toBe(200);

    await postForm("/forgot-password", { identifier: user.username }, { ip: freshIp() });
    const token = new URL(await linkInLatestEmail(user.email, "/reset-password"), "http://x").searchParams.get("token")!;
    const reset = await postForm("/reset-password", { token, password: "a brand new password", confirm: "a brand new password" });
    expect(reset.headers.get("Location")).toBe("/login?notice=reset");

    for (const revoked of [appToken, ownToken]) {
      expect(await verifyStatus(revoked)).toBe(401);
      expect(await postStatus(revoked)).toBe(401);
    }
  });

  it("revokes every token on a change, keeps the browser that made it, and says so", async () => {
    const { cookie } = await signedInUser("changing");
    const [appToken, ownToken] = [await oauthToken(cookie), await personalToken(cookie)];
    const changed = await postForm(
      "/settings/account",
      { intent: "change-password", current: PASSWORD, next: "another new password", confirm: "another new password" },
      { cookie },
    );
    expect(changed.status).toBe(200);
    expect(await verifyStatus(appToken)).toBe(401);
    expect(await verifyStatus(ownToken)).toBe(401);
    expect(await changed.text()).toContain("Every other device, app and personal access token has been signed out");
    expect((await getPage("/settings/account", cookie)).response.status).toBe(200);
  });

  it("makes personal tokens only with the password (re-authentication)", async () => {
    const { cookie } = await signedInUser("tokenmaker");
    const page = await getPage("/settings/apps", cookie);
    expect(page.html).toContain('name="password"');
    for (const password of [undefined, "not my password"]) {
      const refused = await postForm(
        "/settings/apps",
        { intent: "create-token", name: "x", scopes: ["read"], ...(password ? { password } : {}) },
        { cookie },
      );
      expect(refused.status).toBe(422);
      expect(await refused.text()).not.toContain('data-testid="new-token"');
    }
    expect(await verifyStatus(await personalToken(cookie))).toBe(200);
  });
});

describe("log-in throttling says nothing about which accounts exist", () => {
  it("slows unknown identifiers exactly as it slows known ones", async () => {
    await makeUser(ctx, { username: "knownvictim", password: PASSWORD });
    for (const identifier of ["knownvictim", "nobody_by_this_name", "ghost@nowhere.example"]) {
      const ip = freshIp();
      const statuses = [];
      for (let attempt = 0; attempt < 6; attempt += 1) statuses.push((await logIn(identifier, "a wrong guess", ip)).status);
      expect(statuses, identifier).toEqual([401, 401, 401, 401, 401, 429]);
      expect((await logIn(identifier.toUpperCase(), "a wrong guess", ip)).status, "the same identifier in other case").toBe(429);
    }
  });
});

describe("sign-up with an address already in use", () => {
  it("says so in both doors alike, and tells the owner at most once an hour whatever the door", async () => {
    const owner = await makeUser(ctx, { username: "mailowner", password: PASSWORD });
    const page = await postForm(
      "/signup",
      { username: "squatter1", email: owner.email.toUpperCase(), password: PASSWORD },
      { ip: freshIp() },
    );
    expect(page.status).toBe(409);
    expect(page.headers.get("Set-Cookie")).toBeNull();
    expect(await page.text()).toContain("An account already uses this email");

    const { body: app } = await registerApp();
    const { body: appToken } = await callApi(
      "/oauth/token",
      null,
      jsonPost({ grant_type: "client_credentials", client_id: app.client_id, client_secret: app.client_secret, scope: "write" }),
    );
    const viaApi = await callApi(
      "/api/v1/accounts",
      appToken.access_token,
      jsonPost({ username: "squatter2", email: owner.email, password: PASSWORD, agreement: true }),
    );
    expect(viaApi.response.status).toBe(422);
    expect(viaApi.body.error).toBe("Validation failed: That email address is already in use");

    for (let attempt = 3; attempt <= 8; attempt += 1) {
      await postForm("/signup", { username: `squatter${attempt}`, email: owner.email, password: PASSWORD }, { ip: freshIp() });
    }
    const notices = await ctx.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.to, owner.email), eq(outbox.kind, "signup-attempt")));
    expect(notices).toHaveLength(1);
    expect(notices[0]?.subject).toContain("Someone tried to sign up");
  });

  it("counts the page and the API against one per-address limit", async () => {
    const ip = "203.0.115.7";
    const { body: app } = await registerApp();
    const { body: appToken } = await callApi(
      "/oauth/token",
      null,
      jsonPost({ grant_type: "client_credentials", client_id: app.client_id, client_secret: app.client_secret, scope: "write" }),
    );
    const statuses = [];
    await freshRateLimitWindow();
    for (let attempt = 0; attempt < 11; attempt += 1) {
      // Invalid sign-ups (a short password) count as much as any: the limit is on attempts.
      const fields = { username: `limited${attempt}`, email: `limited${attempt}@example.test`, password: "short" };
      const response =
        attempt % 2 === 0
          ? await postForm("/signup", fields, { ip })
          : await fetchWorker("/api/v1/accounts", {
              ...jsonPost({ ...fields, agreement: true }),
              headers: { "Content-Type": "application/json", Authorization: `Bearer ${appToken.access_token}`, "cf-connecting-ip": ip },
            });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 10).every((status) => status !== 429)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});

describe("who engaged with a post, asked through a repost", () => {
  async function scene() {
    const author = await makeUser(ctx, { username: `origauthor${(userCount += 1)}` });
    const reposter = await makeUser(ctx, { username: `reposter${userCount}` });
    const liker = await makeUser(ctx, { username: `liker${userCount}` });
    const original = await makePost(ctx, author, { text: "the original" });
    const { reblog: repost } = await reblog(ctx, reposter.id, original.id);
    await favourite(ctx, liker.id, original.id);
    await react(ctx, liker.id, original.id, "🎉", true);
    return { author, reposter, liker, original, repost };
  }

  async function expectHidden(token: string | null, cookie: string | undefined, s: Awaited<ReturnType<typeof scene>>) {
    for (const list of ["favourited_by", "reblogged_by", "reacted_by"]) {
      expect((await callApi(`/api/v1/statuses/${s.original.id}/${list}`, token)).response.status, `original ${list}`).toBe(404);
      expect((await callApi(`/api/v1/statuses/${s.repost.id}/${list}`, token)).response.status, `repost ${list}`).toBe(404);
    }
    for (const page of ["likes", "reposts"]) {
      const { response, html } = await getPage(`/${s.reposter.username}/status/${s.repost.id}/${page}`, cookie);
      expect(response.status, page).toBe(404);
      expect(html).not.toContain(s.liker.username);
    }
  }

  it("is hidden from someone the author blocks", async () => {
    const s = await scene();
    const { user: blocked, cookie } = await signedInUser("blockedone");
    await block(ctx, s.author.id, blocked.id);
    const token = await personalToken(cookie);
    await expectHidden(token, cookie, s);
  });

  it("is hidden from visitors when the author's profile is for signed-in people only", async () => {
    const s = await scene();
    await updatePrivacy(ctx, s.author.id, { profileVisibility: "signed-in" });
    await expectHidden(null, undefined, s);
    const { cookie } = await signedInUser("member");
    const { response, html } = await getPage(`/${s.reposter.username}/status/${s.repost.id}/likes`, cookie);
    expect(response.status).toBe(200);
    expect(html).toContain(s.liker.username);
  });
});

describe("the page of a repost whose original is hidden", () => {
  it("is a 404 (its history, likes and reposts too), as the original's is, for those who may not see the original", async () => {
    const author = await makeUser(ctx, { username: "hiddenauthor" });
    const reposter = await makeUser(ctx, { username: "openreposter" });
    const original = await makePost(ctx, author, { text: "hidden original" });
    const { reblog: repost } = await reblog(ctx, reposter.id, original.id);
    const { user: blocked, cookie } = await signedInUser("blockedreader");
    await block(ctx, author.id, blocked.id);
    const pages = ["", "/history", "/likes", "/reposts"].map((page) => `/${reposter.username}/status/${repost.id}${page}`);
    for (const path of [`/${author.username}/status/${original.id}`, ...pages]) {
      expect((await getPage(path, cookie)).response.status, path).toBe(404);
    }
    await updatePrivacy(ctx, author.id, { profileVisibility: "signed-in" });
    for (const path of pages) expect((await getPage(path)).response.status, `${path} for a visitor`).toBe(404);
    const { cookie: member } = await signedInUser("memberreader");
    for (const path of pages) expect((await getPage(path, member)).response.status, `${path} for a member`).toBe(200);
  });
});

describe("redirect URIs", () => {
  it.each([
    ["javascript: after a newline", `${REDIRECT}\njavascript:alert(1)`],
    ["a tab inside the scheme", `${REDIRECT}\njava\tscript:alert(1)`],
    ["a control character before the scheme", `${REDIRECT}\n\u0001javascript:alert(1)`],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["vbscript:", "vbscript:msgbox(1)"],
    ["file:", "file:///etc/passwd"],
    ["plain http to another host", "http://client.example/callback"],
    ["a relative path", "/callback"],
    ["a fragment", `${REDIRECT}#here`],
  ])("refuses %s at registration", async (_name, uris) => {
    const { response, body } = await registerApp(uris);
    expect(response.status).toBe(422);
    expect(body.error).toContain("redirect_uris");
  });

  it("accepts https, http on loopback addresses and an app's own scheme", async () => {
    const uris = [REDIRECT, "http://127.0.0.1:4000/cb", "http://localhost/cb", "http://[::1]:8080/cb", "com.example.app:/oauth"];
    const { response, body } = await registerApp(uris.join("\n"));
    expect(response.status).toBe(200);
    expect(body.redirect_uris).toEqual(uris);
  });

  it("never redirects to a dangerous URI an app registered before these rules, whatever the response type", async () => {
    const { cookie } = await signedInUser("consenter");
    const clientId = randomToken();
    await ctx.db.insert(apps).values({
      name: "Legacy",
      redirectUris: "javascript:alert(document.cookie)",
      scopes: "read",
      clientId,
      clientSecretHash: await sha256Hex("secret"),
      createdAt: new Date(),
    });
    for (const responseType of ["code", "token"]) {
      const params = { response_type: responseType, client_id: clientId, redirect_uri: "javascript:alert(document.cookie)" };
      const page = await fetchWorker(`/oauth/authorize?${new URLSearchParams(params)}`, { headers: { Cookie: cookie } });
      expect(page.status).toBe(400);
      expect(page.headers.get("Location")).toBeNull();
      const approved = await postForm("/oauth/authorize", { ...params, decision: "approve" }, { cookie });
      expect(approved.status).toBe(400);
      expect(approved.headers.get("Location")).toBeNull();
    }
  });
});

describe("confirming with the current password", () => {
  it("is throttled like log-in in every form that asks for it", async () => {
    const { cookie } = await signedInUser("guesser");
    const statuses = [];
    for (let attempt = 0; attempt < 7; attempt += 1) {
      const intent = ["change-password", "change-email", "delete-account"][attempt % 3]!;
      const fields: Record<string, Record<string, string>> = {
        "change-password": { current: `guess ${attempt}`, next: "a new password here", confirm: "a new password here" },
        "change-email": { email: `new${attempt}@example.test`, password: `guess ${attempt}` },
        "delete-account": { password: `guess ${attempt}`, confirm: "delete" },
      };
      statuses.push((await postForm("/settings/account", { intent, ...fields[intent] }, { cookie })).status);
    }
    expect(statuses).toEqual([422, 422, 422, 422, 422, 429, 429]);
    const right = await postForm(
      "/settings/account",
      { intent: "change-password", current: PASSWORD, next: "a new password here", confirm: "a new password here" },
      { cookie },
    );
    expect(right.status, "the right password waits too").toBe(429);
    expect(Number(right.headers.get("Retry-After"))).toBeGreaterThan(0);
  });
});

describe("hardening", () => {
  it("keeps signed-in pages out of every cache", async () => {
    const { cookie } = await signedInUser("cached");
    for (const path of ["/settings/account", "/"]) {
      expect((await getPage(path, cookie)).response.headers.get("Cache-Control"), path).toBe("private, no-store");
    }
    expect((await getPage("/login")).response.headers.get("Cache-Control")).not.toBe("private, no-store");
  });

  it("requires PUBLIC_ORIGIN outside development and tests, so email links never follow the Host header", () => {
    for (const ENVIRONMENT of ["staging", "production"]) {
      expect(() => parseConfig({ ...env, ENVIRONMENT, PUBLIC_ORIGIN: undefined } as Env)).toThrow(/PUBLIC_ORIGIN: is not set/);
      expect(parseConfig({ ...env, ENVIRONMENT, PUBLIC_ORIGIN: "https://perch.example" } as Env).PUBLIC_ORIGIN).toBe(
        "https://perch.example",
      );
    }
  });
});
