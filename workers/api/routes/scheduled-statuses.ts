import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { deleteDraft, draftsPage, ownDraft, reschedule } from "#domain/posts/drafts.ts";
import { pageRequestSchema } from "#domain/pagination.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { bodyOf, formOrJson } from "../body.ts";
import { errorResponse } from "../entities/error.ts";
import { presentScheduledStatus, ScheduledStatusSchema } from "../entities/scheduled-status.ts";
import { validationHook } from "../errors.ts";
import { sendPage } from "../link-header.ts";
import { idParam } from "../params.ts";
import { newStatus } from "./statuses.ts";

/** Posts waiting for their time (POST /api/v1/statuses with scheduled_at makes them): list, read, move, cancel. */
const scheduled = { description: "The scheduled post", content: { "application/json": { schema: ScheduledStatusSchema } } };
const notYours = errorResponse("No scheduled post of yours with this id");
const publishing = errorResponse("It is being published right now");

export const scheduledStatusRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

scheduledStatusRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v1/scheduled_statuses",
    operationId: "getScheduledStatuses",
    tags: ["Scheduled statuses"],
    summary: "Your scheduled posts",
    description: "Newest first. A scheduled post that could not be published at its time goes back to your drafts, with the reason.",
    ...needs(["read:statuses"]),
    request: { query: pageRequestSchema },
    responses: {
      200: { description: "Link-paginated", content: { "application/json": { schema: z.array(ScheduledStatusSchema) } } },
    },
  }),
  async (c) => {
    return sendPage(c, await draftsPage(c.var.scope.domain, userOf(c).id, "scheduled", c.req.valid("query")), presentScheduledStatus);
  },
);

scheduledStatusRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v1/scheduled_statuses/{id}",
    operationId: "getScheduledStatus",
    tags: ["Scheduled statuses"],
    summary: "One of your scheduled posts",
    description: "Your own scheduled posts only; anyone else's is not found.",
    ...needs(["read:statuses"]),
    request: { params: idParam },
    responses: { 200: scheduled, 404: notYours },
  }),
  async (c) => {
    const { domain, origin } = c.var.scope;
    return c.json(presentScheduledStatus(await ownDraft(domain, userOf(c).id, c.req.valid("param").id, "scheduled"), origin), 200);
  },
);

const moveBody = z.object({ scheduled_at: newStatus.shape.scheduled_at });

scheduledStatusRoutes.openapi(
  createRoute({
    method: "put",
    path: "/api/v1/scheduled_statuses/{id}",
    operationId: "updateScheduledStatus",
    tags: ["Scheduled statuses"],
    summary: "Publish a scheduled post at another time",
    description: "The post is checked again, as it was when it was scheduled.",
    ...needs(["write:statuses"]),
    request: { params: idParam, body: formOrJson(moveBody) },
    responses: {
      200: scheduled,
      404: notYours,
      409: publishing,
      422: errorResponse("No time, too soon, over the limits, or the post can no longer be published"),
    },
  }),
  async (c) => {
    const { domain, origin } = c.var.scope;
    const at = bodyOf<z.infer<typeof moveBody>>(c)?.scheduled_at;
    if (!at) return c.json({ error: "Validation failed: scheduled_at is required" }, 422);
    return c.json(presentScheduledStatus(await reschedule(domain, c.req.valid("param").id, at, "scheduled"), origin), 200);
  },
);

scheduledStatusRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/api/v1/scheduled_statuses/{id}",
    operationId: "deleteScheduledStatus",
    tags: ["Scheduled statuses"],
    summary: "Cancel a scheduled post",
    description: "Its uploads become plain uploads again, and are removed a day after they were uploaded unless a post uses them.",
    ...needs(["write:statuses"]),
    request: { params: idParam },
    responses: {
      200: { description: "Cancelled", content: { "application/json": { schema: z.object({}) } } },
      404: notYours,
      409: publishing,
    },
  }),
  async (c) => {
    await deleteDraft(c.var.scope.domain, userOf(c).id, c.req.valid("param").id, "scheduled");
    return c.json({}, 200);
  },
);
