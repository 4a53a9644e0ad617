import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { followedTagsOf, setTagFollowed, viewTag, type TagView } from "#domain/graph/followed-tags.ts";
import type { TrendDay } from "#db/schema/index.ts";
import { pageRequestSchema } from "#domain/pagination.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { errorResponse } from "../entities/error.ts";
import { validationHook } from "../errors.ts";
import { sendPage } from "../link-header.ts";

export const TagSchema = z
  .object({
    name: z.string().openapi({ description: "Lowercase, without the #", example: "birds" }),
    url: z.url(),
    history: z.array(z.object({ day: z.string(), uses: z.string(), accounts: z.string() })).openapi({
      description:
        "Daily use over the last 7 days, newest first (day: the day's start in Unix seconds; uses: posts; accounts: distinct " +
        "authors; all strings, as Mastodon sends them). Filled for trending hashtags (GET /api/v1/trends/tags), empty elsewhere.",
    }),
    following: z.boolean().openapi({ description: "Whether you follow it (false without a token)." }),
  })
  .openapi("Tag", { description: "A hashtag, as Mastodon describes one." });

export const presentTag = (tag: TagView & { history?: TrendDay[] }, origin: string): z.infer<typeof TagSchema> => {
  const name = tag.name.toLowerCase();
  return {
    name,
    url: `${origin}/tags/${encodeURIComponent(name)}`,
    history: (tag.history ?? []).map(presentTrendDay),
    following: tag.following,
  };
};

/** A day of use as Mastodon's history arrays carry it: every number a string. */
export const presentTrendDay = (day: TrendDay) => ({ day: String(day.day), uses: String(day.uses), accounts: String(day.accounts) });

const nameParam = z.object({
  name: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: "name", in: "path" }, example: "birds" }),
});
const tagResponses = {
  200: { description: "The hashtag", content: { "application/json": { schema: TagSchema } } },
  404: errorResponse("Not something a post could use as a hashtag"),
};

function followRoute(action: "follow" | "unfollow") {
  return createRoute({
    method: "post",
    path: `/api/v1/tags/{name}/${action}`,
    operationId: action === "follow" ? "followTag" : "unfollowTag",
    tags: ["Timelines"],
    summary: action === "follow" ? "Follow a hashtag" : "Unfollow a hashtag",
    description:
      action === "follow"
        ? "Public posts with the hashtag come into your home timeline from now on."
        : "Posts with the hashtag stop coming into your home timeline (those already there stay).",
    ...needs(["write:follows"]),
    request: { params: nameParam },
    responses: tagResponses,
  });
}

export const tagRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/tags/{name}",
      operationId: "getTag",
      tags: ["Timelines"],
      summary: "A hashtag",
      description: "The hashtag and, with a token, whether you follow it.",
      request: { params: nameParam },
      responses: tagResponses,
    }),
    async (c) => {
      const { domain, viewer, origin } = c.var.scope;
      return c.json(presentTag(await viewTag(domain, viewer?.user.id ?? null, c.req.valid("param").name), origin), 200);
    },
  )
  .openapi(followRoute("follow"), async (c) => {
    const tag = await setTagFollowed(c.var.scope.domain, userOf(c).id, c.req.valid("param").name, true);
    return c.json(presentTag(tag, c.var.scope.origin), 200);
  })
  .openapi(followRoute("unfollow"), async (c) => {
    const tag = await setTagFollowed(c.var.scope.domain, userOf(c).id, c.req.valid("param").name, false);
    return c.json(presentTag(tag, c.var.scope.origin), 200);
  })
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/followed_tags",
      operationId: "getFollowedTags",
      tags: ["Timelines"],
      summary: "Hashtags you follow",
      description: "Most recently followed first, paginated with the Link header.",
      ...needs(["read:follows"]),
      request: { query: pageRequestSchema },
      responses: {
        200: { description: "Hashtags", content: { "application/json": { schema: z.array(TagSchema) } } },
        400: errorResponse("A malformed or out-of-range parameter"),
      },
    }),
    async (c) => {
      const page = await followedTagsOf(c.var.scope.domain, userOf(c).id, c.req.valid("query"));
      return sendPage(c, page, presentTag);
    },
  );
