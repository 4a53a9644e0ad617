import { and, desc, eq, isNotNull, isNull, or, type SQL } from "drizzle-orm";
import { accessTokens, apps, users } from "#db/schema/index.ts";
import { base64url, randomToken, sha256Hex } from "#workers/platform/crypto.ts";
import { consumeVerification, issueVerification } from "../accounts/verifications.ts";
import type { User } from "../accounts/users.ts";
import { signedOut } from "../accounts/live-credentials.ts";
import type { DomainContext } from "../context.ts";
import { commit } from "../events/outbox.ts";
import { DomainError } from "../errors.ts";
import { acceptsRedirectUri, appScopes, type App } from "./apps.ts";
import { parseScopes, withinScopes } from "./scopes.ts";

export type AccessToken = typeof accessTokens.$inferSelect;

/** What a bearer token stands for: always its scopes, an app unless it is a personal token, a user unless app-only. */
export interface TokenHolder {
  token: AccessToken;
  scopes: string[];
  app: App | null;
  user: User | null;
}

export interface IssuedToken {
  accessToken: string;
  refreshToken: string | null;
  scopes: string[];
  createdAt: Date;
}

async function issueToken(
  ctx: DomainContext,
  input: { appId: string | null; userId: string | null; scopes: string[]; name?: string; refreshable: boolean },
): Promise<IssuedToken> {
  const accessToken = randomToken();
  const refreshToken = input.refreshable ? randomToken() : null;
  const createdAt = new Date();
  await ctx.db.insert(accessTokens).values({
    tokenHash: await sha256Hex(accessToken),
    refreshTokenHash: refreshToken ? await sha256Hex(refreshToken) : null,
    appId: input.appId,
    userId: input.userId,
    name: input.name ?? null,
    scopes: input.scopes.join(" "),
    createdAt,
  });
  return { accessToken, refreshToken, scopes: input.scopes, createdAt };
}

/** Checks requested scopes against the app's registration; no scope asked means the app's default ("read"). */
export function scopesForApp(app: App, requested: string | undefined): string[] {
  const registered = appScopes(app);
  const { scopes, unknown } = parseScopes(requested, registered.join(" "));
  if (unknown.length > 0 || !withinScopes(registered, scopes)) {
    throw new DomainError("invalid", "The requested scope is invalid, unknown, or malformed.", { code: "invalid_scope" });
  }
  return scopes;
}

/** client_credentials: a token for the app itself, with no user behind it. */
export function issueAppToken(ctx: DomainContext, app: App, requestedScopes: string | undefined): Promise<IssuedToken> {
  return issueToken(ctx, { appId: app.id, userId: null, scopes: scopesForApp(app, requestedScopes), refreshable: false });
}

/** A token for a user with an app, without a consent step: for registration through POST /api/v1/accounts. */
export function issueUserToken(ctx: DomainContext, app: App, userId: string, scopes: string[]): Promise<IssuedToken> {
  return issueToken(ctx, { appId: app.id, userId, scopes, refreshable: true });
}

/** The consent page's "Authorize": a ten-minute, single-use code bound to the app, redirect URI, scopes and PKCE. */
export async function createAuthorizationCode(
  ctx: DomainContext,
  input: { app: App; userId: string; redirectUri: string; scopes: string[]; codeChallenge?: string },
): Promise<string> {
  if (!acceptsRedirectUri(input.app, input.redirectUri)) {
    throw new DomainError("invalid", "The redirect URI is not one this application registered.");
  }
  return issueVerification(ctx, {
    purpose: "oauth-code",
    userId: input.userId,
    payload: { appId: input.app.id, redirectUri: input.redirectUri, scopes: input.scopes, codeChallenge: input.codeChallenge ?? null },
  });
}

async function pkceChallenge(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

/** authorization_code: the code, for the same app and redirect URI, with the PKCE verifier when a challenge was set. */
export async function exchangeAuthorizationCode(
  ctx: DomainContext,
  input: { app: App; code: string; redirectUri: string; codeVerifier?: string },
): Promise<IssuedToken> {
  const grant = await consumeVerification(ctx, "oauth-code", input.code);
  const payload = grant?.payload as { appId: string; redirectUri: string; scopes: string[]; codeChallenge: string | null } | undefined;
  const invalid = () =>
    new DomainError("invalid", "The provided authorization grant is invalid, expired, revoked, or does not match the redirection URI.");
  if (!grant?.userId || !payload || payload.appId !== input.app.id || payload.redirectUri !== input.redirectUri) throw invalid();
  if (payload.codeChallenge && (!input.codeVerifier || (await pkceChallenge(input.codeVerifier)) !== payload.codeChallenge))
    throw invalid();
  return issueToken(ctx, { appId: input.app.id, userId: grant.userId, scopes: payload.scopes, refreshable: true });
}

/** refresh_token: a new token pair for the same grant; the old pair stops working (rotation). */
export async function refreshAccessToken(ctx: DomainContext, app: App, refreshToken: string): Promise<IssuedToken> {
  const [old] = await ctx.db
    .update(accessTokens)
    .set({ revokedAt: new Date() })
    .where(
      and(eq(accessTokens.refreshTokenHash, await sha256Hex(refreshToken)), eq(accessTokens.appId, app.id), isNull(accessTokens.revokedAt)),
    )
    .returning();
  if (!old)
    throw new DomainError(
      "invalid",
      "The provided authorization grant is invalid, expired, revoked, or does not match the redirection URI.",
    );
  return issueToken(ctx, { appId: app.id, userId: old.userId, scopes: old.scopes.split(" "), refreshable: true });
}

/** The holder of a bearer token that exists and is not revoked; notes when it was last used (hourly at most). */
export async function authenticateBearer(ctx: DomainContext, token: string): Promise<TokenHolder | undefined> {
  const [row] = await ctx.db
    .select({ token: accessTokens, app: apps, user: users })
    .from(accessTokens)
    .leftJoin(apps, eq(apps.id, accessTokens.appId))
    .leftJoin(users, eq(users.id, accessTokens.userId))
    .where(and(eq(accessTokens.tokenHash, await sha256Hex(token)), isNull(accessTokens.revokedAt)));
  if (!row || (row.token.userId !== null && !row.user)) return undefined;
  const lastUsed = row.token.lastUsedAt?.getTime() ?? 0;
  if (Date.now() - lastUsed > 60 * 60 * 1000) {
    await ctx.db.update(accessTokens).set({ lastUsedAt: new Date() }).where(eq(accessTokens.id, row.token.id));
  }
  return { token: row.token, scopes: row.token.scopes.split(" "), app: row.app, user: row.user };
}

/**
 * RFC 7009: revoking a token the app does not own, or one that does not exist, is not an error and changes nothing.
 * The token may be the access token or its refresh token; either ends the pair.
 */
export async function revokeTokenForApp(ctx: DomainContext, app: App, token: string): Promise<void> {
  const hash = await sha256Hex(token);
  const named = and(eq(accessTokens.appId, app.id), or(eq(accessTokens.tokenHash, hash), eq(accessTokens.refreshTokenHash, hash)));
  const found = await ctx.db.query.accessTokens.findFirst({ where: named, columns: { userId: true } });
  if (found) await revokeTokens(ctx, found.userId, named!);
}

/**
 * Revokes the tokens matching the condition, with the event that closes what they had open when they belong to a
 * user (an app-only token has no live connections). A suspended account may revoke too.
 */
async function revokeTokens(ctx: DomainContext, userId: string | null, condition: SQL): Promise<void> {
  await commit(
    ctx,
    [
      ctx.db
        .update(accessTokens)
        .set({ revokedAt: new Date() })
        .where(and(condition, isNull(accessTokens.revokedAt))),
    ],
    userId ? [signedOut(userId)] : [],
    { suspendedMay: true },
  );
}

/** The apps a user has authorized, with when each was last used. */
export async function authorizedApps(ctx: DomainContext, userId: string) {
  const rows = await ctx.db
    .select({ app: apps, token: accessTokens })
    .from(accessTokens)
    .innerJoin(apps, eq(apps.id, accessTokens.appId))
    .where(and(eq(accessTokens.userId, userId), isNull(accessTokens.revokedAt)))
    .orderBy(desc(accessTokens.createdAt));
  const byApp = new Map<string, { app: App; scopes: Set<string>; authorizedAt: Date; lastUsedAt: Date | null }>();
  for (const { app, token } of rows) {
    const entry = byApp.get(app.id) ?? { app, scopes: new Set<string>(), authorizedAt: token.createdAt, lastUsedAt: null };
    token.scopes.split(" ").forEach((scope) => entry.scopes.add(scope));
    if (token.lastUsedAt && (!entry.lastUsedAt || token.lastUsedAt > entry.lastUsedAt)) entry.lastUsedAt = token.lastUsedAt;
    byApp.set(app.id, entry);
  }
  return [...byApp.values()].map((entry) => ({ ...entry, scopes: [...entry.scopes] }));
}

/** Withdraws an app's access to the user's account: all of its tokens for them stop working. */
export function revokeAppAuthorization(ctx: DomainContext, userId: string, appId: string): Promise<void> {
  return revokeTokens(ctx, userId, and(eq(accessTokens.userId, userId), eq(accessTokens.appId, appId))!);
}

/** Every token of the user stops working, apps' and personal ones alike (a password reset or change). */
export function revokeAllTokens(ctx: DomainContext, userId: string): Promise<void> {
  return revokeTokens(ctx, userId, eq(accessTokens.userId, userId));
}

/** A token the user makes for their own scripts, with the scopes they choose; shown once. */
export async function createPersonalAccessToken(ctx: DomainContext, userId: string, name: string, scopes: string[]): Promise<string> {
  const { unknown } = parseScopes(scopes.join(" "));
  if (scopes.length === 0 || unknown.length > 0)
    throw new DomainError("unprocessable", "Choose at least one valid scope", { fields: { scopes: "Choose at least one scope" } });
  const issued = await issueToken(ctx, {
    appId: null,
    userId,
    scopes,
    name: name.trim().slice(0, 100) || "Personal token",
    refreshable: false,
  });
  return issued.accessToken;
}

export function personalAccessTokens(ctx: DomainContext, userId: string): Promise<AccessToken[]> {
  return ctx.db
    .select()
    .from(accessTokens)
    .where(and(eq(accessTokens.userId, userId), isNull(accessTokens.appId), isNull(accessTokens.revokedAt), isNotNull(accessTokens.name)))
    .orderBy(desc(accessTokens.createdAt));
}

export function revokePersonalAccessToken(ctx: DomainContext, userId: string, tokenId: string): Promise<void> {
  return revokeTokens(ctx, userId, and(eq(accessTokens.id, tokenId), eq(accessTokens.userId, userId), isNull(accessTokens.appId))!);
}
