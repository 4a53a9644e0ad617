import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { connections } from "#db/schema/index.ts";
import { makeUser } from "#db/seed/factories.ts";
import { currentStep, totpCode } from "#domain/accounts/totp.ts";
import { beginTwoFactorSetup, confirmTwoFactor } from "#domain/accounts/two-factor.ts";
import { findUserByUsername } from "#domain/accounts/users.ts";
import { createApp } from "#workers/app.ts";
import { cookieFrom, ORIGIN, testDomain } from "./support.ts";

const ctx = testDomain();

/** The Worker with GitHub sign-in configured against a stand-in GitHub at github.test. */
const withGitHub = {
  ...env,
  GITHUB_CLIENT_ID: "gh-client",
  GITHUB_CLIENT_SECRET: "gh-secret",
  GITHUB_AUTHORIZE_URL: "https://github.test/login/oauth/authorize",
  GITHUB_TOKEN_URL: "https://github.test/login/oauth/access_token",
  GITHUB_API_URL: "https://api.github.test",
} as Env;
const withGoogle = {
  ...env,
  GOOGLE_CLIENT_ID: "google-client",
  GOOGLE_CLIENT_SECRET: "google-secret",
  GOOGLE_AUTHORIZE_URL: "https://accounts.google.test/o/oauth2/v2/auth",
  GOOGLE_TOKEN_URL: "https://oauth2.google.test/token",
  GOOGLE_USERINFO_URL: "https://openidconnect.google.test/v1/userinfo",
} as Env;
const app = createApp();
const execution = { waitUntil: () => undefined, passThroughOnException: () => undefined, props: {} } as unknown as ExecutionContext;

function send(path: string, init: RequestInit = {}, workerEnv: Env = withGitHub) {
  const request = new Request(new URL(path, ORIGIN), { redirect: "manual", ...init });
  request.headers.set("Host", "perch.test");
  if (init.method === "POST") request.headers.set("Origin", ORIGIN);
  return app.fetch(request, workerEnv, execution);
}

/** What the stand-in GitHub says about who signed in. */
let githubUser: { id: number; login: string; name: string };
let githubEmails: { email: string; primary: boolean; verified: boolean }[];
let tokenRequests: FormData[];
let googleUser: { sub: string; email: string; email_verified: boolean; name: string };

beforeEach(() => {
  tokenRequests = [];
  const realFetch = globalThis.fetch;
  // Third-party HTTP is faked at the network edge: only requests to the stand-in GitHub are answered here.
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.host === "github.test" && url.pathname === "/login/oauth/access_token") {
      tokenRequests.push(await request.formData());
      return Response.json({ access_token: "gh-access-token", token_type: "bearer", scope: "read:user,user:email" });
    }
    if (url.host === "oauth2.google.test")
      return Response.json({ access_token: "google-access-token", token_type: "Bearer", expires_in: 3600 });
    if (url.host === "openidconnect.google.test") {
      if (request.headers.get("Authorization") !== "Bearer google-access-token") return new Response("Unauthorized", { status: 401 });
      return Response.json(googleUser);
    }
    if (url.host === "api.github.test") {
      if (request.headers.get("Authorization") !== "Bearer gh-access-token") return new Response("Unauthorized", { status: 401 });
      if (url.pathname === "/user") return Response.json(githubUser);
      if (url.pathname === "/user/emails") return Response.json(githubEmails);
    }
    return realFetch(input, init);
  });
});

afterEach(() => vi.restoreAllMocks());

/** Starts sign-in, then comes back from the stand-in GitHub with a code, as the browser would. */
async function signInWithGitHub(cookie?: string) {
  const start = await send("/auth/github", { method: "POST", headers: cookie ? { Cookie: cookie } : {} });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get("Location")!);
  expect(authorize.origin + authorize.pathname).toBe("https://github.test/login/oauth/authorize");
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorize.searchParams.get("redirect_uri")).toBe(`${ORIGIN}/auth/github/callback`);
  const state = authorize.searchParams.get("state")!;
  // remix-auth-oauth2 names the state cookie per sign-in attempt (perch_oauth_github:<uuid>), so tabs do not clash.
  const stateCookie = start.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith("perch_oauth_github:"))
    ?.split(";")[0];
  expect(stateCookie).toBeTruthy();
  const headers = { Cookie: [stateCookie, cookie].filter(Boolean).join("; ") };
  return send(`/auth/github/callback?code=the-code&state=${state}`, { headers });
}

describe("signing in with GitHub", () => {
  it("creates an account for a new GitHub user with a verified email, signed in", async () => {
    githubUser = { id: 1001, login: "octo-cat", name: "Octo Cat" };
    githubEmails = [{ email: "octo@example.test", primary: true, verified: true }];
    const response = await signInWithGitHub();
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/");
    cookieFrom(response, "perch_session");
    expect(tokenRequests[0]?.get("code")).toBe("the-code");
    expect(tokenRequests[0]?.get("code_verifier")).toBeTruthy();
    const user = await findUserByUsername(ctx, "octo_cat");
    expect(user).toMatchObject({ email: "octo@example.test", displayName: "Octo Cat" });
    expect(user!.emailVerifiedAt).toBeInstanceOf(Date);
    const again = await signInWithGitHub();
    expect(again.headers.get("Location")).toBe("/");
  });

  it("links to an existing account only when GitHub has verified the email", async () => {
    const existing = await makeUser(ctx, { username: "linkable", email: "linkable@example.test", password: "a long enough password" });
    githubUser = { id: 2002, login: "linkable-gh", name: "Linkable" };
    githubEmails = [{ email: "linkable@example.test", primary: true, verified: false }];
    const refused = await signInWithGitHub();
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("has not verified that email address");
    expect(await ctx.db.select().from(connections).where(eq(connections.userId, existing.id))).toEqual([]);

    githubEmails = [{ email: "linkable@example.test", primary: true, verified: true }];
    const linked = await signInWithGitHub();
    expect(linked.headers.get("Location")).toBe("/");
    expect(await ctx.db.select().from(connections).where(eq(connections.userId, existing.id))).toHaveLength(1);
  });

  it("connects GitHub to the signed-in account, and will not disconnect the only way to sign in", async () => {
    githubUser = { id: 3003, login: "passwordless", name: "No Password" };
    githubEmails = [{ email: "passwordless@example.test", primary: true, verified: true }];
    const session = cookieFrom(await signInWithGitHub(), "perch_session");
    const disconnect = await send("/settings/connections", {
      method: "POST",
      body: new URLSearchParams({ provider: "github" }),
      headers: { Cookie: session },
    });
    expect(disconnect.status).toBe(422);
    expect(await disconnect.text()).toContain("Set a password first");

    const other = await makeUser(ctx, { username: "connector", password: "a long enough password" });
    const otherSession = cookieFrom(
      await send("/login", { method: "POST", body: new URLSearchParams({ identifier: "connector", password: "a long enough password" }) }),
      "perch_session",
    );
    githubUser = { id: 4004, login: "connector-gh", name: "Connector" };
    githubEmails = [{ email: "someone-else@example.test", primary: true, verified: true }];
    const connected = await signInWithGitHub(otherSession);
    expect(connected.headers.get("Location")).toBe("/settings/connections?connected=1");
    expect(await ctx.db.select().from(connections).where(eq(connections.userId, other.id))).toHaveLength(1);
    const removed = await send("/settings/connections", {
      method: "POST",
      body: new URLSearchParams({ provider: "github" }),
      headers: { Cookie: otherSession },
    });
    expect(removed.status).toBe(200);
    expect(await ctx.db.select().from(connections).where(eq(connections.userId, other.id))).toEqual([]);
  });

  it("shows a clear page when GitHub sends the person back without a valid state", async () => {
    const response = await send("/auth/github/callback?code=x&state=forged");
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("did not work, or was cancelled");
  });
});

describe("signing in with Google", () => {
  it("uses OpenID Connect's userinfo, and asks for the second factor of an account that has one", async () => {
    const guarded = await makeUser(ctx, { username: "guarded_by_totp", email: "totp@example.test", password: "a long enough password" });
    const { secret } = await beginTwoFactorSetup(ctx, guarded);
    await confirmTwoFactor(ctx, guarded.id, await totpCode(secret, currentStep()));

    googleUser = { sub: "google-77", email: "totp@example.test", email_verified: true, name: "Guarded" };
    const start = await send("/auth/google", { method: "POST" }, withGoogle);
    const authorize = new URL(start.headers.get("Location")!);
    expect(authorize.host).toBe("accounts.google.test");
    const stateCookie = start.headers
      .getSetCookie()
      .find((cookie) => cookie.startsWith("perch_oauth_google:"))!
      .split(";")[0]!;
    const callback = await send(
      `/auth/google/callback?code=c&state=${authorize.searchParams.get("state")}`,
      { headers: { Cookie: stateCookie } },
      withGoogle,
    );
    expect(callback.headers.get("Location")).toBe("/login/two-factor");
    expect(callback.headers.getSetCookie().some((cookie) => cookie.startsWith("perch_session="))).toBe(false);
    const challenge = cookieFrom(callback, "perch_2fa");
    const code = await totpCode(secret, currentStep() + 1);
    const signedIn = await send(
      "/login/two-factor",
      { method: "POST", body: new URLSearchParams({ code }), headers: { Cookie: challenge } },
      withGoogle,
    );
    expect(signedIn.status).toBe(302);
    cookieFrom(signedIn, "perch_session");
  });
});

describe("unconfigured providers", () => {
  it("are hidden from the log-in page and their routes do not exist", async () => {
    const login = await send("/login", {}, env);
    expect(await login.text()).not.toContain("Continue with GitHub");
    expect((await send("/auth/github", { method: "POST" }, env)).status).toBe(404);
    const configured = await send("/login");
    expect(await configured.text()).toContain("Continue with GitHub");
  });
});
