import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { authenticateClient, newAppSchema, registerApp, type NewApp } from "#domain/clients/apps.ts";
import { PKCE_METHODS, RESPONSE_TYPES } from "#domain/clients/authorization.ts";
import { ALL_SCOPES } from "#domain/clients/scopes.ts";
import {
  exchangeAuthorizationCode,
  issueAppToken,
  refreshAccessToken,
  revokeTokenForApp,
  type IssuedToken,
} from "#domain/clients/tokens.ts";
import { DomainError } from "#domain/errors.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { authRateLimit } from "#workers/platform/rate-limit.ts";
import { authenticate } from "../authentication.ts";
import { bodyOf, formOrJson } from "../body.ts";
import { ApplicationSchema, CredentialApplicationSchema, presentApplication, presentToken, TokenSchema } from "../entities/application.ts";
import { errorResponse } from "../entities/error.ts";
import { validationHook } from "../errors.ts";

const OAuthErrorSchema = z
  .object({ error: z.string(), error_description: z.string().optional() })
  .openapi("OAuthError", { description: "RFC 6749 error response (what OAuth client libraries parse)." });

const oauthError = (description: string) => ({ description, content: { "application/json": { schema: OAuthErrorSchema } } });

const createAppRoute = createRoute({
  method: "post",
  path: "/api/v1/apps",
  operationId: "createApp",
  tags: ["OAuth"],
  summary: "Register a client application",
  description:
    "Answers with the app's client_id and client_secret (shown once; only a hash is kept), which /oauth/authorize and " +
    "/oauth/token need. `scopes` (default read) bounds what the app may ask for later.",
  request: { body: formOrJson(newAppSchema) },
  responses: {
    200: { description: "The app, with its client credentials", content: { "application/json": { schema: CredentialApplicationSchema } } },
    422: errorResponse("A missing name, a malformed redirect URI or an unknown scope"),
  },
});

const verifyAppRoute = createRoute({
  method: "get",
  path: "/api/v1/apps/verify_credentials",
  operationId: "verifyAppCredentials",
  tags: ["OAuth"],
  summary: "Check an app's token",
  description:
    "The app the token was issued to, whether the token acts for a user or for the app alone; a personal access token " +
    "belongs to no app (401).",
  security: [{ oauth2: [] }],
  responses: {
    200: { description: "The app the token belongs to", content: { "application/json": { schema: ApplicationSchema } } },
    401: errorResponse("No valid token"),
  },
});

/** The grants /oauth/token answers; the metadata document lists the same. */
const GRANT_TYPES = ["authorization_code", "client_credentials", "refresh_token"] as const;
/** How clients authenticate at /oauth/token and /oauth/revoke: client_id and client_secret in the body, never Basic. */
const CLIENT_AUTH_METHODS = ["client_secret_post"];

const tokenRequest = z.object({
  grant_type: z.enum(GRANT_TYPES),
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  code: z.string().optional(),
  redirect_uri: z.string().optional(),
  code_verifier: z.string().optional(),
  refresh_token: z.string().optional(),
  scope: z.string().optional(),
});

const tokenRoute = createRoute({
  method: "post",
  path: "/oauth/token",
  operationId: "getToken",
  tags: ["OAuth"],
  summary: "Obtain a token",
  description: "authorization_code (with PKCE S256 when the authorization used a challenge), client_credentials, refresh_token.",
  request: { body: formOrJson(tokenRequest) },
  responses: {
    200: { description: "A token", content: { "application/json": { schema: TokenSchema } } },
    400: oauthError("invalid_grant, invalid_request, invalid_scope or unsupported_grant_type"),
    401: oauthError("invalid_client"),
    429: errorResponse("Too many requests"),
  },
});

const revokeRoute = createRoute({
  method: "post",
  path: "/oauth/revoke",
  operationId: "revokeToken",
  tags: ["OAuth"],
  summary: "Revoke a token",
  description: "Revokes a token the app was given (its client credentials in the body); an unknown token is not an error (RFC 7009).",
  request: { body: formOrJson(z.object({ client_id: z.string().min(1), client_secret: z.string().min(1), token: z.string().min(1) })) },
  responses: {
    200: { description: "Revoked, or never existed (RFC 7009)", content: { "application/json": { schema: z.object({}) } } },
    400: oauthError("invalid_request"),
    403: oauthError("unauthorized_client"),
  },
});

const AuthorizationServerSchema = z
  .object({
    issuer: z.url(),
    authorization_endpoint: z.url(),
    token_endpoint: z.url(),
    revocation_endpoint: z.url(),
    app_registration_endpoint: z.url().openapi({ description: "Mastodon's: where apps register (POST /api/v1/apps)." }),
    service_documentation: z.url(),
    scopes_supported: z.array(z.string()),
    response_types_supported: z.array(z.enum(RESPONSE_TYPES)),
    response_modes_supported: z.array(z.literal("query")).openapi({ description: "The code comes back in the redirect's query only." }),
    grant_types_supported: z.array(z.enum(GRANT_TYPES)),
    code_challenge_methods_supported: z.array(z.enum(PKCE_METHODS)),
    token_endpoint_auth_methods_supported: z.array(z.string()),
    revocation_endpoint_auth_methods_supported: z.array(z.string()),
  })
  .openapi("AuthorizationServerMetadata", { description: "RFC 8414 OAuth 2.0 authorization server metadata." });

const metadataRoute = createRoute({
  method: "get",
  path: "/.well-known/oauth-authorization-server",
  operationId: "getAuthorizationServerMetadata",
  tags: ["OAuth"],
  summary: "OAuth server metadata (RFC 8414)",
  description:
    "Where to register, authorize, get and revoke tokens, and what this server supports: the code flow with S256 PKCE, " +
    "client credentials and refresh tokens, client secrets sent in the body, and Mastodon's scopes.",
  responses: {
    200: { description: "The metadata", content: { "application/json": { schema: AuthorizationServerSchema } } },
  },
});

function presentMetadata(origin: string): z.infer<typeof AuthorizationServerSchema> {
  return {
    issuer: origin,
    authorization_endpoint: `${origin}/oauth/authorize`,
    token_endpoint: `${origin}/oauth/token`,
    revocation_endpoint: `${origin}/oauth/revoke`,
    app_registration_endpoint: `${origin}/api/v1/apps`,
    service_documentation: `${origin}/api/docs`,
    scopes_supported: [...ALL_SCOPES],
    response_types_supported: [...RESPONSE_TYPES],
    response_modes_supported: ["query"],
    grant_types_supported: [...GRANT_TYPES],
    code_challenge_methods_supported: [...PKCE_METHODS],
    token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
  };
}

/** OAuth answers use RFC 6749's shape, which OAuth libraries expect, rather than the API's plain {error}. */
function oauthValidationHook(result: { success: boolean; error?: z.ZodError }, c: Context<AppEnv>) {
  if (result.success) return undefined;
  const unsupported = result.error?.issues.some((issue) => issue.path[0] === "grant_type");
  return c.json(
    {
      error: unsupported ? "unsupported_grant_type" : "invalid_request",
      error_description: result.error?.issues[0]?.message ?? "Invalid request",
    },
    400,
  );
}

export const oauthRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(metadataRoute, (c) => c.json(presentMetadata(c.var.scope.origin), 200))
  .openapi(createAppRoute, async (c) => {
    try {
      const params = bodyOf<NewApp>(c);
      if (!params) return c.json({ error: "client_name can't be blank" }, 422);
      const { app, clientSecret } = await registerApp(c.var.scope.domain, params);
      return c.json(
        { ...presentApplication(app), client_id: app.clientId, client_secret: clientSecret, client_secret_expires_at: 0 as const },
        200,
      );
    } catch (error) {
      if (error instanceof DomainError) return c.json({ error: error.message }, 422);
      throw error;
    }
  })
  .openapi({ ...verifyAppRoute, middleware: [authenticate] as const }, (c) => {
    const app = c.var.scope.token?.app;
    if (!app) return c.json({ error: "The access token is invalid" }, 401);
    return c.json(presentApplication(app), 200);
  });

oauthRoutes.use("/oauth/token", authRateLimit("token"));
oauthRoutes.openapi(
  tokenRoute,
  async (c) => {
    const params = bodyOf<z.infer<typeof tokenRequest>>(c);
    if (!params) return c.json({ error: "invalid_request", error_description: "Send the parameters as a form or as JSON" }, 400);
    const { domain } = c.var.scope;
    const app = await authenticateClient(domain, params.client_id, params.client_secret);
    if (!app)
      return c.json(
        {
          error: "invalid_client",
          error_description:
            "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
        },
        401,
      );
    let issued: IssuedToken;
    try {
      switch (params.grant_type) {
        case "client_credentials":
          issued = await issueAppToken(domain, app, params.scope);
          break;
        case "authorization_code":
          issued = await exchangeAuthorizationCode(domain, {
            app,
            code: params.code ?? "",
            redirectUri: params.redirect_uri ?? "",
            codeVerifier: params.code_verifier,
          });
          break;
        case "refresh_token":
          issued = await refreshAccessToken(domain, app, params.refresh_token ?? "");
          break;
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const kind = error.code === "invalid_scope" ? "invalid_scope" : "invalid_grant";
      return c.json({ error: kind, error_description: error.message }, 400);
    }
    c.header("Cache-Control", "no-store");
    return c.json(presentToken(issued), 200);
  },
  oauthValidationHook,
);
oauthRoutes.openapi(
  revokeRoute,
  async (c) => {
    const params = bodyOf<{ client_id: string; client_secret: string; token: string }>(c);
    if (!params) return c.json({ error: "invalid_request", error_description: "Send the parameters as a form or as JSON" }, 400);
    const { domain } = c.var.scope;
    const app = await authenticateClient(domain, params.client_id, params.client_secret);
    if (!app) return c.json({ error: "unauthorized_client", error_description: "You are not authorized to revoke this token" }, 403);
    await revokeTokenForApp(domain, app, params.token);
    return c.json({}, 200);
  },
  oauthValidationHook,
);
