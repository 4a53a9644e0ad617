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

const redirectUri = z
  .string()
  .trim()
  .refine((uri) => uri === OUT_OF_BAND || (URL.canParse(uri) && !/^(javascript|data|vbscript):/i.test(uri)), {
    message: "must be an absolute URI or urn:ietf:wg:oauth:2.0:oob",
  });

export const newAppSchema = z.object({
  client_name: z.string().trim().min(1, "client_name can't be blank").max(100),
  redirect_uris: z
    .union([z.string(), z.array(z.string())])
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
