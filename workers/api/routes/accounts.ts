import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { messagePolicies, profileVisibilities } from "#db/schema/index.ts";
import { signUp, signupSchema } from "#domain/accounts/signup.ts";
import { issueUserToken } from "#domain/clients/tokens.ts";
import { DomainError } from "#domain/errors.ts";
import { pendingFollowRequests } from "#domain/graph/follows.ts";
import { setProfileImage } from "#domain/media/profile-images.ts";
import { viewAccount, viewAccounts, visibleProfile } from "#domain/profiles/access.ts";
import { updatePrivacy, updateProfile } from "#domain/profiles/settings.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { authRateLimit } from "#workers/platform/rate-limit.ts";
import { needs, userOf } from "../authentication.ts";
import { bodyOf, booleanField, fileBytes, fileField, formOrJson } from "../body.ts";
import { AccountSchema, CredentialAccountSchema, presentAccount, presentCredentialAccount } from "../entities/account.ts";
import { presentToken, TokenSchema } from "../entities/application.ts";
import { errorResponse } from "../entities/error.ts";
import { PerchVisibilitySchema } from "../entities/visibility.ts";
import { validationHook } from "../errors.ts";
import { idsQuery } from "../params.ts";

const verifyCredentialsRoute = createRoute({
  method: "get",
  path: "/api/v1/accounts/verify_credentials",
  operationId: "verifyAccountCredentials",
  tags: ["Accounts"],
  summary: "The signed-in user's account",
  description: "Your own account, with `source` (your settings as written: default visibility, bio, fields) and your role.",
  ...needs(["profile", "read:accounts"]),
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
  agreement: z
    .union([z.boolean(), z.enum(["true", "1", "false", "0"])])
    .transform((value) => value === true || value === "true" || value === "1"),
  locale: z.string().max(10).default("en"),
  reason: z.string().max(1000).optional(),
});

const registerRoute = createRoute({
  method: "post",
  path: "/api/v1/accounts",
  operationId: "registerAccount",
  tags: ["Accounts"],
  summary: "Register an account",
  description:
    "Needs an app token (client_credentials) with write:accounts. The same rules as the sign-up page apply; the account " +
    "must confirm its email before it can post. Returns a user token for the app. When registrations are closed the " +
    "answer is 403; when they need approval, `reason` is shown to the moderators and the token answers 403 until the " +
    "account is approved.",
  security: needs(["write:accounts"], { appOnly: true }).security,
  middleware: [...needs(["write:accounts"], { appOnly: true }).middleware, authRateLimit("signup")] as const,
  request: { body: formOrJson(registration) },
  responses: {
    200: { description: "A token for the new account", content: { "application/json": { schema: TokenSchema } } },
    401: errorResponse("No valid token"),
    403: errorResponse("The token lacks write:accounts, or registrations are closed"),
    422: errorResponse("A field failed validation, the agreement was not accepted, or the username or email is taken"),
    429: errorResponse("Too many requests"),
  },
});

const accountById = createRoute({
  method: "get",
  path: "/api/v1/accounts/{id}",
  operationId: "getAccount",
  tags: ["Accounts"],
  summary: "An account",
  description:
    "An account that has not blocked you. When its profile is closed to you (signed-in users or followers only), only " +
    "who it is remains: name, pictures and counts.",
  request: {
    params: z.object({
      id: z
        .string()
        .min(1)
        .max(64)
        .openapi({ param: { name: "id", in: "path" } }),
    }),
  },
  responses: {
    200: { description: "The account", content: { "application/json": { schema: AccountSchema } } },
    404: errorResponse("No such account, or it blocks you"),
  },
});

const accountsByIds = createRoute({
  method: "get",
  path: "/api/v1/accounts",
  operationId: "getAccounts",
  tags: ["Accounts"],
  summary: "Many accounts at once",
  description:
    "The accounts with these ids that exist and have not blocked you, in the order asked for, each as much as you may " +
    "see of it (as GET /api/v1/accounts/{id}); the others are left out, as Mastodon 4.3 answers.",
  request: { query: idsQuery },
  responses: {
    200: { description: "The accounts found", content: { "application/json": { schema: z.array(AccountSchema) } } },
    400: errorResponse("No id[], or an id that is not an id"),
    422: errorResponse("More ids than a batch may ask for"),
  },
});

const lookupRoute = createRoute({
  method: "get",
  path: "/api/v1/accounts/lookup",
  operationId: "lookupAccount",
  tags: ["Accounts"],
  summary: "Find an account by username",
  description: "`acct` is a username, in any case, with or without a leading @ and a domain; answered like GET /api/v1/accounts/{id}.",
  request: { query: z.object({ acct: z.string().min(1, "acct is required").max(200) }) },
  responses: {
    200: { description: "The account", content: { "application/json": { schema: AccountSchema } } },
    404: errorResponse("No such account, or it blocks you"),
  },
});

const credentialsUpdate = z
  .object({
    display_name: z.string().optional(),
    note: z.string().optional(),
    avatar: fileField.optional(),
    header: fileField.optional(),
    locked: booleanField.optional(),
    bot: booleanField.optional(),
    discoverable: booleanField.optional(),
    hide_collections: booleanField.optional(),
    "source[privacy]": PerchVisibilitySchema.optional().openapi({
      description: "The default visibility of new posts: Mastodon's four, or `friends` (Perch extension).",
    }),
    location: z.string().optional().openapi({ description: "Perch extension" }),
    website: z.string().optional().openapi({ description: "Perch extension" }),
    accent_color: z.string().optional().openapi({ description: "Perch extension: #rrggbb, or empty to reset" }),
    background: fileField.optional().openapi({ description: "Perch extension: the profile's background image" }),
    profile_visibility: z.enum(profileVisibilities).optional().openapi({ description: "Perch extension" }),
    message_policy: z
      .enum(messagePolicies)
      .optional()
      .openapi({
        description:
          "Perch extension: who may start a conversation with you or add you to a group. everyone (strangers as requests), " +
          "following (people you follow), nobody (no one, people you follow included; conversations you are in go on).",
      }),
  })
  .catchall(z.unknown())
  .openapi({ description: "Profile fields go as fields_attributes[0][name], fields_attributes[0][value] ... (up to 4)." });

const updateCredentialsRoute = createRoute({
  method: "patch",
  path: "/api/v1/accounts/update_credentials",
  operationId: "updateAccountCredentials",
  tags: ["Accounts"],
  summary: "Update your profile and settings",
  description: "Multipart (for avatar, header and background files), URL-encoded or JSON. Only the fields sent change.",
  ...needs(["write:accounts"]),
  request: { body: formOrJson(credentialsUpdate) },
  responses: {
    200: { description: "Your account afterwards", content: { "application/json": { schema: CredentialAccountSchema } } },
    413: errorResponse("An image is too large"),
    415: errorResponse("A file is not a supported image"),
    422: errorResponse("A field failed validation, or an image could not be read"),
  },
});

/** Mastodon sends profile fields as fields_attributes[i][name] / [value] (read as a list, see body.ts), or in JSON as a list or a numbered object. */
function profileFields(body: Record<string, unknown>): { name: string; value: string }[] | undefined {
  const fields = body.fields_attributes;
  if (fields === null || typeof fields !== "object") return undefined;
  return Object.values(fields as object).map((field: { name?: unknown; value?: unknown }) => ({
    name: String(field?.name ?? ""),
    value: String(field?.value ?? ""),
  }));
}

export const accountRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(verifyCredentialsRoute, async (c) => {
    const { origin, domain } = c.var.scope;
    const pending = await pendingFollowRequests(domain, userOf(c).id, { limit: 40 });
    return c.json(presentCredentialAccount(userOf(c), origin, pending.items.length), 200);
  })
  .openapi(lookupRoute, async (c) => {
    const { domain, origin, viewer } = c.var.scope;
    const username = c.req.valid("query").acct.replace(/^@/, "").split("@")[0]!;
    const view = await viewAccount(domain, viewer?.user.id ?? null, { username });
    return c.json(presentAccount(visibleProfile(view), origin), 200);
  })
  .openapi(updateCredentialsRoute, async (c) => {
    const { domain, origin, viewer } = c.var.scope;
    const body = bodyOf<z.infer<typeof credentialsUpdate>>(c) ?? {};
    const userId = viewer!.user.id;
    for (const kind of ["avatar", "header", "background"] as const) {
      const bytes = await fileBytes(body[kind]);
      if (bytes !== undefined) await setProfileImage(domain, userId, kind, bytes);
    }
    await updateProfile(domain, userId, {
      displayName: body.display_name,
      bio: body.note,
      location: body.location,
      website: body.website,
      accentColor: body.accent_color,
      bot: body.bot,
      fields: profileFields(body),
    });
    const user = await updatePrivacy(domain, userId, {
      locked: body.locked,
      discoverable: body.discoverable,
      hideCollections: body.hide_collections,
      defaultVisibility: body["source[privacy]"],
      profileVisibility: body.profile_visibility,
      messagePolicy: body.message_policy,
    });
    return c.json(presentCredentialAccount(user, origin), 200);
  })
  .openapi(registerRoute, async (c) => {
    const params = bodyOf<z.infer<typeof registration>>(c);
    const { domain, origin, token } = c.var.scope;
    if (!params) return c.json({ error: "Validation failed: username, email and password are required" }, 422);
    if (!params.agreement) return c.json({ error: "Validation failed: you must accept the server's rules (agreement)" }, 422);
    if (!token?.app) return c.json({ error: "This method requires an app token" }, 403);
    const parsed = signupSchema.safeParse({
      username: params.username,
      email: params.email,
      password: params.password,
      reason: params.reason ?? "",
    });
    if (!parsed.success) {
      return c.json(
        { error: `Validation failed: ${parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`).join(", ")}` },
        422,
      );
    }
    try {
      const result = await signUp(domain, parsed.data, origin);
      if (result.kind !== "created") return c.json({ error: "Validation failed: that email address cannot be used" }, 422);
      return c.json(presentToken(await issueUserToken(domain, token.app, result.user.id, token.app.scopes.split(" "))), 200);
    } catch (error) {
      if (error instanceof DomainError && error.code === "registrations_closed") return c.json({ error: error.message }, 403);
      if (error instanceof DomainError) return c.json({ error: `Validation failed: ${error.message}` }, 422);
      throw error;
    }
  })
  .openapi(accountsByIds, async (c) => {
    const { domain, origin, viewer } = c.var.scope;
    const views = await viewAccounts(domain, viewer?.user.id ?? null, c.req.valid("query")["id[]"]);
    return c.json(
      views.map((view) => presentAccount(visibleProfile(view), origin)),
      200,
    );
  })
  .openapi(accountById, async (c) => {
    const { domain, origin, viewer } = c.var.scope;
    const view = await viewAccount(domain, viewer?.user.id ?? null, { id: c.req.valid("param").id });
    return c.json(presentAccount(visibleProfile(view), origin), 200);
  });
