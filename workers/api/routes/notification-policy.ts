import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { pageRequestSchema } from "#domain/pagination.ts";
import {
  acceptRequests,
  dismissRequests,
  getRequest,
  listRequests,
  policyUpdateSchema,
  readPolicy,
  updatePolicy,
  type ShownRequest,
} from "#domain/notifications/policy.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { bodyOf, formOrJson, listField } from "../body.ts";
import { AccountSchema, presentAccount } from "../entities/account.ts";
import { errorResponse } from "../entities/error.ts";
import { presentStatus, StatusSchema } from "../entities/status.ts";
import { validationHook } from "../errors.ts";
import { sendPage } from "../link-header.ts";
import { idParam } from "../params.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const action = z.enum(["accept", "filter", "drop"]);

const PolicySchema = z
  .object({
    for_not_following: action,
    for_not_followers: action,
    for_new_accounts: action,
    for_private_mentions: action,
    for_limited_accounts: action.openapi({
      description: "Senders a moderator limited, unless you follow them.",
    }),
    summary: z.object({ pending_requests_count: z.number().int(), pending_notifications_count: z.number().int() }),
  })
  .openapi("NotificationPolicy", { description: "What happens to notifications from each kind of sender (Mastodon 4.3)." });

const RequestSchema = z
  .object({
    id: z.string(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    account: AccountSchema,
    notifications_count: z.string().openapi({ description: "How many notifications it holds (a string, as Mastodon sends it)." }),
    last_status: StatusSchema.optional(),
  })
  .openapi("NotificationRequest");

async function policyEntity(c: { var: AppEnv["Variables"] }, userId: string) {
  const policy = await readPolicy(c.var.scope.domain, userId);
  return {
    for_not_following: policy.forNotFollowing,
    for_not_followers: policy.forNotFollowers,
    for_new_accounts: policy.forNewAccounts,
    for_private_mentions: policy.forPrivateMentions,
    for_limited_accounts: policy.forLimitedAccounts,
    summary: { pending_requests_count: policy.pendingRequests, pending_notifications_count: policy.pendingNotifications },
  };
}

function presentRequest(request: ShownRequest, origin: string): z.infer<typeof RequestSchema> {
  return {
    id: request.id,
    created_at: request.createdAt.toISOString(),
    updated_at: request.updatedAt.toISOString(),
    account: presentAccount(request.account, origin),
    notifications_count: String(request.notificationsCount),
    ...(request.lastPost ? { last_status: presentStatus(request.lastPost, origin) } : {}),
  };
}

const idsBody = z.object({ id: listField.pipe(z.array(z.string().min(1).max(64)).min(1, "Send id[]").max(100)) });
const notFound = errorResponse("No such request of yours");

/** Routed before /api/v1/notifications/{id} and /api/v2/notifications/{group_key}, whose parameters would match. */
export const notificationPolicyRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v2/notifications/policy",
      operationId: "getNotificationPolicy",
      tags: ["Notifications"],
      summary: "Your notification policy",
      description: "What happens to notifications from people you do not follow, who do not follow you, and so on; with how many wait.",
      ...needs(["read:notifications"]),
      responses: { 200: json(PolicySchema, "The policy") },
    }),
    async (c) => c.json(await policyEntity(c, userOf(c).id), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/api/v2/notifications/policy",
      operationId: "updateNotificationPolicy",
      tags: ["Notifications"],
      summary: "Change your notification policy",
      description: "Each field is accept, filter (held in a request) or drop; the fields not sent keep their value.",
      ...needs(["write:notifications"]),
      request: { body: formOrJson(policyUpdateSchema) },
      responses: { 200: json(PolicySchema, "The policy afterwards"), 422: errorResponse("A value other than accept, filter or drop") },
    }),
    async (c) => {
      await updatePolicy(c.var.scope.domain, userOf(c).id, bodyOf<z.input<typeof policyUpdateSchema>>(c) ?? {});
      return c.json(await policyEntity(c, userOf(c).id), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/notifications/requests",
      operationId: "getNotificationRequests",
      tags: ["Notifications"],
      summary: "Notification requests",
      description: "Senders whose notifications your policy held back, newest first, paginated with the Link header.",
      ...needs(["read:notifications"]),
      request: { query: pageRequestSchema },
      responses: { 200: json(z.array(RequestSchema), "Requests"), 400: errorResponse("A malformed parameter") },
    }),
    async (c) => sendPage(c, await listRequests(c.var.scope.domain, userOf(c).id, c.req.valid("query")), presentRequest),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/notifications/requests/merged",
      operationId: "getNotificationRequestsMerged",
      tags: ["Notifications"],
      summary: "Whether accepted requests are merged",
      description: "Accepting a request merges its notifications at once, so this is always true.",
      ...needs(["read:notifications"]),
      responses: { 200: json(z.object({ merged: z.boolean() }), "Always merged") },
    }),
    (c) => c.json({ merged: true }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/notifications/requests/{id}",
      operationId: "getNotificationRequest",
      tags: ["Notifications"],
      summary: "One notification request",
      description: "One of your requests, with the sender and the latest post held.",
      ...needs(["read:notifications"]),
      request: { params: idParam },
      responses: { 200: json(RequestSchema, "The request"), 404: notFound },
    }),
    async (c) =>
      c.json(presentRequest(await getRequest(c.var.scope.domain, userOf(c).id, c.req.valid("param").id), c.var.scope.origin), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/api/v1/notifications/requests/{id}/{decision}",
      operationId: "decideNotificationRequest",
      tags: ["Notifications"],
      summary: "Accept or dismiss a notification request",
      description:
        "accept: its notifications join your list and the sender's later ones pass your policy. dismiss: the request and " +
        "what it held are deleted.",
      ...needs(["write:notifications"]),
      request: { params: idParam.extend({ decision: z.enum(["accept", "dismiss"]).openapi({ param: { name: "decision", in: "path" } }) }) },
      responses: { 200: json(z.object({}), "Done"), 404: notFound },
    }),
    async (c) => {
      const { id, decision } = c.req.valid("param");
      await (decision === "accept" ? acceptRequests : dismissRequests)(c.var.scope.domain, userOf(c).id, [id]);
      return c.json({}, 200);
    },
  );

for (const decision of ["accept", "dismiss"] as const) {
  notificationPolicyRoutes.openapi(
    createRoute({
      method: "post",
      path: `/api/v1/notifications/requests/${decision}`,
      operationId: `${decision}NotificationRequests`,
      tags: ["Notifications"],
      summary: `${decision === "accept" ? "Accept" : "Dismiss"} several notification requests`,
      description: "The requests named by `id[]` (at most 100), as one by one.",
      ...needs(["write:notifications"]),
      request: { body: formOrJson(idsBody) },
      responses: { 200: json(z.object({}), "Done"), 404: notFound, 422: errorResponse("No id[]") },
    }),
    async (c) => {
      const { id } = idsBody.parse(bodyOf(c) ?? {});
      await (decision === "accept" ? acceptRequests : dismissRequests)(c.var.scope.domain, userOf(c).id, id);
      return c.json({}, 200);
    },
  );
}
