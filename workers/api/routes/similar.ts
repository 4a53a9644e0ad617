import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { MAX_SIMILAR_POSTS, similarPosts } from "#domain/recommendations/similar-posts.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { errorResponse } from "../entities/error.ts";
import { presentStatus, StatusSchema } from "../entities/status.ts";
import { validationHook } from "../errors.ts";
import { idParam } from "../params.ts";

const limitQuery = z.object({
  limit: z.coerce
    .number({ message: "limit must be a whole number" })
    .int({ message: "limit must be a whole number" })
    .min(1, { message: "limit must be at least 1" })
    .max(MAX_SIMILAR_POSTS, { message: `limit must be at most ${MAX_SIMILAR_POSTS}` })
    .default(10)
    .openapi({ description: `How many posts, at most ${MAX_SIMILAR_POSTS}.` }),
});

/** Perch's "more like this" (ADR 0039): not in Mastodon, so under /api/v1/perch. */
export const similarRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
  createRoute({
    method: "get",
    path: "/api/v1/perch/statuses/{id}/similar",
    operationId: "getSimilarStatuses",
    tags: ["Discovery"],
    summary: "More like this",
    description:
      "Public posts closest in content to a post you may see (a repost stands for its original), closest first, as you may " +
      "see them: blocked, muted and filtered-out accounts and non-discoverable authors are left out. Empty until the post " +
      "has been embedded, a few seconds after it is written. A post you may not see is not found.",
    request: { params: idParam, query: limitQuery },
    responses: {
      200: { description: "Similar posts", content: { "application/json": { schema: z.array(StatusSchema) } } },
      400: errorResponse("A malformed limit"),
      404: errorResponse("No such post, or you may not see it"),
    },
  }),
  async (c) => {
    const { domain, viewer, origin } = c.var.scope;
    const found = await similarPosts(domain, viewer?.user.id ?? null, c.req.valid("param").id, c.req.valid("query").limit);
    return c.json(
      found.map((post) => presentStatus(post, origin)),
      200,
    );
  },
);
