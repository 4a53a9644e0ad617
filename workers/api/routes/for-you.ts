import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { forYouReasons } from "#db/schema/index.ts";
import { pageRequestSchema } from "#domain/pagination.ts";
import { notInterested, showLess, undoNotInterested, undoShowLess } from "#domain/ranking/feedback.ts";
import { FOR_YOU_MAX_PAGE_SIZE, forYouTimeline, reasonText, type RankedPost } from "#domain/ranking/for-you.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { errorResponse } from "../entities/error.ts";
import { presentStatus, StatusSchema } from "../entities/status.ts";
import { validationHook } from "../errors.ts";
import { sendPage } from "../link-header.ts";
import { idParam } from "../params.ts";
import { noteShown } from "#workers/platform/impressions.ts";

/** A Status with the reason the For-you feed shows it, beside Perch's other values in `perch` (ADR 0019). */
const RankedStatusSchema = StatusSchema.extend({
  perch: StatusSchema.shape.perch.extend({
    for_you: z
      .object({
        reason: z.enum(forYouReasons).openapi({ description: "The strongest reason the post is shown (docs/ranking.md)." }),
        subject: z.string().nullable().openapi({ description: "The username or hashtag the reason names, if any." }),
        text: z.string().openapi({ example: "Liked by @robin, whom you follow" }),
      })
      .openapi("ForYouReason"),
  }),
}).openapi("RankedStatus", { description: "A Status of the For-you feed, with why it is shown in `perch.for_you`." });

function presentRanked(item: RankedPost, origin: string): z.infer<typeof RankedStatusSchema> {
  const status = presentStatus(item.post, origin);
  return {
    ...status,
    perch: {
      ...status.perch,
      for_you: { reason: item.reason, subject: item.reasonSubject, text: reasonText(item.reason, item.reasonSubject) },
    },
  };
}

const forYouRoute = createRoute({
  method: "get",
  path: "/api/v1/perch/timelines/for_you",
  operationId: "getForYouTimeline",
  tags: ["Timelines"],
  summary: "For-you timeline (Perch extension)",
  description:
    "Posts ranked for you (docs/ranking.md): from people you follow, liked or reposted by them, popular, or with a " +
    "hashtag you follow, best first, at most 2 posts by one author in any page. Posts are ranked once and keep their " +
    "places, so paging never repeats or skips one; what is new is ranked on top when you ask for the top (no cursor, " +
    "`since_id` or `min_id`) and the top is at least a minute old. The cursors are ids of statuses in your feed: " +
    "`max_id` gives the posts ranked below that one; `since_id` the best of those placed above it; `min_id` those " +
    `placed just above it. A cursor that is not in your feed is refused with 422. \`limit\` is at most ${FOR_YOU_MAX_PAGE_SIZE} ` +
    "(more is lowered to it). Posts you asked to see less of, or whose author you are not interested in, are left out. " +
    "Your filters for the `home` context apply: `hide` leaves a post out (a page can hold fewer than `limit`), `warn` " +
    "and `blur` set `filtered`. " +
    "Paginate with the Link header.",
  ...needs(["read:statuses"]),
  request: { query: pageRequestSchema },
  responses: {
    200: {
      description: "Statuses, best first",
      headers: z.object({ Link: z.string().optional().openapi({ description: "RFC 8288 links to the next and previous pages" }) }),
      content: { "application/json": { schema: z.array(RankedStatusSchema) } },
    },
    400: errorResponse("A malformed or out-of-range parameter"),
    422: errorResponse("A cursor that is not a post in your For-you feed"),
  },
});

const ShowLessSchema = z.object({ status_id: z.string(), show_less: z.boolean() }).openapi("ShowLess");
const NotInterestedSchema = z.object({ account_id: z.string(), not_interested: z.boolean() }).openapi("NotInterested");

function showLessRoute(method: "post" | "delete") {
  return createRoute({
    method,
    path: "/api/v1/perch/statuses/{id}/show_less",
    operationId: method === "post" ? "showLessLikeStatus" : "undoShowLessLikeStatus",
    tags: ["Timelines"],
    summary: method === "post" ? "Show less like this (Perch extension)" : "Undo show less like this (Perch extension)",
    description:
      method === "post"
        ? "The post leaves your For-you feed, and its author and hashtags rank lower there. Private; asking twice changes nothing."
        : "The post comes back to its place in your For-you feed, and its author and hashtags rank as before.",
    ...needs(["write:statuses"]),
    request: { params: idParam },
    responses: {
      200: { description: "The feedback as it now stands", content: { "application/json": { schema: ShowLessSchema } } },
      404: errorResponse("No such post, or one you may not see"),
      422: errorResponse("Your own post"),
    },
  });
}

function notInterestedRoute(method: "post" | "delete") {
  return createRoute({
    method,
    path: "/api/v1/perch/accounts/{id}/not_interested",
    operationId: method === "post" ? "notInterestedInAccount" : "undoNotInterestedInAccount",
    tags: ["Timelines"],
    summary: method === "post" ? "Not interested in this author (Perch extension)" : "Undo not interested (Perch extension)",
    description:
      method === "post"
        ? "None of the account's posts appear in your For-you feed; your Following feed is unchanged. Private."
        : "The account's posts may appear in your For-you feed again.",
    ...needs(["write:mutes"]),
    request: { params: idParam },
    responses: {
      200: { description: "The feedback as it now stands", content: { "application/json": { schema: NotInterestedSchema } } },
      404: errorResponse("No such account, or it blocks you"),
      422: errorResponse("Your own account"),
    },
  });
}

export const forYouRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(forYouRoute, async (c) => {
    const page = await forYouTimeline(c.var.scope.domain, userOf(c).id, c.req.valid("query"));
    // Pages keep a turned-away post's place to offer its undo; a client has its own, so the API leaves it out.
    const shown = page.items.filter((item) => !item.hiddenBy);
    await noteShown(
      c.var.scope,
      shown.map((item) => item.post),
    );
    return sendPage(c, { ...page, items: shown }, presentRanked);
  })
  .openapi(showLessRoute("post"), async (c) => {
    const { postId } = await showLess(c.var.scope.domain, userOf(c).id, c.req.valid("param").id);
    return c.json({ status_id: postId, show_less: true }, 200);
  })
  .openapi(showLessRoute("delete"), async (c) => {
    const { postId } = await undoShowLess(c.var.scope.domain, userOf(c).id, c.req.valid("param").id);
    return c.json({ status_id: postId, show_less: false }, 200);
  })
  .openapi(notInterestedRoute("post"), async (c) => {
    const { accountId } = await notInterested(c.var.scope.domain, userOf(c).id, c.req.valid("param").id);
    return c.json({ account_id: accountId, not_interested: true }, 200);
  })
  .openapi(notInterestedRoute("delete"), async (c) => {
    const { accountId } = await undoNotInterested(c.var.scope.domain, userOf(c).id, c.req.valid("param").id);
    return c.json({ account_id: accountId, not_interested: false }, 200);
  });
