import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bookmark, dislike, engagedBy, favourite, pin, react, reactedBy, reblog, unfavourite, unreblog } from "#domain/posts/engagement.ts";
import { detachQuote, markedPosts } from "#domain/posts/removal.ts";
import { showPost } from "#domain/posts/thread.ts";
import { pageRequestSchema } from "#domain/pagination.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { AccountSchema, presentAccount } from "../entities/account.ts";
import { errorResponse } from "../entities/error.ts";
import { presentStatus, StatusSchema } from "../entities/status.ts";
import { validationHook } from "../errors.ts";
import { pascalCase } from "../openapi.ts";
import { idParam } from "../params.ts";
import { sendPage } from "../link-header.ts";

/** What people do to posts: likes, reposts, bookmarks, pins, reactions and dislikes; who did them; your bookmarks and likes. */
const status = { description: "The post", content: { "application/json": { schema: StatusSchema } } };
const notVisible = errorResponse("No such post, or you may not see it");

export const engagementRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

type Action = (c: Context<AppEnv>, id: string) => Promise<unknown>;
const actions: [string, string, string[], Action, string][] = [
  [
    "favourite",
    "Like",
    ["write:favourites"],
    (c, id) => favourite(c.var.scope.domain, userOf(c).id, id),
    "Likes a post you may see, telling its author; liking it again changes nothing.",
  ],
  [
    "unfavourite",
    "Undo a like",
    ["write:favourites"],
    (c, id) => unfavourite(c.var.scope.domain, userOf(c).id, id),
    "Not an error when you had not liked it.",
  ],
  [
    "bookmark",
    "Bookmark",
    ["write:bookmarks"],
    (c, id) => bookmark(c.var.scope.domain, userOf(c).id, id, true),
    "Keeps the post in your bookmarks (GET /api/v1/bookmarks), which only you see.",
  ],
  [
    "unbookmark",
    "Remove a bookmark",
    ["write:bookmarks"],
    (c, id) => bookmark(c.var.scope.domain, userOf(c).id, id, false),
    "Not an error when it was not bookmarked.",
  ],
  [
    "pin",
    "Pin to your profile",
    ["write:accounts"],
    (c, id) => pin(c.var.scope.domain, userOf(c).id, id, true),
    "Only your own posts, up to five; pinned posts lead your profile.",
  ],
  [
    "unpin",
    "Unpin",
    ["write:accounts"],
    (c, id) => pin(c.var.scope.domain, userOf(c).id, id, false),
    "Not an error when it was not pinned.",
  ],
  [
    "dislike",
    "Dislike (Perch extension; private, lowers ranking)",
    ["write:favourites"],
    (c, id) => dislike(c.var.scope.domain, userOf(c).id, id, true),
    "A private signal against the post: it is counted for ranking and never shown to anyone, its author included.",
  ],
  [
    "undislike",
    "Undo a dislike (Perch extension)",
    ["write:favourites"],
    (c, id) => dislike(c.var.scope.domain, userOf(c).id, id, false),
    "Not an error when you had not disliked it.",
  ],
  [
    "unreblog",
    "Undo a repost",
    ["write:statuses"],
    (c, id) => unreblog(c.var.scope.domain, userOf(c).id, id),
    "{id} is the original post; your repost of it is deleted. Answers with the original.",
  ],
  [
    "detach_quote",
    "Take your post out of this quote (Perch extension)",
    ["write:statuses"],
    (c, id) => detachQuote(c.var.scope.domain, userOf(c).id, id),
    "{id} is a post quoting one of yours; afterwards it shows your post as unavailable, for good.",
  ],
];

for (const [path, summary, scopes, act, description] of actions) {
  engagementRoutes.openapi(
    createRoute({
      method: "post",
      path: `/api/v1/statuses/{id}/${path}`,
      operationId: `status${pascalCase(path)}`,
      tags: ["Statuses"],
      summary,
      description,
      ...needs(scopes),
      request: { params: idParam },
      responses: { 200: status, 404: notVisible, 422: errorResponse("Not allowed on this post") },
    }),
    async (c) => {
      const id = c.req.valid("param").id;
      await act(c, id);
      return c.json(presentStatus(await showPost(c.var.scope.domain, userOf(c).id, id), c.var.scope.origin), 200);
    },
  );
}

engagementRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/v1/statuses/{id}/reblog",
    operationId: "statusReblog",
    tags: ["Statuses"],
    summary: "Repost",
    description: "Answers with the repost, whose `reblog` is the original.",
    ...needs(["write:statuses"]),
    request: { params: idParam },
    responses: { 200: status, 404: notVisible, 422: errorResponse("Only public and unlisted posts can be reposted") },
  }),
  async (c) => {
    const { reblog: row } = await reblog(c.var.scope.domain, userOf(c).id, c.req.valid("param").id);
    return c.json(presentStatus(await showPost(c.var.scope.domain, userOf(c).id, row.id), c.var.scope.origin), 200);
  },
);

for (const method of ["put", "delete"] as const) {
  engagementRoutes.openapi(
    createRoute({
      method,
      path: "/api/v1/statuses/{id}/reactions/{emoji}",
      operationId: method === "put" ? "addStatusReaction" : "removeStatusReaction",
      tags: ["Statuses"],
      summary: method === "put" ? "React with an emoji (Perch extension)" : "Remove your emoji reaction (Perch extension)",
      description:
        method === "put"
          ? "One emoji (URL-encoded, with its modifiers) per reaction; you may give several different ones. Giving one again changes nothing."
          : "Takes back your reaction with this emoji; not an error when you had not given it.",
      ...needs(["write:favourites"]),
      request: {
        params: idParam.extend({
          emoji: z
            .string()
            .min(1)
            .max(32)
            .openapi({ param: { name: "emoji", in: "path" } }),
        }),
      },
      responses: { 200: status, 404: notVisible, 422: errorResponse("Not a single emoji") },
    }),
    async (c) => {
      const { id, emoji } = c.req.valid("param");
      await react(c.var.scope.domain, userOf(c).id, id, emoji, method === "put");
      return c.json(presentStatus(await showPost(c.var.scope.domain, userOf(c).id, id), c.var.scope.origin), 200);
    },
  );
}

const accountsPage = {
  description: "Accounts, newest first, Link-paginated",
  content: { "application/json": { schema: z.array(AccountSchema) } },
};

for (const [path, kind, summary] of [
  ["favourited_by", "favourites", "Who liked a post"],
  ["reblogged_by", "reblogs", "Who reposted a post"],
] as const) {
  engagementRoutes.openapi(
    createRoute({
      method: "get",
      path: `/api/v1/statuses/{id}/${path}`,
      operationId: `status${pascalCase(path)}`,
      tags: ["Statuses"],
      summary,
      description: "The most recent first, paginated with the Link header. The post must be one you may see.",
      request: { params: idParam, query: pageRequestSchema },
      responses: { 200: accountsPage, 404: notVisible },
    }),
    async (c) => {
      const viewerId = c.var.scope.viewer?.user.id ?? null;
      return sendPage(
        c,
        await engagedBy(c.var.scope.domain, viewerId, c.req.valid("param").id, kind, c.req.valid("query")),
        presentAccount,
      );
    },
  );
}

engagementRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v1/statuses/{id}/reacted_by",
    operationId: "statusReactedBy",
    tags: ["Statuses"],
    summary: "Who reacted to a post (Perch extension)",
    description: "Up to 80 accounts, not paginated. The post must be one you may see.",
    request: { params: idParam },
    responses: {
      200: { description: "Accounts (up to 80)", content: { "application/json": { schema: z.array(AccountSchema) } } },
      404: notVisible,
    },
  }),
  async (c) => {
    const accounts = await reactedBy(c.var.scope.domain, c.var.scope.viewer?.user.id ?? null, c.req.valid("param").id);
    return c.json(
      accounts.map((account) => presentAccount(account, c.var.scope.origin)),
      200,
    );
  },
);

for (const [path, which, scope] of [
  ["/api/v1/bookmarks", "bookmarks", "read:bookmarks"],
  ["/api/v1/favourites", "favourites", "read:favourites"],
] as const) {
  engagementRoutes.openapi(
    createRoute({
      method: "get",
      path,
      operationId: which === "bookmarks" ? "getBookmarks" : "getFavourites",
      tags: ["Statuses"],
      summary: which === "bookmarks" ? "Your bookmarks" : "Posts you liked",
      description: `Newest ${which === "bookmarks" ? "bookmark" : "like"} first, paginated with the Link header; posts you may no longer see are left out.`,
      ...needs([scope]),
      request: { query: pageRequestSchema },
      responses: {
        200: { description: "Newest first, Link-paginated", content: { "application/json": { schema: z.array(StatusSchema) } } },
      },
    }),
    async (c) => {
      return sendPage(c, await markedPosts(c.var.scope.domain, userOf(c).id, which, c.req.valid("query")), presentStatus);
    },
  );
}
