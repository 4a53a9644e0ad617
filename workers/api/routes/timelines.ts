import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { pageRequestSchema } from "#domain/pagination.ts";
import { publicTimeline, tagTimeline } from "#domain/timelines.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { errorResponse } from "../entities/error.ts";
import { StatusSchema } from "../entities/status.ts";
import { sendStatusPage } from "../status-page.ts";
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

const tagTimelineRoute = createRoute({
  method: "get",
  path: "/api/v1/timelines/tag/{hashtag}",
  tags: ["Timelines"],
  summary: "Hashtag timeline",
  description: "Public posts with the hashtag (any case), newest first, paginated like the public timeline.",
  request: {
    params: z.object({
      hashtag: z
        .string()
        .min(1)
        .max(200)
        .openapi({ param: { name: "hashtag", in: "path" }, example: "birds" }),
    }),
    query: pageRequestSchema.extend({ local: queryBoolean, remote: queryBoolean }),
  },
  responses: publicTimelineRoute.responses,
});

export const timelineRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(publicTimelineRoute, async (c) => {
    const { scope } = c.var;
    const query = c.req.valid("query");
    const views = query.remote ? [] : await publicTimeline(scope.domain, scope.viewer?.user.id ?? null, query);
    return sendStatusPage(c, views);
  })
  .openapi(tagTimelineRoute, async (c) => {
    const { scope } = c.var;
    const query = c.req.valid("query");
    const tag = decodeURIComponent(c.req.valid("param").hashtag).replace(/^#/, "");
    const views = query.remote ? [] : await tagTimeline(scope.domain, scope.viewer?.user.id ?? null, tag, query);
    return sendStatusPage(c, views);
  });
