import { describe, expect, it } from "vitest";
import { makeUser } from "#db/seed/factories.ts";
import { base64url } from "#workers/platform/crypto.ts";
import { fetchWorker, postForm, sessionOf, testDomain } from "./support.ts";

const ctx = testDomain();
const PASSWORD = "a long enough password";
const REDIRECT = "https://client.example/callback";

type CredentialApp = { id: string; client_id: string; client_secret: string; scopes: string[]; redirect_uris: string[]; name: string };
type Token = { access_token: string; refresh_token?: string; scope: string; token_type: string; created_at: number };

let callCount = 0;

/** An API call from its own address each time: the per-address limits are tested elsewhere. */
async function api(path: string, init: RequestInit & { token?: string } = {}) {
  const headers = new Headers(init.headers);
  callCount += 1;
  headers.set("cf-connecting-ip", `198.18.${Math.floor(callCount / 250)}.${callCount % 250}`);
  if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
  const response = await fetchWorker(path, { ...init, headers });
  return { response, body: (await response.json()) as Record<string, unknown> };
}

const json = (body: unknown): RequestInit => ({
  method: "POST",
  body: JSON.stringify(body),
  headers: { "Content-Type": "application/json" },
});
const form = (body: Record<string, string>): RequestInit => ({ method: "POST", body: new URLSearchParams(body) });

async function registerApp(scopes = "read write follow") {
  const { response, body } = await api(
    "/api/v1/apps",
    json({ client_name: "Test Client", redirect_uris: [REDIRECT, "urn:ietf:wg:oauth:2.0:oob"], scopes, website: "https://client.example" }),
  );
  expect(response.status).toBe(200);
  return body as unknown as CredentialApp;
}

async function pkcePair() {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  return { verifier, challenge };
}

let userCount = 0;
async function signedInUser() {
  userCount += 1;
  const user = await makeUser(ctx, { username: `oauth_user${userCount}`, password: PASSWORD });
  const cookie = sessionOf(await postForm("/login", { identifier: user.username, password: PASSWORD }, { ip: `203.0.113.${userCount}` }));
  return { user, cookie };
}

/** Runs the consent page as the signed-in user and returns the code from the redirect. */
async function authorize(app: CredentialApp, cookie: string, extra: Record<string, string> = {}) {
  const params = { response_type: "code", client_id: app.client_id, redirect_uri: REDIRECT, scope: "read write", state: "xyz", ...extra };
  const page = await fetchWorker(`/oauth/authorize?${new URLSearchParams(params)}`, { headers: { Cookie: cookie } });
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("Authorize Test Client?");
  const approved = await postForm("/oauth/authorize", { ...params, decision: "approve" }, { cookie });
  expect(approved.status).toBe(302);
  const location = new URL(approved.headers.get("Location")!);
  expect(location.origin + location.pathname).toBe(REDIRECT);
  expect(location.searchParams.get("state")).toBe("xyz");
  return location.searchParams.get("code")!;
}

describe("POST /api/v1/apps", () => {
  it("registers an app from JSON or a form (arrays as name[]), returning its credentials once", async () => {
    const app = await registerApp();
    expect(app).toMatchObject({
      name: "Test Client",
      scopes: ["read", "write", "follow"],
      redirect_uris: [REDIRECT, "urn:ietf:wg:oauth:2.0:oob"],
    });
    expect(app.client_secret).toMatch(/^[\w-]{40,}$/);
    const body = new URLSearchParams([
      ["client_name", "Form Client"],
      ["redirect_uris[]", REDIRECT],
      ["redirect_uris[]", "https://other.example/cb"],
      ["scopes", "read"],
    ]);
    const { response, body: formApp } = await api("/api/v1/apps", { method: "POST", body });
    expect(response.status).toBe(200);
    expect(formApp.redirect_uris).toEqual([REDIRECT, "https://other.example/cb"]);
  });

  it.each([
    [{ redirect_uris: REDIRECT }, "client_name"],
    [{ client_name: "x", redirect_uris: "javascript:alert(1)" }, "redirect_uris"],
    [{ client_name: "x", redirect_uris: REDIRECT, scopes: "read everything" }, "Unknown scopes: everything"],
  ])("refuses %o with 422 naming the problem", async (params, message) => {
    const { response, body } = await api("/api/v1/apps", json(params));
    expect(response.status).toBe(422);
    expect(String(body.error)).toContain(message);
  });
});

describe("the authorization code flow", () => {
  it("exchanges a code (with PKCE) for a token that verify_credentials accepts; the code works once", async () => {
    const app = await registerApp();
    const { user, cookie } = await signedInUser();
    const { verifier, challenge } = await pkcePair();
    const code = await authorize(app, cookie, { code_challenge: challenge, code_challenge_method: "S256" });

    const noVerifier = await api(
      "/oauth/token",
      form({ grant_type: "authorization_code", client_id: app.client_id, client_secret: app.client_secret, code, redirect_uri: REDIRECT }),
    );
    expect(noVerifier.response.status).toBe(400);
    expect(noVerifier.body.error).toBe("invalid_grant");

    const code2 = await authorize(app, cookie, { code_challenge: challenge, code_challenge_method: "S256" });
    const exchange = {
      grant_type: "authorization_code",
      client_id: app.client_id,
      client_secret: app.client_secret,
      code: code2,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    };
    const { response, body } = await api("/oauth/token", json(exchange));
    expect(response.status).toBe(200);
    const token = body as unknown as Token;
    expect(token).toMatchObject({ token_type: "Bearer", scope: "read write" });
    expect(token.refresh_token).toBeTruthy();

    const me = await api("/api/v1/accounts/verify_credentials", { token: token.access_token });
    expect(me.response.status).toBe(200);
    expect(me.body).toMatchObject({ id: user.id, username: user.username, source: { note: "" } });
    expect((await api("/api/v1/apps/verify_credentials", { token: token.access_token })).body).toMatchObject({ name: "Test Client" });

    const again = await api("/oauth/token", json(exchange));
    expect(again.body.error).toBe("invalid_grant");
  });

  it("refuses a code for another redirect URI or another app, and a wrong client secret", async () => {
    const app = await registerApp();
    const other = await registerApp();
    const { cookie } = await signedInUser();
    const code = await authorize(app, cookie);
    const base = { grant_type: "authorization_code", code, redirect_uri: REDIRECT };
    expect((await api("/oauth/token", json({ ...base, client_id: app.client_id, client_secret: "wrong" }))).response.status).toBe(401);
    expect((await api("/oauth/token", json({ ...base, client_id: other.client_id, client_secret: other.client_secret }))).body.error).toBe(
      "invalid_grant",
    );
    expect(
      (
        await api(
          "/oauth/token",
          json({ ...base, redirect_uri: "https://client.example/other", client_id: app.client_id, client_secret: app.client_secret }),
        )
      ).body.error,
    ).toBe("invalid_grant");
  });

  it("shows the code on the page for out-of-band apps, and sends denials back to the app", async () => {
    const app = await registerApp();
    const { cookie } = await signedInUser();
    const oob = { response_type: "code", client_id: app.client_id, redirect_uri: "urn:ietf:wg:oauth:2.0:oob", scope: "read" };
    const shown = await postForm("/oauth/authorize", { ...oob, decision: "approve" }, { cookie });
    expect(await shown.text()).toMatch(/data-testid="authorization-code"[^>]*>[\w-]+</);
    const denied = await postForm(
      "/oauth/authorize",
      { response_type: "code", client_id: app.client_id, redirect_uri: REDIRECT, state: "s", decision: "deny" },
      { cookie },
    );
    expect(denied.headers.get("Location")).toBe(`${REDIRECT}?error=access_denied&error_description=The+user+denied+the+request.&state=s`);
  });

  it("refuses unknown clients and unregistered redirect URIs on the page, and bad scopes back at the app", async () => {
    const app = await registerApp("read");
    const { cookie } = await signedInUser();
    const page = (params: Record<string, string>) =>
      fetchWorker(`/oauth/authorize?${new URLSearchParams(params)}`, { headers: { Cookie: cookie } });
    const unknown = await page({ response_type: "code", client_id: "nope", redirect_uri: REDIRECT });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("not registered");
    const elsewhere = await page({ response_type: "code", client_id: app.client_id, redirect_uri: "https://evil.example/" });
    expect(elsewhere.status).toBe(400);
    const widened = await page({ response_type: "code", client_id: app.client_id, redirect_uri: REDIRECT, scope: "write" });
    expect(new URL(widened.headers.get("Location")!).searchParams.get("error")).toBe("invalid_scope");
  });

  it("asks a signed-out visitor to log in first, then brings them back to the consent page", async () => {
    const app = await registerApp();
    const response = await fetchWorker(
      `/oauth/authorize?response_type=code&client_id=${app.client_id}&redirect_uri=${encodeURIComponent(REDIRECT)}`,
    );
    expect(response.headers.get("Location")).toMatch(/^\/login\?redirectTo=%2Foauth%2Fauthorize%3F/);
  });
});

describe("other grants and revocation", () => {
  it("rotates refresh tokens: the new pair works, the old pair does not", async () => {
    const app = await registerApp();
    const { cookie } = await signedInUser();
    const code = await authorize(app, cookie);
    const first = (
      await api(
        "/oauth/token",
        form({
          grant_type: "authorization_code",
          client_id: app.client_id,
          client_secret: app.client_secret,
          code,
          redirect_uri: REDIRECT,
        }),
      )
    ).body as unknown as Token;
    const refreshed = await api(
      "/oauth/token",
      form({
        grant_type: "refresh_token",
        client_id: app.client_id,
        client_secret: app.client_secret,
        refresh_token: first.refresh_token!,
      }),
    );
    const second = refreshed.body as unknown as Token;
    expect(second.access_token).not.toBe(first.access_token);
    expect((await api("/api/v1/accounts/verify_credentials", { token: first.access_token })).response.status).toBe(401);
    expect((await api("/api/v1/accounts/verify_credentials", { token: second.access_token })).response.status).toBe(200);
    const reuse = await api(
      "/oauth/token",
      form({
        grant_type: "refresh_token",
        client_id: app.client_id,
        client_secret: app.client_secret,
        refresh_token: first.refresh_token!,
      }),
    );
    expect(reuse.body.error).toBe("invalid_grant");
  });

  it("gives client_credentials an app token with no user, within the app's scopes", async () => {
    const app = await registerApp("read write");
    const { body } = await api(
      "/oauth/token",
      json({ grant_type: "client_credentials", client_id: app.client_id, client_secret: app.client_secret, scope: "read" }),
    );
    const token = body as unknown as Token;
    expect((await api("/api/v1/apps/verify_credentials", { token: token.access_token })).response.status).toBe(200);
    const me = await api("/api/v1/accounts/verify_credentials", { token: token.access_token });
    expect(me.response.status).toBe(422);
    const wider = await api(
      "/oauth/token",
      json({ grant_type: "client_credentials", client_id: app.client_id, client_secret: app.client_secret, scope: "admin:write" }),
    );
    expect(wider.body.error).toBe("invalid_scope");
  });

  it("revokes tokens (RFC 7009), and answers OAuth errors in RFC 6749's shape", async () => {
    const app = await registerApp();
    const token = (
      (await api("/oauth/token", form({ grant_type: "client_credentials", client_id: app.client_id, client_secret: app.client_secret })))
        .body as unknown as Token
    ).access_token;
    const revoked = await api("/oauth/revoke", form({ client_id: app.client_id, client_secret: app.client_secret, token }));
    expect(revoked.response.status).toBe(200);
    expect((await api("/api/v1/apps/verify_credentials", { token })).response.status).toBe(401);
    expect(
      (await api("/oauth/revoke", form({ client_id: app.client_id, client_secret: app.client_secret, token: "never-existed" }))).response
        .status,
    ).toBe(200);
    expect((await api("/oauth/revoke", form({ client_id: app.client_id, client_secret: "wrong", token }))).response.status).toBe(403);
    const unsupported = await api(
      "/oauth/token",
      form({ grant_type: "password", client_id: app.client_id, client_secret: app.client_secret }),
    );
    expect(unsupported.body).toMatchObject({ error: "unsupported_grant_type" });
    const empty = await api("/oauth/token", { method: "POST" });
    expect(empty.body).toMatchObject({ error: "invalid_request" });
  });
});

describe("scopes and bearer tokens", () => {
  it("refuses missing and invalid tokens with 401, and too narrow ones with 403", async () => {
    expect((await api("/api/v1/accounts/verify_credentials")).response.status).toBe(401);
    expect((await api("/api/v1/accounts/verify_credentials", { token: "garbage" })).response.status).toBe(401);
    expect((await api("/api/v1/timelines/public", { token: "garbage" })).response.status).toBe(401);
    const app = await registerApp("write");
    const { cookie } = await signedInUser();
    const code = await authorize(app, cookie, { scope: "write" });
    const token = (
      (
        await api(
          "/oauth/token",
          form({
            grant_type: "authorization_code",
            client_id: app.client_id,
            client_secret: app.client_secret,
            code,
            redirect_uri: REDIRECT,
          }),
        )
      ).body as unknown as Token
    ).access_token;
    const narrow = await api("/api/v1/accounts/verify_credentials", { token });
    expect(narrow.response.status).toBe(403);
    expect(narrow.body).toEqual({ error: "This action is outside the authorized scopes" });
  });

  it("accepts personal access tokens made in settings, and lists and revokes authorized apps", async () => {
    const { user, cookie } = await signedInUser();
    const created = await postForm(
      "/settings/apps",
      { intent: "create-token", name: "my script", scopes: ["read", "profile"], password: PASSWORD },
      { cookie },
    );
    const token = (await created.text()).match(/data-testid="new-token"[^>]*>([\w-]+)</)?.[1];
    expect(token).toBeTruthy();
    expect((await api("/api/v1/accounts/verify_credentials", { token })).body).toMatchObject({ id: user.id });

    const app = await registerApp();
    const code = await authorize(app, cookie);
    const appToken = (
      (
        await api(
          "/oauth/token",
          form({
            grant_type: "authorization_code",
            client_id: app.client_id,
            client_secret: app.client_secret,
            code,
            redirect_uri: REDIRECT,
          }),
        )
      ).body as unknown as Token
    ).access_token;
    const listed = await (await fetchWorker("/settings/apps", { headers: { Cookie: cookie } })).text();
    expect(listed).toContain("Test Client");
    await postForm("/settings/apps", { intent: "revoke-app", appId: app.id }, { cookie });
    expect((await api("/api/v1/accounts/verify_credentials", { token: appToken })).response.status).toBe(401);
  });
});

describe("POST /api/v1/accounts", () => {
  async function appToken(scopes = "read write") {
    const app = await registerApp(scopes);
    return (
      (await api("/oauth/token", json({ grant_type: "client_credentials", client_id: app.client_id, client_secret: app.client_secret })))
        .body as unknown as Token
    ).access_token;
  }

  it("registers an unverified account with the same rules as the page, returning a user token", async () => {
    const token = await appToken();
    const { response, body } = await api("/api/v1/accounts", {
      ...json({ username: "api_made", email: "api_made@example.test", password: PASSWORD, agreement: true, locale: "en" }),
      token,
    });
    expect(response.status).toBe(200);
    const me = await api("/api/v1/accounts/verify_credentials", { token: String(body.access_token) });
    expect(me.body).toMatchObject({ username: "api_made" });
    const taken = await api("/api/v1/accounts", {
      ...json({ username: "API_made", email: "x@example.test", password: PASSWORD, agreement: true }),
      token,
    });
    expect(taken.response.status).toBe(422);
    expect(taken.body.error).toContain("username is taken");
  });

  it("refuses bad fields, a missing agreement and tokens without write:accounts", async () => {
    const token = await appToken();
    const bad = await api("/api/v1/accounts", { ...json({ username: "a b", email: "nope", password: "short", agreement: true }), token });
    expect(bad.response.status).toBe(422);
    expect(String(bad.body.error)).toMatch(/username .*email .*password/);
    const noAgreement = await api("/api/v1/accounts", {
      ...json({ username: "agreeless", email: "a@example.test", password: PASSWORD, agreement: false }),
      token,
    });
    expect(noAgreement.response.status).toBe(422);
    const readOnly = await appToken("read");
    expect(
      (
        await api("/api/v1/accounts", {
          ...json({ username: "readonly", email: "r@example.test", password: PASSWORD, agreement: true }),
          token: readOnly,
        })
      ).response.status,
    ).toBe(403);
  });
});

describe("the streaming API", () => {
  it("connects a user token to that user's hub, and refuses app tokens", async () => {
    const app = await registerApp();
    const { cookie } = await signedInUser();
    const code = await authorize(app, cookie);
    const token = (
      (
        await api(
          "/oauth/token",
          form({
            grant_type: "authorization_code",
            client_id: app.client_id,
            client_secret: app.client_secret,
            code,
            redirect_uri: REDIRECT,
          }),
        )
      ).body as unknown as Token
    ).access_token;
    const upgraded = await fetchWorker(`/api/v1/streaming?stream=user&access_token=${token}`, { headers: { Upgrade: "websocket" } });
    expect(upgraded.status).toBe(101);
    upgraded.webSocket!.accept();
    upgraded.webSocket!.close(1000);
    const appOnly = (
      (await api("/oauth/token", json({ grant_type: "client_credentials", client_id: app.client_id, client_secret: app.client_secret })))
        .body as unknown as Token
    ).access_token;
    expect((await fetchWorker(`/api/v1/streaming?access_token=${appOnly}`, { headers: { Upgrade: "websocket" } })).status).toBe(401);
  });
});

describe("GET /.well-known/oauth-authorization-server", () => {
  it("describes the endpoints and what they support (RFC 8414)", async () => {
    const { response, body } = await api("/.well-known/oauth-authorization-server", { headers: { Origin: "https://client.example" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(body).toMatchObject({
      issuer: "http://perch.test",
      authorization_endpoint: "http://perch.test/oauth/authorize",
      token_endpoint: "http://perch.test/oauth/token",
      revocation_endpoint: "http://perch.test/oauth/revoke",
      app_registration_endpoint: "http://perch.test/api/v1/apps",
      service_documentation: "http://perch.test/api/docs",
      response_types_supported: ["code"],
      response_modes_supported: ["query"],
      grant_types_supported: ["authorization_code", "client_credentials", "refresh_token"],
      code_challenge_methods_supported: ["S256"],
      token_endpoint_auth_methods_supported: ["client_secret_post"],
      revocation_endpoint_auth_methods_supported: ["client_secret_post"],
    });
    expect(body.scopes_supported).toEqual(expect.arrayContaining(["read", "write", "follow", "push", "profile", "read:statuses"]));
  });

  it("claims only what the endpoints do", async () => {
    const metadata = (await api("/.well-known/oauth-authorization-server")).body as {
      scopes_supported: string[];
      grant_types_supported: string[];
    };
    const app = await registerApp(metadata.scopes_supported.join(" "));
    expect(app.scopes).toEqual(metadata.scopes_supported);
    for (const grant of metadata.grant_types_supported) {
      const refused = await api("/oauth/token", form({ grant_type: grant, client_id: app.client_id, client_secret: "wrong" }));
      expect(refused.body.error, grant).toBe("invalid_client");
    }
    const { cookie } = await signedInUser();
    const authorizeWith = (extra: Record<string, string>) =>
      fetchWorker(`/oauth/authorize?${new URLSearchParams({ client_id: app.client_id, redirect_uri: REDIRECT, state: "s", ...extra })}`, {
        headers: { Cookie: cookie },
      });
    const token = new URL((await authorizeWith({ response_type: "token" })).headers.get("Location")!);
    expect(token.searchParams.get("error")).toBe("unsupported_response_type");
    const { challenge } = await pkcePair();
    const plain = new URL(
      (await authorizeWith({ response_type: "code", code_challenge: challenge, code_challenge_method: "plain" })).headers.get("Location")!,
    );
    expect(plain.searchParams.get("error")).toBe("invalid_request");
  });
});
