import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { filterActions, filterContexts } from "#db/schema/index.ts";
import {
  addFilterStatus,
  addKeyword,
  createFilter,
  deleteFilter,
  deleteFilterStatus,
  deleteKeyword,
  filtersOf,
  ownFilter,
  ownFilterStatus,
  ownKeyword,
  updateFilter,
  updateKeyword,
  type FilterInput,
} from "#domain/filters/filters.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { bodyOf, booleanField, formOrJson, listField } from "../body.ts";
import { errorResponse } from "../entities/error.ts";
import {
  FilterKeywordSchema,
  FilterSchema,
  FilterStatusSchema,
  presentFilter,
  presentFilterStatus,
  presentKeyword,
} from "../entities/filter.ts";
import { validationHook } from "../errors.ts";
import { idParam } from "../params.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const notFound = errorResponse("No such filter (or keyword, or post) of yours");
const invalid = errorResponse("A missing title or context, an unknown action, or an empty keyword");

/** Seconds, or empty for "never" (forms send an empty field to clear the expiry). */
const expiresIn = z
  .union([z.number(), z.string().regex(/^\d*$/, "expires_in must be a number of seconds")])
  .transform((value) => (value === "" ? null : Number(value)))
  .nullable()
  .openapi({ type: "integer", description: "Seconds until the filter expires; empty or null for never." });

const keywordAttributes = z.object({
  id: z.string().optional(),
  keyword: z.string().optional(),
  whole_word: booleanField.optional(),
  _destroy: booleanField.optional(),
});

const filterBody = z.object({
  title: z.string().optional(),
  context: listField.optional().openapi({ description: `Where it applies: ${filterContexts.join(", ")}.` }),
  filter_action: z.enum(filterActions).optional(),
  expires_in: expiresIn.optional(),
  keywords_attributes: z.array(keywordAttributes).optional(),
});
type FilterBody = z.infer<typeof filterBody>;

/** The body in the domain's terms; contexts are checked there (an unknown one is a 422). */
function filterInputOf(body: FilterBody): Partial<FilterInput> {
  return {
    ...(body.title !== undefined ? { title: body.title } : {}),
    ...(body.context !== undefined ? { contexts: body.context as FilterInput["contexts"] } : {}),
    ...(body.filter_action !== undefined ? { action: body.filter_action } : {}),
    ...(body.expires_in !== undefined ? { expiresIn: body.expires_in } : {}),
    ...(body.keywords_attributes
      ? {
          keywords: body.keywords_attributes.map((change) => ({
            id: change.id,
            keyword: change.keyword,
            wholeWord: change.whole_word,
            destroy: change._destroy ?? false,
          })),
        }
      : {}),
  };
}

const keywordBody = z.object({ keyword: z.string().optional(), whole_word: booleanField.optional() });
const statusBody = z.object({ status_id: z.string().optional() });

export const filterRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

filterRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v2/filters",
    operationId: "getFilters",
    tags: ["Filters"],
    summary: "Your filters",
    description: "Every filter you made, expired ones included, with their keywords and posts.",
    ...needs(["read:filters"]),
    responses: { 200: json(z.array(FilterSchema), "Filters") },
  }),
  async (c) => c.json((await filtersOf(c.var.scope.domain, userOf(c).id)).map(presentFilter), 200),
);

filterRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/v2/filters",
    operationId: "createFilter",
    tags: ["Filters"],
    summary: "Create a filter",
    description:
      "A title and at least one context are required. Matching posts are hidden (`hide`), shown behind a warning (`warn`, " +
      "the default) or with their media blurred (`blur`) in the contexts chosen.",
    ...needs(["write:filters"]),
    request: { body: formOrJson(filterBody) },
    responses: { 200: json(FilterSchema, "The new filter"), 422: invalid },
  }),
  async (c) => {
    const input = filterInputOf(bodyOf<FilterBody>(c) ?? {});
    const filter = await createFilter(c.var.scope.domain, userOf(c).id, { title: "", contexts: [], ...input });
    return c.json(presentFilter(filter), 200);
  },
);

filterRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v2/filters/{id}",
    operationId: "getFilter",
    tags: ["Filters"],
    summary: "A filter",
    description: "One of your filters; anyone else's is not found.",
    ...needs(["read:filters"]),
    request: { params: idParam },
    responses: { 200: json(FilterSchema, "The filter"), 404: notFound },
  }),
  async (c) => c.json(presentFilter(await ownFilter(c.var.scope.domain, userOf(c).id, c.req.valid("param").id)), 200),
);

filterRoutes.openapi(
  createRoute({
    method: "put",
    path: "/api/v2/filters/{id}",
    operationId: "updateFilter",
    tags: ["Filters"],
    summary: "Change a filter",
    description: "Only the fields sent change. `keywords_attributes` adds keywords, edits them (with `id`) or removes them (`_destroy`).",
    ...needs(["write:filters"]),
    request: { params: idParam, body: formOrJson(filterBody) },
    responses: { 200: json(FilterSchema, "The filter afterwards"), 404: notFound, 422: invalid },
  }),
  async (c) => {
    const input = filterInputOf(bodyOf<FilterBody>(c) ?? {});
    return c.json(presentFilter(await updateFilter(c.var.scope.domain, userOf(c).id, c.req.valid("param").id, input)), 200);
  },
);

filterRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/api/v2/filters/{id}",
    operationId: "deleteFilter",
    tags: ["Filters"],
    summary: "Delete a filter",
    description: "The filter goes with its keywords and posts.",
    ...needs(["write:filters"]),
    request: { params: idParam },
    responses: { 200: json(z.object({}), "Deleted"), 404: notFound },
  }),
  async (c) => {
    await deleteFilter(c.var.scope.domain, userOf(c).id, c.req.valid("param").id);
    return c.json({}, 200);
  },
);

filterRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v2/filters/{id}/keywords",
    operationId: "getFilterKeywords",
    tags: ["Filters"],
    summary: "A filter's keywords",
    description: "The words and phrases one of your filters matches.",
    ...needs(["read:filters"]),
    request: { params: idParam },
    responses: { 200: json(z.array(FilterKeywordSchema), "Keywords"), 404: notFound },
  }),
  async (c) => c.json((await ownFilter(c.var.scope.domain, userOf(c).id, c.req.valid("param").id)).keywords.map(presentKeyword), 200),
);

filterRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/v2/filters/{id}/keywords",
    operationId: "addFilterKeyword",
    tags: ["Filters"],
    summary: "Add a keyword to a filter",
    description: "`whole_word` (default true) matches the keyword only as a whole word.",
    ...needs(["write:filters"]),
    request: { params: idParam, body: formOrJson(keywordBody) },
    responses: { 200: json(FilterKeywordSchema, "The keyword"), 404: notFound, 422: invalid },
  }),
  async (c) => {
    const body = bodyOf<z.infer<typeof keywordBody>>(c) ?? {};
    const keyword = await addKeyword(c.var.scope.domain, userOf(c).id, c.req.valid("param").id, {
      keyword: body.keyword ?? "",
      wholeWord: body.whole_word,
    });
    return c.json(presentKeyword(keyword), 200);
  },
);

filterRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v2/filters/keywords/{id}",
    operationId: "getFilterKeyword",
    tags: ["Filters"],
    summary: "A filter keyword",
    description: "One keyword of one of your filters.",
    ...needs(["read:filters"]),
    request: { params: idParam },
    responses: { 200: json(FilterKeywordSchema, "The keyword"), 404: notFound },
  }),
  async (c) => c.json(presentKeyword(await ownKeyword(c.var.scope.domain, userOf(c).id, c.req.valid("param").id)), 200),
);

filterRoutes.openapi(
  createRoute({
    method: "put",
    path: "/api/v2/filters/keywords/{id}",
    operationId: "updateFilterKeyword",
    tags: ["Filters"],
    summary: "Change a filter keyword",
    description: "Only the fields sent change.",
    ...needs(["write:filters"]),
    request: { params: idParam, body: formOrJson(keywordBody) },
    responses: { 200: json(FilterKeywordSchema, "The keyword afterwards"), 404: notFound, 422: invalid },
  }),
  async (c) => {
    const body = bodyOf<z.infer<typeof keywordBody>>(c) ?? {};
    const keyword = await updateKeyword(c.var.scope.domain, userOf(c).id, c.req.valid("param").id, {
      keyword: body.keyword,
      wholeWord: body.whole_word,
    });
    return c.json(presentKeyword(keyword), 200);
  },
);

filterRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/api/v2/filters/keywords/{id}",
    operationId: "deleteFilterKeyword",
    tags: ["Filters"],
    summary: "Remove a keyword from a filter",
    description: "The filter stays.",
    ...needs(["write:filters"]),
    request: { params: idParam },
    responses: { 200: json(z.object({}), "Removed"), 404: notFound },
  }),
  async (c) => {
    await deleteKeyword(c.var.scope.domain, userOf(c).id, c.req.valid("param").id);
    return c.json({}, 200);
  },
);

filterRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v2/filters/{id}/statuses",
    operationId: "getFilterStatuses",
    tags: ["Filters"],
    summary: "A filter's posts",
    description: "The particular posts one of your filters matches.",
    ...needs(["read:filters"]),
    request: { params: idParam },
    responses: { 200: json(z.array(FilterStatusSchema), "Filtered posts"), 404: notFound },
  }),
  async (c) => c.json((await ownFilter(c.var.scope.domain, userOf(c).id, c.req.valid("param").id)).statuses.map(presentFilterStatus), 200),
);

filterRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/v2/filters/{id}/statuses",
    operationId: "addFilterStatus",
    tags: ["Filters"],
    summary: "Add a post to a filter",
    description: "A post you can see; one already in the filter is a 422.",
    ...needs(["write:filters"]),
    request: { params: idParam, body: formOrJson(statusBody) },
    responses: { 200: json(FilterStatusSchema, "The filtered post"), 404: notFound, 422: errorResponse("A missing or repeated post") },
  }),
  async (c) => {
    const body = bodyOf<z.infer<typeof statusBody>>(c) ?? {};
    if (!body.status_id) return c.json({ error: "status_id: is required" }, 422);
    const status = await addFilterStatus(c.var.scope.domain, userOf(c).id, c.req.valid("param").id, body.status_id);
    return c.json(presentFilterStatus(status), 200);
  },
);

filterRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v2/filters/statuses/{id}",
    operationId: "getFilterStatus",
    tags: ["Filters"],
    summary: "A filtered post",
    description: "One post of one of your filters.",
    ...needs(["read:filters"]),
    request: { params: idParam },
    responses: { 200: json(FilterStatusSchema, "The filtered post"), 404: notFound },
  }),
  async (c) => c.json(presentFilterStatus(await ownFilterStatus(c.var.scope.domain, userOf(c).id, c.req.valid("param").id)), 200),
);

filterRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/api/v2/filters/statuses/{id}",
    operationId: "deleteFilterStatus",
    tags: ["Filters"],
    summary: "Remove a post from a filter",
    description: "The filter stays.",
    ...needs(["write:filters"]),
    request: { params: idParam },
    responses: { 200: json(z.object({}), "Removed"), 404: notFound },
  }),
  async (c) => {
    await deleteFilterStatus(c.var.scope.domain, userOf(c).id, c.req.valid("param").id);
    return c.json({}, 200);
  },
);

/**
 * Mastodon deprecated filters v1 in 4.0; this server has only v2 (ADR 0041). Every v1 path answers 410 naming v2, so
 * an old client learns why instead of reading an empty list as "no filters".
 */
const v1Gone = (c: Context<AppEnv>) => c.json({ error: "Filters v1 are not supported here: use /api/v2/filters" }, 410);
filterRoutes.all("/api/v1/filters", v1Gone);
filterRoutes.all("/api/v1/filters/*", v1Gone);
