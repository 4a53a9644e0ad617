import { z } from "@hono/zod-openapi";
import { appRedirectUris, appScopes, type App } from "#domain/clients/apps.ts";
import type { IssuedToken } from "#domain/clients/tokens.ts";

export const ApplicationSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    website: z.string().nullable(),
    scopes: z.array(z.string()),
    redirect_uri: z.string().openapi({ description: "The redirect URIs, newline-separated (deprecated by Mastodon)." }),
    redirect_uris: z.array(z.string()),
    vapid_key: z.string().optional(),
  })
  .openapi("Application");

export const CredentialApplicationSchema = ApplicationSchema.extend({
  client_id: z.string(),
  client_secret: z.string(),
  client_secret_expires_at: z.literal(0),
}).openapi("CredentialApplication");

export const TokenSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal("Bearer"),
    scope: z.string(),
    created_at: z.number().int().openapi({ description: "Unix time in seconds" }),
    refresh_token: z.string().optional(),
  })
  .openapi("Token");

export function presentApplication(app: App): z.infer<typeof ApplicationSchema> {
  const redirectUris = appRedirectUris(app);
  return {
    id: app.id,
    name: app.name,
    website: app.website,
    scopes: appScopes(app),
    redirect_uri: redirectUris.join("\n"),
    redirect_uris: redirectUris,
  };
}

export function presentToken(issued: IssuedToken): z.infer<typeof TokenSchema> {
  return {
    access_token: issued.accessToken,
    token_type: "Bearer",
    scope: issued.scopes.join(" "),
    created_at: Math.floor(issued.createdAt.getTime() / 1000),
    ...(issued.refreshToken ? { refresh_token: issued.refreshToken } : {}),
  };
}
