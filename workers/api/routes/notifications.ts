import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  clearNotifications,
  dismissNotification,
  dismissNotificationGroup,
  getNotification,
  getNotificationGroup,
  GROUPED_TYPES,
  isNotificationType,
  listNotificationGroups,
  listNotifications,
  unreadNotificationCount,
  UNREAD_COUNT_DEFAULT,
  UNREAD_COUNT_MAX,
  type NotificationFilter,
} from "#domain/notifications/inbox.ts";
import { pageRequestSchema } from "#domain/pagination.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { listField } from "../body.ts";
import { AccountSchema, presentAccount } from "../entities/account.ts";
import { errorResponse } from "../entities/error.ts";
import { GroupedNotificationsResultsSchema, NotificationSchema, presentGroups, presentNotification } from "../entities/notification.ts";
import { validationHook } from "../errors.ts";
import { paginationLinkHeader, sendPage } from "../link-header.ts";
import { idParam, queryBoolean } from "../params.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const notFound = errorResponse("No such notification of yours");
const linkHeader = z.object({ Link: z.string().optional().openapi({ description: "RFC 8288 links to the next and previous pages" }) });

/**
 * A list of notification kinds. Kinds Perch does not have (severed_relationships...) are accepted and
 * match nothing, as Mastodon ignores kinds it does not know: clients send their whole list.
 */
const typeList = (name: string, description: string) =>
  listField
    .pipe(z.array(z.string().max(64)).max(40))
    .optional()
    .openapi({ param: { name, in: "query", style: "form", explode: true }, description });

const filterQuery = z.object({
  "types[]": typeList("types[]", "Only these kinds."),
  "exclude_types[]": typeList("exclude_types[]", "Not these kinds."),
  account_id: z.string().min(1).max(64).optional().openapi({ description: "Only from this account." }),
  include_filtered: queryBoolean.openapi({ description: "Include the notifications your notification policy held back." }),
});

type FilterQuery = z.infer<typeof filterQuery>;

const filterOf = (query: FilterQuery): NotificationFilter => ({
  types: query["types[]"]?.filter(isNotificationType),
  excludeTypes: query["exclude_types[]"]?.filter(isNotificationType),
  accountId: query.account_id,
  includeFiltered: query.include_filtered,
});

const groupedQuery = filterQuery.extend({
  "grouped_types[]": typeList("grouped_types[]", "Kinds to group (default: favourite, reblog, reaction, follow)."),
  expand_accounts: z
    .enum(["full", "partial_avatars"])
    .optional()
    .openapi({ description: "Perch always answers full accounts in `accounts`; partial_avatars is accepted and answered the same way." }),
});

const groupedTypesOf = (query: z.infer<typeof groupedQuery>) =>
  query["grouped_types[]"] ? query["grouped_types[]"].filter(isNotificationType) : GROUPED_TYPES;

const unreadQuery = (extra: z.ZodRawShape) =>
  filterQuery.extend({
    limit: z.coerce
      .number({ message: "limit must be a whole number" })
      .int({ message: "limit must be a whole number" })
      .min(1, { message: "limit must be at least 1" })
      .transform((limit) => Math.min(limit, UNREAD_COUNT_MAX))
      .default(UNREAD_COUNT_DEFAULT)
      .openapi({ description: `At most this many are counted (default ${UNREAD_COUNT_DEFAULT}, at most ${UNREAD_COUNT_MAX}).` }),
    ...extra,
  });

const groupKeyParam = z.object({
  group_key: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: "group_key", in: "path" }, example: "favourite-115934812345678901" }),
});

const countSchema = z.object({ count: z.number().int() }).openapi("UnreadCount");

export const notificationRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      tags: ["Notifications"],
      method: "get",
      path: "/api/v1/notifications",
      operationId: "getNotifications",
      summary: "Your notifications",
      description: "Newest first, paginated with the Link header; notifications about posts you may no longer see are left out.",
      ...needs(["read:notifications"]),
      request: { query: pageRequestSchema.merge(filterQuery) },
      responses: {
        200: {
          description: "Notifications",
          headers: linkHeader,
          content: { "application/json": { schema: z.array(NotificationSchema) } },
        },
        400: errorResponse("A malformed parameter"),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      return sendPage(c, await listNotifications(c.var.scope.domain, userOf(c).id, query, filterOf(query)), presentNotification);
    },
  )
  .openapi(
    createRoute({
      tags: ["Notifications"],
      method: "get",
      path: "/api/v1/notifications/unread_count",
      operationId: "getUnreadNotificationCount",
      summary: "How many notifications are unread",
      description: "Those newer than your notifications marker (POST /api/v1/markers), up to `limit`.",
      ...needs(["read:notifications"]),
      request: { query: unreadQuery({}) },
      responses: { 200: json(countSchema, "The count"), 400: errorResponse("A malformed parameter") },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const count = await unreadNotificationCount(c.var.scope.domain, userOf(c).id, { limit: query.limit, filter: filterOf(query) });
      return c.json({ count }, 200);
    },
  )
  .openapi(
    createRoute({
      tags: ["Notifications"],
      method: "post",
      path: "/api/v1/notifications/clear",
      operationId: "clearNotifications",
      summary: "Dismiss all your notifications",
      description: "Deletes every notification you have; they do not come back.",
      ...needs(["write:notifications"]),
      responses: { 200: json(z.object({}), "Done") },
    }),
    async (c) => {
      await clearNotifications(c.var.scope.domain, userOf(c).id);
      return c.json({}, 200);
    },
  )
  .openapi(
    createRoute({
      tags: ["Notifications"],
      method: "get",
      path: "/api/v1/notifications/{id}",
      operationId: "getNotification",
      summary: "One notification",
      description: "One of yours, by id; anyone else's is not found.",
      ...needs(["read:notifications"]),
      request: { params: idParam },
      responses: { 200: json(NotificationSchema, "The notification"), 404: notFound },
    }),
    async (c) => {
      const item = await getNotification(c.var.scope.domain, userOf(c).id, c.req.valid("param").id);
      return c.json(presentNotification(item, c.var.scope.origin), 200);
    },
  )
  .openapi(
    createRoute({
      tags: ["Notifications"],
      method: "post",
      path: "/api/v1/notifications/{id}/dismiss",
      operationId: "dismissNotification",
      summary: "Dismiss one notification",
      description: "Deletes it. The answer is the same for one that is not yours or is gone, so ids reveal nothing.",
      ...needs(["write:notifications"]),
      request: { params: idParam },
      responses: { 200: json(z.object({}), "Done (also for one that is not yours or no longer exists)") },
    }),
    async (c) => {
      await dismissNotification(c.var.scope.domain, userOf(c).id, c.req.valid("param").id);
      return c.json({}, 200);
    },
  )
  .openapi(
    createRoute({
      tags: ["Notifications"],
      method: "get",
      path: "/api/v2/notifications",
      operationId: "getGroupedNotifications",
      summary: "Your notifications, grouped",
      description:
        "Mastodon 4.3's grouped notifications: likes, reposts and reactions of one post, and one day's follows, read as one " +
        "group (`grouped_types[]` chooses which kinds group). Paginated by notification id with the Link header.",
      ...needs(["read:notifications"]),
      request: { query: pageRequestSchema.merge(groupedQuery) },
      responses: {
        200: { description: "Groups", headers: linkHeader, content: { "application/json": { schema: GroupedNotificationsResultsSchema } } },
        400: errorResponse("A malformed parameter"),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const page = await listNotificationGroups(c.var.scope.domain, userOf(c).id, query, filterOf(query), groupedTypesOf(query));
      return sendJsonPage(c, page, presentGroups(page.items, c.var.scope.origin));
    },
  )
  .openapi(
    createRoute({
      tags: ["Notifications"],
      method: "get",
      path: "/api/v2/notifications/unread_count",
      operationId: "getUnreadNotificationGroupCount",
      summary: "How many notification groups are unread",
      description: "Groups with a notification newer than your notifications marker, up to `limit`.",
      ...needs(["read:notifications"]),
      request: { query: unreadQuery({ "grouped_types[]": groupedQuery.shape["grouped_types[]"] }) },
      responses: { 200: json(countSchema, "The count"), 400: errorResponse("A malformed parameter") },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const count = await unreadNotificationCount(c.var.scope.domain, userOf(c).id, {
        limit: query.limit,
        filter: filterOf(query),
        grouped: true,
      });
      return c.json({ count }, 200);
    },
  )
  .openapi(
    createRoute({
      tags: ["Notifications"],
      method: "get",
      path: "/api/v2/notifications/{group_key}",
      operationId: "getNotificationGroup",
      summary: "One notification group",
      description: "A group by its `group_key` (as in the grouped list), with its latest accounts and its status.",
      ...needs(["read:notifications"]),
      request: { params: groupKeyParam },
      responses: { 200: json(GroupedNotificationsResultsSchema, "The group"), 404: notFound },
    }),
    async (c) => {
      const group = await getNotificationGroup(c.var.scope.domain, userOf(c).id, c.req.valid("param").group_key);
      return c.json(presentGroups([group], c.var.scope.origin), 200);
    },
  )
  .openapi(
    createRoute({
      tags: ["Notifications"],
      method: "get",
      path: "/api/v2/notifications/{group_key}/accounts",
      operationId: "getNotificationGroupAccounts",
      summary: "The accounts of a notification group",
      description: "The latest accounts in the group (at most eight), newest first.",
      ...needs(["read:notifications"]),
      request: { params: groupKeyParam },
      responses: { 200: json(z.array(AccountSchema), "Accounts"), 404: notFound },
    }),
    async (c) => {
      const group = await getNotificationGroup(c.var.scope.domain, userOf(c).id, c.req.valid("param").group_key);
      return c.json(
        group.sampleAccounts.map((account) => presentAccount(account, c.var.scope.origin)),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      tags: ["Notifications"],
      method: "post",
      path: "/api/v2/notifications/{group_key}/dismiss",
      operationId: "dismissNotificationGroup",
      summary: "Dismiss a notification group",
      description: "Deletes every notification in the group.",
      ...needs(["write:notifications"]),
      request: { params: groupKeyParam },
      responses: { 200: json(z.object({}), "Done") },
    }),
    async (c) => {
      await dismissNotificationGroup(c.var.scope.domain, userOf(c).id, c.req.valid("param").group_key);
      return c.json({}, 200);
    },
  );

/** A page whose body is one object (the grouped results) rather than a list, with the same Link header. */
function sendJsonPage<T>(c: Context<AppEnv>, page: { older: string | null; newer: string | null }, body: T) {
  const link = paginationLinkHeader(c.req.url, c.var.scope.origin, page);
  if (link) c.header("Link", link);
  return c.json(body, 200);
}
