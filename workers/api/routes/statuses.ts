import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { pageRequestSchema } from "#domain/pagination.ts";
import { postContext, showPost } from "#domain/posts/thread.ts";
import { viewAccount } from "#domain/profiles/access.ts";
import { authorTimeline, profileVisibilitiesFor } from "#domain/timelines.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { errorResponse } from "../entities/error.ts";
import { presentStatus, StatusSchema } from "../entities/status.ts";
import { validationHook } from "../errors.ts";
import { sendStatusPage } from "../status-page.ts";

const idParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});
const notVisible = errorResponse("No such post, or you may not see it");

export const statusRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/statuses/{id}",
      tags: ["Statuses"],
      summary: "A post",
      request: { params: idParam },
      responses: { 200: { description: "The post", content: { "application/json": { schema: StatusSchema } } }, 404: notVisible },
    }),
    async (c) => {
      const { domain, viewer, origin } = c.var.scope;
      return c.json(presentStatus(await showPost(domain, viewer?.user.id ?? null, c.req.valid("param").id), origin), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/statuses/{id}/context",
      tags: ["Statuses"],
      summary: "The thread around a post",
      description: "Ancestors from the root down, descendants depth first; posts the viewer may not see are left out.",
      request: { params: idParam },
      responses: {
        200: {
          description: "Ancestors and descendants",
          content: {
            "application/json": {
              schema: z.object({ ancestors: z.array(StatusSchema), descendants: z.array(StatusSchema) }).openapi("Context"),
            },
          },
        },
        404: notVisible,
      },
    }),
    async (c) => {
      const { domain, viewer, origin } = c.var.scope;
      const thread = await postContext(domain, viewer?.user.id ?? null, c.req.valid("param").id);
      return c.json(
        {
          ancestors: thread.ancestors.map((view) => presentStatus(view, origin)),
          descendants: thread.descendants.map((view) => presentStatus(view, origin)),
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/accounts/{id}/statuses",
      tags: ["Statuses"],
      summary: "An account's posts",
      description: "Newest first, only those the viewer may see; paginated with the Link header.",
      request: { params: idParam, query: pageRequestSchema },
      responses: {
        200: { description: "Posts", content: { "application/json": { schema: z.array(StatusSchema) } } },
        404: errorResponse("No such account, or it blocks you"),
      },
    }),
    async (c) => {
      const { domain, viewer } = c.var.scope;
      const viewerId = viewer?.user.id ?? null;
      const view = await viewAccount(domain, viewerId, { id: c.req.valid("param").id });
      const posts =
        view.access.level === "full"
          ? await authorTimeline(
              domain,
              viewerId,
              view.account.id,
              profileVisibilitiesFor(viewerId, view.account.id, view.relationship),
              c.req.valid("query"),
            )
          : [];
      return sendStatusPage(c, posts);
    },
  );
