import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { signUp, signupSchema } from "#domain/accounts/signup.ts";
import { issueUserToken } from "#domain/clients/tokens.ts";
import { DomainError } from "#domain/errors.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { clientAddress, rateLimit } from "#workers/platform/rate-limit.ts";
import { requireScope, requireUser } from "../authentication.ts";
import { bodyOf, formOrJson } from "../body.ts";
import { CredentialAccountSchema, presentCredentialAccount } from "../entities/account.ts";
import { presentToken, TokenSchema } from "../entities/application.ts";
import { errorResponse } from "../entities/error.ts";
import { validationHook } from "../errors.ts";

const verifyCredentialsRoute = createRoute({
  method: "get",
  path: "/api/v1/accounts/verify_credentials",
  tags: ["Accounts"],
  summary: "The signed-in user's account",
  security: [{ bearer: ["profile", "read:accounts"] }],
  middleware: [requireScope("profile", "read:accounts"), requireUser] as const,
  responses: {
    200: { description: "The user's own account", content: { "application/json": { schema: CredentialAccountSchema } } },
    401: errorResponse("No valid token"),
    403: errorResponse("The token lacks the profile or read:accounts scope"),
    422: errorResponse("An app token, which has no user"),
  },
});

const registration = z.object({
  username: z.string(),
  email: z.string(),
  password: z.string(),
  agreement: z.union([z.boolean(), z.enum(["true", "1", "false", "0"])]).transform((value) => value === true || value === "true" || value === "1"),
  locale: z.string().max(10).default("en"),
  reason: z.string().max(1000).optional(),
});

const registerRoute = createRoute({
  method: "post",
  path: "/api/v1/accounts",
  tags: ["Accounts"],
  summary: "Register an account",
  description:
    "Needs an app token (client_credentials) with write:accounts. The same rules as the sign-up page apply; the account " +
    "must confirm its email before it can post. Returns a user token for the app.",
  security: [{ bearer: ["write:accounts"] }],
  middleware: [
    requireScope("write:accounts"),
    rateLimit({ binding: (env) => env.AUTH_RATE_LIMIT, key: (c) => `signup:${clientAddress(c)}`, periodSeconds: 60 }),
  ] as const,
  request: { body: formOrJson(registration) },
  responses: {
    200: { description: "A token for the new account", content: { "application/json": { schema: TokenSchema } } },
    401: errorResponse("No valid token"),
    403: errorResponse("The token lacks write:accounts"),
    422: errorResponse("A field failed validation, the agreement was not accepted, or the username is taken"),
    429: errorResponse("Too many requests"),
  },
});

export const accountRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(verifyCredentialsRoute, (c) => {
    const { viewer, origin } = c.var.scope;
    return c.json(presentCredentialAccount(viewer!.user, origin), 200);
  })
  .openapi(registerRoute, async (c) => {
    const params = bodyOf<z.infer<typeof registration>>(c);
    const { domain, origin, token } = c.var.scope;
    if (!params) return c.json({ error: "Validation failed: username, email and password are required" }, 422);
    if (!params.agreement) return c.json({ error: "Validation failed: you must accept the server's rules (agreement)" }, 422);
    if (!token?.app) return c.json({ error: "This method requires an app token" }, 403);
    const parsed = signupSchema.safeParse({ username: params.username, email: params.email, password: params.password });
    if (!parsed.success) {
      return c.json({ error: `Validation failed: ${parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`).join(", ")}` }, 422);
    }
    try {
      const result = await signUp(domain, parsed.data, origin);
      // An address already in use gets the same answer as an unusable one; its owner is emailed instead.
      if (result.kind !== "created") return c.json({ error: "Validation failed: that email address cannot be used" }, 422);
      return c.json(presentToken(await issueUserToken(domain, token.app, result.user.id, token.app.scopes.split(" "))), 200);
    } catch (error) {
      if (error instanceof DomainError) return c.json({ error: `Validation failed: ${error.message}` }, 422);
      throw error;
    }
  });
