import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { emptyPage, pageRequestSchema } from "#domain/pagination.ts";
import { accountDetail, approveSignUp, deleteAccountAsAdmin, rejectSignUp, searchAccounts, unlimit } from "#domain/moderation/accounts.ts";
import { moderate } from "#domain/moderation/actions.ts";
import type { AppEnv, RequestScope } from "#workers/platform/request-scope.ts";
import { needs } from "../authentication.ts";
import { bodyOf, booleanField, formOrJson } from "../body.ts";
import { AdminAccountSchema, presentAdminAccount } from "../entities/admin-account.ts";
import { errorResponse } from "../entities/error.ts";
import { apiError, validationHook } from "../errors.ts";
import { sendPage } from "../link-header.ts";
import { idParam } from "../params.ts";

const linkHeader = z.object({ Link: z.string().optional().openapi({ description: "RFC 8288 links to the next and previous pages" }) });

/**
 * Mastodon refuses nothing it does not know, but Perch promises a clear 4xx instead of a silently ignored parameter:
 * a query parameter the route does not declare (access_token apart) is a 400.
 */
export function unknownQuery(c: Context<AppEnv>, declared: z.ZodObject): Response | undefined {
  const known = new Set([...Object.keys(declared.shape), "access_token"]);
  const unknown = Object.keys(c.req.queries()).filter((name) => !known.has(name));
  return unknown.length > 0 ? apiError(c, 400, `Unknown parameter: ${unknown.join(", ")}`) : undefined;
}

const listQuery = pageRequestSchema.extend({
  origin: z.enum(["local", "remote"]).optional().openapi({ description: "remote lists nothing: this server has no remote accounts." }),
  status: z.enum(["active", "pending", "disabled", "silenced", "suspended"]).optional(),
  permissions: z.enum(["staff"]).optional().openapi({ description: "staff: moderators and admins only." }),
  username: z.string().max(100).optional().openapi({ description: "Part of the username." }),
  display_name: z.string().max(100).optional().openapi({ description: "Part of the display name." }),
  email: z.string().max(320).optional().openapi({ description: "Part of the email address (admins only: 403 for moderators)." }),
  ip: z.string().max(64).optional().openapi({ description: "An address the account signed in from (admins only)." }),
});

const accountResponses = {
  200: { description: "The account", content: { "application/json": { schema: AdminAccountSchema } } },
  401: errorResponse("No valid token"),
  403: errorResponse("The token lacks the scope, or its user is not a moderator (or, where said, an admin)"),
  404: errorResponse("No such account"),
};

const listRoute = createRoute({
  method: "get",
  path: "/api/v2/admin/accounts",
  operationId: "adminListAccounts",
  tags: ["Admin"],
  summary: "Search accounts (moderators)",
  description:
    "Accounts newest first, filtered, a page at a time with Link headers (`limit` up to 40). Email and IP filters, and " +
    "the email and addresses in the answer, are for admins only. Unknown parameters are refused with a 400.",
  ...needs(["admin:read:accounts"]),
  request: { query: listQuery },
  responses: {
    200: { description: "Accounts", headers: linkHeader, content: { "application/json": { schema: z.array(AdminAccountSchema) } } },
    400: errorResponse("An unknown parameter or a malformed value"),
    401: errorResponse("No valid token"),
    403: errorResponse("The token lacks admin:read:accounts, or its user is not a moderator"),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/api/v1/admin/accounts/{id}",
  operationId: "adminGetAccount",
  tags: ["Admin"],
  summary: "An account (moderators)",
  description: "Its standing, role and profile; its email and the addresses it used for admins only.",
  ...needs(["admin:read:accounts"]),
  request: { params: idParam },
  responses: accountResponses,
});

const actionBody = z.object({
  type: z.enum(["none", "sensitive", "disable", "silence", "suspend"]).openapi({
    description:
      "none (a warning); sensitive (all the account's media marked sensitive, now and from now on); disable (no log-in, " +
      "sessions and tokens revoked, the profile stays); silence (limit: only followers see the account); suspend.",
  }),
  report_id: z.string().max(64).optional().openapi({ description: "A report this action resolves." }),
  warning_preset_id: z.string().max(64).optional().openapi({ description: "Refused with a 422: this server has no warning presets." }),
  text: z.string().max(1000).optional().openapi({ description: "The reason, shown to the account (except for silence)." }),
  send_email_notification: booleanField
    .optional()
    .openapi({ description: "Accepted; the account is told in its notifications, and by email as its preferences say." }),
});

const actionRoute = createRoute({
  method: "post",
  path: "/api/v1/admin/accounts/{id}/action",
  operationId: "adminAccountAction",
  tags: ["Admin"],
  summary: "Act on an account (moderators)",
  description: "Recorded in the audit log. Returns an empty object, as Mastodon does.",
  ...needs(["admin:write:accounts"]),
  request: { params: idParam, body: formOrJson(actionBody) },
  responses: {
    200: { description: "Done", content: { "application/json": { schema: z.object({}) } } },
    401: errorResponse("No valid token"),
    403: errorResponse("The token lacks admin:write:accounts, or its user is not a moderator"),
    404: errorResponse("No such account or report"),
    422: errorResponse("A missing type, or a warning preset"),
  },
});

const simpleAction = (path: string, operationId: string, summary: string, description: string, method: "post" | "delete" = "post") =>
  createRoute({
    method,
    path,
    operationId,
    tags: ["Admin"],
    summary,
    description,
    ...needs(["admin:write:accounts"]),
    request: { params: idParam },
    responses: { ...accountResponses, 422: errorResponse("The account is not in a state this applies to") },
  });

const approveRoute = simpleAction(
  "/api/v1/admin/accounts/{id}/approve",
  "adminApproveAccount",
  "Approve a pending sign-up",
  "The account can sign in from now on; 404 when it is not waiting for approval.",
);
const rejectRoute = simpleAction(
  "/api/v1/admin/accounts/{id}/reject",
  "adminRejectAccount",
  "Reject a pending sign-up",
  "Deletes the account; 404 when it is not waiting for approval. Returns the account as it was.",
);
const unsuspendRoute = simpleAction(
  "/api/v1/admin/accounts/{id}/unsuspend",
  "adminUnsuspendAccount",
  "Lift a suspension",
  "Recorded in the audit log.",
);
const unsilenceRoute = simpleAction(
  "/api/v1/admin/accounts/{id}/unsilence",
  "adminUnsilenceAccount",
  "Lift a limit (silence)",
  "422 when the account is not limited.",
);
const enableRoute = simpleAction(
  "/api/v1/admin/accounts/{id}/enable",
  "adminEnableAccount",
  "Enable a disabled log-in",
  "The account can sign in again. Recorded in the audit log.",
);
const unsensitiveRoute = simpleAction(
  "/api/v1/admin/accounts/{id}/unsensitive",
  "adminUnsensitiveAccount",
  "Stop marking an account's media sensitive",
  "What it writes from now on is sensitive as it chooses; what was marked stays marked. Recorded in the audit log.",
);
const deleteRoute = simpleAction(
  "/api/v1/admin/accounts/{id}",
  "adminDeleteAccount",
  "Delete an account (admins)",
  "Deletes the account and everything it owns, for good. Admins only. Returns the account as it was.",
  "delete",
);

/** Lifts a restriction (recorded in the audit log) and answers with the account as it is now. */
async function liftAndShow(scope: RequestScope, id: string, command: "unsuspend" | "enable" | "unsensitize", reason: string) {
  await moderate(scope.domain, { command, accountId: id, reason });
  return presentAdminAccount((await accountDetail(scope.domain, id)).account, scope.origin);
}

export const adminAccountRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(listRoute, async (c) => {
    const refused = unknownQuery(c, listQuery);
    if (refused) return refused as never;
    const { domain } = c.var.scope;
    const query = c.req.valid("query");
    const { origin: from, status, permissions, username, display_name, email, ip, ...page } = query;
    const nothing = from === "remote";
    const found = nothing
      ? emptyPage<never>()
      : await searchAccounts(
          domain,
          {
            status: status === "silenced" ? "limited" : status,
            staff: permissions === "staff",
            username,
            displayName: display_name,
            email,
            ip,
          },
          page,
        );
    return sendPage(c, found, presentAdminAccount);
  })
  .openapi(getRoute, async (c) => {
    const { domain, origin } = c.var.scope;
    const detail = await accountDetail(domain, c.req.valid("param").id);
    return c.json(presentAdminAccount(detail.account, origin), 200);
  })
  .openapi(actionRoute, async (c) => {
    const { domain } = c.var.scope;
    const body = bodyOf<z.infer<typeof actionBody>>(c);
    if (!body?.type) return c.json({ error: "type: is required" }, 422);
    if (body.warning_preset_id) return c.json({ error: "warning_preset_id: this server has no warning presets" }, 422);
    const command = ({ none: "warn", sensitive: "sensitize", disable: "disable", silence: "limit", suspend: "suspend" } as const)[
      body.type
    ];
    await moderate(domain, {
      command,
      accountId: c.req.valid("param").id,
      reportId: body.report_id ?? null,
      reason: body.text?.trim() || "A moderator took this action without giving a reason.",
    });
    return c.json({}, 200);
  })
  .openapi(approveRoute, async (c) => {
    const { domain, origin } = c.var.scope;
    const { id } = c.req.valid("param");
    await approveSignUp(domain, id);
    return c.json(presentAdminAccount((await accountDetail(domain, id)).account, origin), 200);
  })
  .openapi(rejectRoute, async (c) => {
    const { domain, origin } = c.var.scope;
    const { id } = c.req.valid("param");
    const before = await accountDetail(domain, id);
    await rejectSignUp(domain, id);
    return c.json(presentAdminAccount(before.account, origin), 200);
  })
  .openapi(unsuspendRoute, async (c) =>
    c.json(await liftAndShow(c.var.scope, c.req.valid("param").id, "unsuspend", "Suspension lifted through the admin API."), 200),
  )
  .openapi(enableRoute, async (c) =>
    c.json(await liftAndShow(c.var.scope, c.req.valid("param").id, "enable", "Log-in enabled through the admin API."), 200),
  )
  .openapi(unsensitiveRoute, async (c) =>
    c.json(
      await liftAndShow(c.var.scope, c.req.valid("param").id, "unsensitize", "Media no longer marked sensitive, through the admin API."),
      200,
    ),
  )
  .openapi(unsilenceRoute, async (c) => {
    const { domain, origin } = c.var.scope;
    const { id } = c.req.valid("param");
    await unlimit(domain, id, "Limit lifted through the admin API.");
    return c.json(presentAdminAccount((await accountDetail(domain, id)).account, origin), 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { domain, origin } = c.var.scope;
    const { id } = c.req.valid("param");
    const before = await accountDetail(domain, id);
    await deleteAccountAsAdmin(domain, id, "Deleted through the admin API.");
    return c.json(presentAdminAccount(before.account, origin), 200);
  });
