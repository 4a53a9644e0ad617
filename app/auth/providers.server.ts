import { Authenticator } from "remix-auth";
import { CodeChallengeMethod, OAuth2Strategy } from "remix-auth-oauth2";
import type { IdentityProvider, ProviderProfile } from "#domain/accounts/connections.ts";
import type { Config } from "#workers/platform/env.ts";

/** Providers with both a client id and secret configured; the others are not offered at all. */
export function configuredProviders(config: Config): IdentityProvider[] {
  const providers: IdentityProvider[] = [];
  if (config.GITHUB_CLIENT_ID && config.GITHUB_CLIENT_SECRET) providers.push("github");
  if (config.GOOGLE_CLIENT_ID && config.GOOGLE_CLIENT_SECRET) providers.push("google");
  return providers;
}

export function isProvider(config: Config, value: string | undefined): value is IdentityProvider {
  return configuredProviders(config).includes(value as IdentityProvider);
}

async function fetchJson<T>(url: string, accessToken: string): Promise<T> {
  const response = await fetch(url, {
    headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/json", "User-Agent": "Perch" },
  });
  if (!response.ok) throw new Error(`${new URL(url).host} answered ${response.status} for the profile`);
  return (await response.json()) as T;
}

/** GitHub: the user, and (from /user/emails) the primary address with whether GitHub has verified it. */
async function gitHubProfile(config: Config, accessToken: string): Promise<ProviderProfile> {
  const user = await fetchJson<{ id: number | string; login: string; name: string | null }>(`${config.GITHUB_API_URL}/user`, accessToken);
  const emails = await fetchJson<{ email: string; primary: boolean; verified: boolean }[]>(
    `${config.GITHUB_API_URL}/user/emails`,
    accessToken,
  );
  const primary = emails.find((email) => email.primary) ?? emails[0];
  return {
    provider: "github",
    providerUserId: String(user.id),
    email: primary?.email ?? null,
    emailVerified: primary?.verified ?? false,
    username: user.login,
    displayName: user.name,
  };
}

/** Google: OpenID Connect's userinfo. */
async function googleProfile(config: Config, accessToken: string): Promise<ProviderProfile> {
  const info = await fetchJson<{ sub: string; email?: string; email_verified?: boolean; name?: string; given_name?: string }>(
    config.GOOGLE_USERINFO_URL,
    accessToken,
  );
  return {
    provider: "google",
    providerUserId: info.sub,
    email: info.email ?? null,
    emailVerified: info.email_verified === true,
    username: info.email?.split("@")[0] ?? info.given_name ?? null,
    displayName: info.name ?? null,
  };
}

/**
 * remix-auth with one OAuth2 strategy per configured provider (authorization code with PKCE, state in a short-lived
 * cookie). Verifying a sign-in fetches the provider's profile; what it means for Perch is the domain's decision.
 */
export function providerAuthenticator(config: Config, origin: string): Authenticator<ProviderProfile> {
  const authenticator = new Authenticator<ProviderProfile>();
  const cookie = (provider: IdentityProvider) =>
    ({ name: `perch_oauth_${provider}`, path: "/", httpOnly: true, secure: true, sameSite: "Lax" }) as const;
  if (config.GITHUB_CLIENT_ID && config.GITHUB_CLIENT_SECRET) {
    authenticator.use(
      new OAuth2Strategy(
        {
          cookie: cookie("github"),
          clientId: config.GITHUB_CLIENT_ID,
          clientSecret: config.GITHUB_CLIENT_SECRET,
          authorizationEndpoint: config.GITHUB_AUTHORIZE_URL,
          tokenEndpoint: config.GITHUB_TOKEN_URL,
          redirectURI: `${origin}/auth/github/callback`,
          scopes: ["read:user", "user:email"],
          codeChallengeMethod: CodeChallengeMethod.S256,
        },
        ({ tokens }) => gitHubProfile(config, tokens.accessToken()),
      ),
      "github",
    );
  }
  if (config.GOOGLE_CLIENT_ID && config.GOOGLE_CLIENT_SECRET) {
    authenticator.use(
      new OAuth2Strategy(
        {
          cookie: cookie("google"),
          clientId: config.GOOGLE_CLIENT_ID,
          clientSecret: config.GOOGLE_CLIENT_SECRET,
          authorizationEndpoint: config.GOOGLE_AUTHORIZE_URL,
          tokenEndpoint: config.GOOGLE_TOKEN_URL,
          redirectURI: `${origin}/auth/google/callback`,
          scopes: ["openid", "email", "profile"],
          codeChallengeMethod: CodeChallengeMethod.S256,
        },
        ({ tokens }) => googleProfile(config, tokens.accessToken()),
      ),
      "google",
    );
  }
  return authenticator;
}
