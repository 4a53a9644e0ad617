import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { pageRequestSchema } from "#domain/pagination.ts";
import { publicTimeline } from "#domain/timelines.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { errorResponse } from "../entities/error.ts";
import { presentStatus, StatusSchema } from "../entities/status.ts";
import { paginationLinkHeader } from "../link-header.ts";
import { validationHook } from "../errors.ts";

const queryBoolean = z
  .enum(["true", "false", "1", "0"], { message: "must be true or false" })
  .transform((value) => value === "true" || value === "1")
  .optional();

const publicTimelineRoute = createRoute({
  method: "get",
  path: "/api/v1/timelines/public",
  tags: ["Timelines"],
  summary: "Public timeline",
  description:
    "Public posts from everyone on this server, newest first. Replies appear only when they continue the author's own " +
    "thread. Paginate with the Link header (next = older, prev = newer).",
  request: {
    query: pageRequestSchema.extend({
      local: queryBoolean.openapi({ description: "Only this server's posts: all of Perch's posts are local." }),
      remote: queryBoolean.openapi({ description: "Only other servers' posts: Perch does not federate, so none." }),
    }),
  },
  responses: {
    200: {
      description: "Statuses, newest first",
      headers: z.object({ Link: z.string().optional().openapi({ description: "RFC 8288 links to the next and previous pages" }) }),
      content: { "application/json": { schema: z.array(StatusSchema) } },
    },
    400: errorResponse("A malformed or out-of-range parameter"),
  },
});

export const timelineRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(publicTimelineRoute, async (c) => {
  const { scope } = c.var;
  const query = c.req.valid("query");
  const views = query.remote ? [] : await publicTimeline(scope.domain, scope.viewer?.user.id ?? null, query);
  const link = paginationLinkHeader(c.req.url, scope.origin, views.map((view) => view.post.id));
  if (link) c.header("Link", link);
  return c.json(
    views.map((view) => presentStatus(view, scope.origin)),
    200,
  );
});
