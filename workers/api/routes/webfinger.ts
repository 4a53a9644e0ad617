import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { viewAccount } from "#domain/profiles/access.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { errorResponse } from "../entities/error.ts";
import { validationHook } from "../errors.ts";

const JrdSchema = z
  .object({
    subject: z.string().openapi({ example: "acct:alice@perch.example" }),
    aliases: z.array(z.url()),
    links: z.array(z.object({ rel: z.string(), type: z.string(), href: z.url() })),
  })
  .openapi("WebFingerJrd", { description: "A JSON Resource Descriptor (RFC 7033) for a local account." });

const PROFILE_PAGE = "http://webfinger.net/rel/profile-page";

/**
 * The username a WebFinger resource names on this server: `acct:alice@host` (or `alice@host`, `@alice@host`), or the
 * profile's URL (`https://host/alice`, `https://host/@alice`). Anything else, or another server's account, is an error
 * saying why.
 */
export function usernameOfResource(resource: string, host: string): { username: string } | { error: string } {
  const elsewhere = { error: "resource names an account on another server; this one answers for its own" };
  if (/^https?:\/\//i.test(resource)) {
    if (!URL.canParse(resource)) return { error: "resource is not a valid URL" };
    const url = new URL(resource);
    if (url.host !== host) return elsewhere;
    const username = /^\/@?([^/@]+)\/?$/.exec(url.pathname)?.[1];
    const notProfile = { error: "resource is not the address of a profile" };
    if (!username) return notProfile;
    try {
      return { username: decodeURIComponent(username) };
    } catch {
      // An escape that is not UTF-8 (%FF) names no username.
      return notProfile;
    }
  }
  const address = /^(?:acct:)?@?([^@\s]+)@([^@\s]+)$/i.exec(resource);
  if (!address) return { error: "resource must be acct:username@domain or a profile URL" };
  return address[2]!.toLowerCase() === host ? { username: address[1]! } : elsewhere;
}

const webfingerRoute = createRoute({
  method: "get",
  path: "/.well-known/webfinger",
  operationId: "webfinger",
  tags: ["Accounts"],
  summary: "Find an account by its address (WebFinger)",
  description:
    "For accounts on this server only. Perch does not federate, so there is no ActivityPub actor to link to: the links " +
    "hold the profile page.",
  request: {
    query: z.object({
      resource: z
        .string()
        .min(1, "resource is required")
        .openapi({ description: "acct:username@domain, or the account's profile URL", example: "acct:alice@perch.example" }),
    }),
  },
  responses: {
    200: { description: "The account's descriptor", content: { "application/jrd+json": { schema: JrdSchema } } },
    400: errorResponse("No resource, a malformed one, or an account on another server"),
    404: errorResponse("No such account here"),
  },
});

export const webfingerRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(webfingerRoute, async (c) => {
  const { domain, origin } = c.var.scope;
  const host = new URL(origin).host;
  const named = usernameOfResource(c.req.valid("query").resource.trim(), host);
  if ("error" in named) return c.json({ error: named.error }, 400);
  const { account } = await viewAccount(domain, null, { username: named.username });
  const profile = `${origin}/${account.username}`;
  const jrd = {
    subject: `acct:${account.username}@${host}`,
    aliases: [profile],
    links: [{ rel: PROFILE_PAGE, type: "text/html", href: profile }],
  };
  return c.json(jrd, 200, { "Content-Type": "application/jrd+json; charset=utf-8" });
});
