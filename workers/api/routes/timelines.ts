import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { viewAccount } from "#domain/profiles/access.ts";
import { pageRequestSchema, type Page } from "#domain/pagination.ts";
import {
  homeTimeline,
  listTimeline,
  MAX_EXTRA_TAGS,
  profileTimeline,
  publicTimeline,
  tagTimeline,
  type PublicFilter,
} from "#domain/timelines.ts";
import type { Context } from "hono";
import type { ShownPost } from "#domain/posts/hydrate.ts";
import { noteShown } from "#workers/platform/impressions.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { listField } from "../body.ts";
import { errorResponse } from "../entities/error.ts";
import { presentStatus, StatusSchema } from "../entities/status.ts";
import { validationHook } from "../errors.ts";
import { sendPage } from "../link-header.ts";
import { idParam, queryBoolean } from "../params.ts";

/** Mastodon's filters of the public and hashtag timelines, with the cursors. */
const publicTimelineQuery = pageRequestSchema.extend({
  local: queryBoolean.openapi({ description: "Only this server's posts. Every Perch post is local, so this changes nothing." }),
  remote: queryBoolean.openapi({
    description: "Only other servers' posts (unless `local` is true too): Perch does not federate, so the answer is empty.",
  }),
  only_media: queryBoolean.openapi({ description: "Only posts with attachments." }),
});

const filterOf = (query: z.infer<typeof publicTimelineQuery>): PublicFilter => ({
  local: query.local,
  remote: query.remote,
  onlyMedia: query.only_media,
});

/** One of the hashtag timeline's lists of more hashtags: `any[]=a&any[]=b` (one value arrives as a string). */
const tagList = (name: "any" | "all" | "none", description: string) =>
  listField.optional().openapi({
    description: `${description} Up to ${MAX_EXTRA_TAGS} hashtags, without #; a name that is not a hashtag is a 422.`,
    param: { name: `${name}[]`, in: "query", style: "form", explode: true },
  });

const publicTimelineRoute = createRoute({
  method: "get",
  path: "/api/v1/timelines/public",
  operationId: "getPublicTimeline",
  tags: ["Timelines"],
  summary: "Public timeline",
  description:
    "Public posts from everyone on this server, newest first. Replies appear only when they continue the author's own " +
    "thread. Paginate with the Link header (next = older, prev = newer).",
  request: { query: publicTimelineQuery },
  responses: {
    200: {
      description: "Statuses, newest first",
      headers: z.object({ Link: z.string().optional().openapi({ description: "RFC 8288 links to the next and previous pages" }) }),
      content: { "application/json": { schema: z.array(StatusSchema) } },
    },
    400: errorResponse("A malformed or out-of-range parameter"),
  },
});

const homeTimelineRoute = createRoute({
  method: "get",
  path: "/api/v1/timelines/home",
  operationId: "getHomeTimeline",
  tags: ["Timelines"],
  summary: "Home timeline",
  description:
    "Posts and reposts by the accounts you follow, and your own, newest first, as they were delivered to you when " +
    "posted (a new follow brings the account's latest 40). Paginate with the Link header.",
  ...needs(["read:statuses"]),
  request: { query: pageRequestSchema },
  responses: { 200: publicTimelineRoute.responses[200], 400: publicTimelineRoute.responses[400] },
});

const listTimelineRoute = createRoute({
  method: "get",
  path: "/api/v1/timelines/list/{list_id}",
  operationId: "getListTimeline",
  tags: ["Timelines"],
  summary: "List timeline",
  description:
    "Posts and reposts by the members of one of your lists, newest first, as the list's `replies_policy` allows; " +
    "a member added later brings their latest 40. Paginate with the Link header. Another person's list is not found.",
  ...needs(["read:lists"]),
  request: {
    params: z.object({
      list_id: z
        .string()
        .min(1)
        .max(64)
        .openapi({ param: { name: "list_id", in: "path" } }),
    }),
    query: pageRequestSchema,
  },
  responses: {
    200: publicTimelineRoute.responses[200],
    400: publicTimelineRoute.responses[400],
    404: errorResponse("No such list of yours"),
  },
});

const tagTimelineRoute = createRoute({
  method: "get",
  path: "/api/v1/timelines/tag/{hashtag}",
  operationId: "getTagTimeline",
  tags: ["Timelines"],
  summary: "Hashtag timeline",
  description:
    "Public posts with the hashtag (any case), newest first, paginated like the public timeline. `any[]`, `all[]` and " +
    "`none[]` add hashtags as Mastodon does. A hashtag no post has used is a 404.",
  request: {
    params: z.object({
      hashtag: z
        .string()
        .min(1)
        .max(200)
        .openapi({ param: { name: "hashtag", in: "path" }, example: "birds" }),
    }),
    query: publicTimelineQuery.extend({
      "any[]": tagList("any", "Also list posts with any of these hashtags."),
      "all[]": tagList("all", "List only posts that also have all of these hashtags."),
      "none[]": tagList("none", "Leave out posts with any of these hashtags."),
    }),
  },
  responses: {
    ...publicTimelineRoute.responses,
    404: errorResponse("No post has used the hashtag"),
    422: errorResponse("The hashtag, or one in any[], all[] or none[], is not a hashtag name; or a list is too long"),
  },
});

const accountStatusesRoute = createRoute({
  method: "get",
  path: "/api/v1/accounts/{id}/statuses",
  operationId: "getAccountStatuses",
  tags: ["Statuses"],
  summary: "An account's posts",
  description: "Newest first, only those the viewer may see; paginated with the Link header.",
  request: {
    params: idParam,
    query: pageRequestSchema.extend({
      only_media: queryBoolean.openapi({ description: "Only posts with attachments." }),
      exclude_replies: queryBoolean.openapi({ description: "Leave out replies to others (replies in the account's own threads stay)." }),
      exclude_reblogs: queryBoolean.openapi({ description: "Leave out reposts." }),
      pinned: queryBoolean.openapi({ description: "Only the posts the account pinned to its profile." }),
      tagged: z.string().min(1).max(200).optional().openapi({ description: "Only posts with this hashtag (any case, without #)." }),
    }),
  },
  responses: {
    200: publicTimelineRoute.responses[200],
    400: errorResponse("A malformed or out-of-range parameter"),
    404: errorResponse("No such account, or it blocks you"),
  },
});

/** A timeline page as Mastodon answers it; its posts count as shown for their authors' analytics (ADR 0053). */
async function sendTimeline(c: Context<AppEnv>, page: Page<ShownPost>) {
  await noteShown(c.var.scope, page.items);
  return sendPage(c, page, presentStatus);
}

export const timelineRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(publicTimelineRoute, async (c) => {
    const { scope } = c.var;
    const query = c.req.valid("query");
    const page = await publicTimeline(scope.domain, scope.viewer?.user.id ?? null, query, filterOf(query));
    return sendTimeline(c, page);
  })
  .openapi(homeTimelineRoute, async (c) => {
    return sendTimeline(c, await homeTimeline(c.var.scope.domain, userOf(c).id, c.req.valid("query")));
  })
  .openapi(listTimelineRoute, async (c) => {
    const page = await listTimeline(c.var.scope.domain, userOf(c).id, c.req.valid("param").list_id, c.req.valid("query"));
    return sendTimeline(c, page);
  })
  .openapi(tagTimelineRoute, async (c) => {
    const { scope } = c.var;
    const query = c.req.valid("query");
    // Path parameters arrive decoded once already; decoding again would read "%25" as a broken escape.
    const tag = c.req.valid("param").hashtag.replace(/^#/, "");
    const filter = { ...filterOf(query), any: query["any[]"], all: query["all[]"], none: query["none[]"] };
    const page = await tagTimeline(scope.domain, scope.viewer?.user.id ?? null, tag, query, filter);
    return sendTimeline(c, page);
  })
  .openapi(accountStatusesRoute, async (c) => {
    const { domain, viewer } = c.var.scope;
    const viewerId = viewer?.user.id ?? null;
    const view = await viewAccount(domain, viewerId, { id: c.req.valid("param").id });
    const query = c.req.valid("query");
    const filter = {
      onlyMedia: query.only_media,
      excludeReplies: query.exclude_replies,
      excludeReblogs: query.exclude_reblogs,
      pinned: query.pinned,
      tagged: query.tagged?.replace(/^#/, ""),
    };
    return sendTimeline(c, await profileTimeline(domain, viewerId, view, query, filter));
  });
