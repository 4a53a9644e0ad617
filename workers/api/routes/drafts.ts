import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { deleteDraft, draftsPage, ownDraft, publishDraft, reschedule, saveDraft } from "#domain/posts/drafts.ts";
import { pageRequestSchema } from "#domain/pagination.ts";
import { showPost } from "#domain/posts/thread.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { bodyOf, formOrJson, listField } from "../body.ts";
import { errorResponse } from "../entities/error.ts";
import { DraftSchema, presentDraft, presentScheduledStatus, ScheduledStatusSchema } from "../entities/scheduled-status.ts";
import { presentStatus, StatusSchema } from "../entities/status.ts";
import { validationHook } from "../errors.ts";
import { sendPage } from "../link-header.ts";
import { idParam } from "../params.ts";
import { newStatus, postInputOf } from "./statuses.ts";

/**
 * Perch extension: posts saved to finish later. The body is POST /api/v1/statuses' (and a thread's further posts);
 * a draft is checked in full only when it is scheduled or published.
 */
const draft = { description: "The draft", content: { "application/json": { schema: DraftSchema } } };
const notYours = errorResponse("No draft of yours with this id");
const publishing = errorResponse("It is being published right now");

const draftBody = newStatus.omit({ scheduled_at: true }).extend({
  thread: listField.optional().openapi({ description: "Further posts of a thread, each to reply to the one before (thread[] in a form)." }),
});

const inputOf = (body: z.infer<typeof draftBody>) => ({ ...postInputOf(body), thread: body.thread });

export const draftRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

draftRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v1/perch/drafts",
    operationId: "getDrafts",
    tags: ["Drafts"],
    summary: "Your drafts",
    description: "Newest first. Scheduled posts that could not be published at their time are here too, with the reason in `error`.",
    ...needs(["read:statuses"]),
    request: { query: pageRequestSchema },
    responses: { 200: { description: "Link-paginated", content: { "application/json": { schema: z.array(DraftSchema) } } } },
  }),
  async (c) => sendPage(c, await draftsPage(c.var.scope.domain, userOf(c).id, "draft", c.req.valid("query")), presentDraft),
);

draftRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/v1/perch/drafts",
    operationId: "createDraft",
    tags: ["Drafts"],
    summary: "Save a draft",
    description: "Its uploads are kept for it: no other post may use them, and they are not removed while it waits.",
    ...needs(["write:statuses"]),
    request: { body: formOrJson(draftBody) },
    responses: { 200: draft, 422: errorResponse("Empty, or an upload that is not yours to use") },
  }),
  async (c) => {
    const body = bodyOf<z.infer<typeof draftBody>>(c) ?? draftBody.parse({});
    return c.json(presentDraft(await saveDraft(c.var.scope.domain, inputOf(body)), c.var.scope.origin), 200);
  },
);

draftRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v1/perch/drafts/{id}",
    operationId: "getDraft",
    tags: ["Drafts"],
    summary: "One of your drafts",
    description: "Your own drafts only; anyone else's is not found.",
    ...needs(["read:statuses"]),
    request: { params: idParam },
    responses: { 200: draft, 404: notYours },
  }),
  async (c) =>
    c.json(presentDraft(await ownDraft(c.var.scope.domain, userOf(c).id, c.req.valid("param").id, "draft"), c.var.scope.origin), 200),
);

draftRoutes.openapi(
  createRoute({
    method: "put",
    path: "/api/v1/perch/drafts/{id}",
    operationId: "updateDraft",
    tags: ["Drafts"],
    summary: "Change a draft",
    description: "Replaces what it holds. Uploads left out become plain uploads again.",
    ...needs(["write:statuses"]),
    request: { params: idParam, body: formOrJson(draftBody) },
    responses: { 200: draft, 404: notYours, 409: publishing, 422: errorResponse("Empty, or an upload that is not yours to use") },
  }),
  async (c) => {
    const body = bodyOf<z.infer<typeof draftBody>>(c) ?? draftBody.parse({});
    const saved = await saveDraft(c.var.scope.domain, inputOf(body), { id: c.req.valid("param").id, kind: "draft" });
    return c.json(presentDraft(saved, c.var.scope.origin), 200);
  },
);

draftRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/api/v1/perch/drafts/{id}",
    operationId: "deleteDraft",
    tags: ["Drafts"],
    summary: "Delete a draft",
    description: "Its uploads become plain uploads again, and are removed a day after they were uploaded unless a post uses them.",
    ...needs(["write:statuses"]),
    request: { params: idParam },
    responses: {
      200: { description: "Deleted", content: { "application/json": { schema: z.object({}) } } },
      404: notYours,
      409: publishing,
    },
  }),
  async (c) => {
    await deleteDraft(c.var.scope.domain, userOf(c).id, c.req.valid("param").id, "draft");
    return c.json({}, 200);
  },
);

draftRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/v1/perch/drafts/{id}/publish",
    operationId: "publishDraft",
    tags: ["Drafts"],
    summary: "Publish a draft now",
    description: "Checked and published as POST /api/v1/statuses would; the draft is deleted with it. Answers with the (first) post.",
    ...needs(["write:statuses"]),
    request: { params: idParam },
    responses: {
      200: { description: "The post", content: { "application/json": { schema: StatusSchema } } },
      403: errorResponse("The account's email is not confirmed"),
      404: errorResponse("No draft of yours with this id, or a post it replies to or quotes that you cannot see"),
      409: publishing,
      422: errorResponse("Empty, too long, or otherwise invalid"),
    },
  }),
  async (c) => {
    const { domain, origin } = c.var.scope;
    const [first] = await publishDraft(domain, c.req.valid("param").id, "draft");
    return c.json(presentStatus(await showPost(domain, userOf(c).id, first!.id), origin), 200);
  },
);

const scheduleBody = z.object({ scheduled_at: newStatus.shape.scheduled_at });

draftRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/v1/perch/drafts/{id}/schedule",
    operationId: "scheduleDraft",
    tags: ["Drafts"],
    summary: "Schedule a draft",
    description: "Checked as POST /api/v1/statuses with scheduled_at would be; it then leaves your drafts for your scheduled posts.",
    ...needs(["write:statuses"]),
    request: { params: idParam, body: formOrJson(scheduleBody) },
    responses: {
      200: { description: "The scheduled post", content: { "application/json": { schema: ScheduledStatusSchema } } },
      404: notYours,
      409: publishing,
      422: errorResponse("No time, too soon, over the limits, or not publishable as it is"),
    },
  }),
  async (c) => {
    const { domain, origin } = c.var.scope;
    const at = bodyOf<z.infer<typeof scheduleBody>>(c)?.scheduled_at;
    if (!at) return c.json({ error: "Validation failed: scheduled_at is required" }, 422);
    return c.json(presentScheduledStatus(await reschedule(domain, c.req.valid("param").id, at, "draft"), origin), 200);
  },
);
