import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  addToList,
  createList,
  deleteList,
  listMembersPage,
  listsContaining,
  listsOf,
  ownList,
  removeFromList,
  updateList,
} from "#domain/graph/lists.ts";
import { listRepliesPolicies } from "#db/schema/index.ts";
import { pageRequestSchema } from "#domain/pagination.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { bodyOf, booleanField, formOrJson } from "../body.ts";
import { AccountSchema, presentAccount } from "../entities/account.ts";
import { errorResponse } from "../entities/error.ts";
import { ListSchema, presentList } from "../entities/list.ts";
import { validationHook } from "../errors.ts";
import { sendPage } from "../link-header.ts";
import { idParam } from "../params.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const notFound = errorResponse("No such list of yours");

const listBody = z.object({
  title: z.string().optional(),
  replies_policy: z.enum(listRepliesPolicies).optional(),
  exclusive: booleanField.optional(),
});
const accountIds = z.object({
  account_ids: z.union([z.string(), z.array(z.string())]).transform((ids) => (Array.isArray(ids) ? ids : [ids])),
});

const route = (method: "get" | "post" | "put" | "delete", path: string, summary: string, extra: object) =>
  createRoute({ method, path, tags: ["Lists"], summary, ...extra } as Parameters<typeof createRoute>[0]);

/** Mastodon pages list members 40 at a time, up to 80, and `limit=0` means all of them. */
const listMembersQuery = pageRequestSchema.extend({
  limit: z.coerce
    .number({ message: "limit must be a whole number" })
    .int({ message: "limit must be a whole number" })
    .min(0, { message: "limit must be 0 (every member) or more" })
    .transform((limit) => Math.min(limit, 80))
    .default(40),
});

/** Account ids in the query (`account_ids[]=...`), as some clients send them with DELETE. */
const accountIdsQuery = z.object({
  "account_ids[]": z
    .union([z.string(), z.array(z.string())])
    .optional()
    .openapi({ description: "The accounts, when the body does not name them." }),
});

export const listRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

listRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v1/lists",
    operationId: "getLists",
    tags: ["Lists"],
    summary: "Your lists",
    description: "Every list you made, with its settings.",
    ...needs(["read:lists"]),
    responses: { 200: json(z.array(ListSchema), "Lists") },
  }),
  async (c) => c.json((await listsOf(c.var.scope.domain, userOf(c).id)).map(presentList), 200),
);

listRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/v1/lists",
    operationId: "createList",
    tags: ["Lists"],
    summary: "Create a list",
    description:
      "A title is required. `replies_policy` (default list) chooses which replies to others the list timeline shows; " +
      "`exclusive` keeps the list's members out of your home timeline, as on Mastodon.",
    ...needs(["write:lists"]),
    request: { body: formOrJson(listBody) },
    responses: { 200: json(ListSchema, "The new list"), 422: errorResponse("A missing title") },
  }),
  async (c) => {
    const body = bodyOf<z.infer<typeof listBody>>(c) ?? {};
    const list = await createList(c.var.scope.domain, userOf(c).id, {
      title: body.title ?? "",
      repliesPolicy: body.replies_policy,
      exclusive: body.exclusive,
    });
    return c.json(presentList(list), 200);
  },
);

listRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v1/lists/{id}",
    operationId: "getList",
    tags: ["Lists"],
    summary: "A list",
    description: "One of your lists; other people's lists are not found.",
    ...needs(["read:lists"]),
    request: { params: idParam },
    responses: { 200: json(ListSchema, "The list"), 404: notFound },
  }),
  async (c) => c.json(presentList(await ownList(c.var.scope.domain, userOf(c).id, c.req.valid("param").id)), 200),
);

listRoutes.openapi(
  createRoute({
    method: "put",
    path: "/api/v1/lists/{id}",
    operationId: "updateList",
    tags: ["Lists"],
    summary: "Rename a list or change its settings",
    description: "Only the fields sent change.",
    ...needs(["write:lists"]),
    request: { params: idParam, body: formOrJson(listBody) },
    responses: { 200: json(ListSchema, "The list afterwards"), 404: notFound, 422: errorResponse("An empty title") },
  }),
  async (c) => {
    const body = bodyOf<z.infer<typeof listBody>>(c) ?? {};
    const list = await updateList(c.var.scope.domain, userOf(c).id, c.req.valid("param").id, {
      title: body.title,
      repliesPolicy: body.replies_policy,
      exclusive: body.exclusive,
    });
    return c.json(presentList(list), 200);
  },
);

listRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/api/v1/lists/{id}",
    operationId: "deleteList",
    tags: ["Lists"],
    summary: "Delete a list",
    description: "The list goes; the accounts in it are not affected.",
    ...needs(["write:lists"]),
    request: { params: idParam },
    responses: { 200: json(z.object({}), "Deleted"), 404: notFound },
  }),
  async (c) => {
    await deleteList(c.var.scope.domain, userOf(c).id, c.req.valid("param").id);
    return c.json({}, 200);
  },
);

listRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v1/lists/{id}/accounts",
    operationId: "getListAccounts",
    tags: ["Lists"],
    summary: "The accounts in a list",
    description:
      "The members of one of your lists, the most recently added first, paginated with the Link header. Up to 80 a " +
      "page (40 unless `limit` says otherwise); `limit=0` returns every member at once.",
    ...needs(["read:lists"]),
    request: { params: idParam, query: listMembersQuery },
    responses: {
      200: json(z.array(AccountSchema), "Members"),
      404: notFound,
      400: errorResponse("A paging parameter is not a number"),
    },
  }),
  async (c) => {
    const list = await ownList(c.var.scope.domain, userOf(c).id, c.req.valid("param").id);
    return sendPage(c, await listMembersPage(c.var.scope.domain, list.id, c.req.valid("query")), presentAccount);
  },
);

for (const method of ["post", "delete"] as const) {
  listRoutes.openapi(
    route(method, "/api/v1/lists/{id}/accounts", method === "post" ? "Add accounts you follow to a list" : "Remove accounts from a list", {
      operationId: method === "post" ? "addListAccounts" : "removeListAccounts",
      description:
        method === "post"
          ? "Adds the accounts in `account_ids` (body or query); every one must be an account you follow, or nothing is added."
          : "Removes the accounts in `account_ids` (body or query); accounts not in the list are ignored.",
      ...needs(["write:lists"]),
      request: { params: idParam, query: accountIdsQuery, body: formOrJson(accountIds) },
      responses: { 200: json(z.object({}), "Done"), 404: notFound, 422: errorResponse("An account you do not follow") },
    }),
    async (c: Context<AppEnv>) => {
      const ids = bodyOf<z.infer<typeof accountIds>>(c)?.account_ids ?? c.req.queries("account_ids[]") ?? [];
      const change = method === "post" ? addToList : removeFromList;
      await change(c.var.scope.domain, userOf(c).id, c.req.param("id")!, ids);
      return c.json({}, 200);
    },
  );
}

listRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v1/accounts/{id}/lists",
    operationId: "getAccountLists",
    tags: ["Lists"],
    summary: "Your lists that contain an account",
    description: "Which of your lists the account {id} is in.",
    ...needs(["read:lists"]),
    request: { params: idParam },
    responses: { 200: json(z.array(ListSchema), "Lists") },
  }),
  async (c) => c.json((await listsContaining(c.var.scope.domain, userOf(c).id, c.req.valid("param").id)).map(presentList), 200),
);
