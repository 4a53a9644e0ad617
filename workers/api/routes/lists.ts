import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  addToList,
  createList,
  deleteList,
  listMembersOf,
  listsContaining,
  listsOf,
  ownList,
  removeFromList,
  updateList,
} from "#domain/graph/lists.ts";
import { listRepliesPolicies } from "#db/schema/index.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { bodyOf, booleanField, formOrJson } from "../body.ts";
import { AccountSchema, presentAccount } from "../entities/account.ts";
import { errorResponse } from "../entities/error.ts";
import { ListSchema, presentList } from "../entities/list.ts";
import { validationHook } from "../errors.ts";
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

export const listRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

listRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v1/lists",
    tags: ["Lists"],
    summary: "Your lists",
    ...needs(["read:lists"]),
    responses: { 200: json(z.array(ListSchema), "Lists") },
  }),
  async (c) => c.json((await listsOf(c.var.scope.domain, userOf(c).id)).map(presentList), 200),
);

listRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/v1/lists",
    tags: ["Lists"],
    summary: "Create a list",
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
    tags: ["Lists"],
    summary: "A list",
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
    tags: ["Lists"],
    summary: "Rename a list or change its settings",
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
    tags: ["Lists"],
    summary: "Delete a list",
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
    tags: ["Lists"],
    summary: "The accounts in a list",
    ...needs(["read:lists"]),
    request: { params: idParam },
    responses: { 200: json(z.array(AccountSchema), "Members"), 404: notFound },
  }),
  async (c) => {
    const list = await ownList(c.var.scope.domain, userOf(c).id, c.req.valid("param").id);
    return c.json(
      (await listMembersOf(c.var.scope.domain, list.id)).map((account) => presentAccount(account, c.var.scope.origin)),
      200,
    );
  },
);

for (const method of ["post", "delete"] as const) {
  listRoutes.openapi(
    route(method, "/api/v1/lists/{id}/accounts", method === "post" ? "Add accounts you follow to a list" : "Remove accounts from a list", {
      ...needs(["write:lists"]),
      request: { params: idParam, body: formOrJson(accountIds) },
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
    tags: ["Lists"],
    summary: "Your lists that contain an account",
    ...needs(["read:lists"]),
    request: { params: idParam },
    responses: { 200: json(z.array(ListSchema), "Lists") },
  }),
  async (c) => c.json((await listsContaining(c.var.scope.domain, userOf(c).id, c.req.valid("param").id)).map(presentList), 200),
);
