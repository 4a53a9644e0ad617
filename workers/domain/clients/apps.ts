import { eq } from "drizzle-orm";
import { z } from "zod";
import { apps } from "#db/schema/index.ts";
import { randomToken, sha256Hex, timingSafeEqual } from "#workers/platform/crypto.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { parseScopes } from "./scopes.ts";

export type App = typeof apps.$inferSelect;

/** The redirect URI for apps that show the code to the user instead of receiving it (Mastodon's "out of band"). */
export const OUT_OF_BAND = "urn:ietf:wg:oauth:2.0:oob";

/** Schemes that run or read something in the browser itself rather than reach an app: never a redirect target. */
const FORBIDDEN_SCHEMES = new Set(["javascript:", "data:", "vbscript:", "file:", "blob:", "about:", "filesystem:"]);
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Where an authorization may send the browser (RFC 6749 §3.1.2, RFC 8252): the out-of-band URN; an absolute https URI;
 * http only to a loopback address (a native app listening locally); or a native app's own scheme. Never a scheme that
 * runs in the browser, and nothing a URL parser would silently repair: no control characters or spaces (browsers drop
 * a tab or newline inside "java\tscript:"), no fragment, no credentials. Checked at registration and again before
 * every redirect, for apps registered before these rules.
 */
export function isSafeRedirectUri(uri: string): boolean {
  if (uri === OUT_OF_BAND) return true;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be refused
  if (/[\u0000-\u0020\u007f-\u009f\\]/.test(uri)) return false;
  const url = URL.parse(uri);
  if (!url || url.hash || url.username || url.password || !/^[a-z][a-z0-9+.-]*:/i.test(uri)) return false;
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return false;
  if (url.protocol === "https:") return url.hostname !== "";
  if (url.protocol === "http:") return LOOPBACK_HOSTS.has(url.hostname);
  return true;
}

const redirectUri = z.string().refine(isSafeRedirectUri, {
  message: "must be urn:ietf:wg:oauth:2.0:oob, an https URI, an http URI on a loopback address, or an app's own scheme, with no fragment",
});

export const newAppSchema = z.object({
  client_name: z.string().trim().min(1, "client_name can't be blank").max(100),
  redirect_uris: z
    .union([z.string(), z.array(z.string())])
    // Mastodon separates several URIs by newlines; only the spaces around each are trimmed (refused inside one).
    .transform((value) => (Array.isArray(value) ? value : value.split(/\r?\n/)).map((uri) => uri.trim()).filter(Boolean))
    .pipe(z.array(redirectUri).min(1, "redirect_uris can't be blank").max(10)),
  scopes: z.string().optional(),
  website: z
    .string()
    .trim()
    .max(2000)
    .refine((site) => site === "" || /^https?:\/\//i.test(site), "website must be an http(s) URL")
    .optional(),
});

export type NewApp = z.input<typeof newAppSchema>;

export function appRedirectUris(app: App): string[] {
  return app.redirectUris.split("\n");
}

/** Whether the app may have the browser sent to this URI: one it registered, and safe (isSafeRedirectUri). */
export function acceptsRedirectUri(app: App, uri: string): boolean {
  return appRedirectUris(app).includes(uri) && isSafeRedirectUri(uri);
}

export function appScopes(app: App): string[] {
  return app.scopes.split(" ");
}

/** Registers a client application. Its secret is returned once; only a hash is kept. */
export async function registerApp(ctx: DomainContext, input: NewApp): Promise<{ app: App; clientSecret: string }> {
  const data = newAppSchema.parse(input);
  const { scopes, unknown } = parseScopes(data.scopes);
  if (unknown.length > 0) throw new DomainError("unprocessable", `Unknown scopes: ${unknown.join(", ")}`);
  const clientSecret = randomToken();
  const [app] = await ctx.db
    .insert(apps)
    .values({
      name: data.client_name,
      website: data.website || null,
      redirectUris: data.redirect_uris.join("\n"),
      scopes: scopes.join(" "),
      clientId: randomToken(),
      clientSecretHash: await sha256Hex(clientSecret),
      createdAt: new Date(),
    })
    .returning();
  return { app: app!, clientSecret };
}

export function findApp(ctx: DomainContext, clientId: string): Promise<App | undefined> {
  return ctx.db.query.apps.findFirst({ where: eq(apps.clientId, clientId) });
}

/** The app whose client_id and client_secret these are, or undefined. */
export async function authenticateClient(ctx: DomainContext, clientId: string, clientSecret: string): Promise<App | undefined> {
  const app = await findApp(ctx, clientId);
  if (!app) return undefined;
  const presented = new TextEncoder().encode(await sha256Hex(clientSecret));
  return timingSafeEqual(presented, new TextEncoder().encode(app.clientSecretHash)) ? app : undefined;
}
