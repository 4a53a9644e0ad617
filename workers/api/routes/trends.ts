import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { trendingLinks, trendingPosts, trendingTags, trendPageSchema, trendPageSizes } from "#domain/trends/trending.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { errorResponse } from "../entities/error.ts";
import { PreviewCardSchema, presentPreviewCard } from "../entities/preview-card.ts";
import { presentStatus, StatusSchema } from "../entities/status.ts";
import { validationHook } from "../errors.ts";
import { presentTag, presentTrendDay, TagSchema } from "./tags.ts";

const HistorySchema = TagSchema.shape.history;

const TrendsLinkSchema = PreviewCardSchema.extend({ history: HistorySchema }).openapi("TrendsLink", {
  description: "Mastodon's TrendsLink: a PreviewCard with the link's daily shares over the last 7 days.",
});

const linkHeader = z.object({
  Link: z.string().optional().openapi({ description: 'RFC 8288 link to the next page (rel="next", by offset)' }),
});

/**
 * Mastodon pages trends by offset: a full page links to the next one. A shorter page ends the list (trending posts
 * the viewer may not see shorten a page too, so a client following Link still reaches the rest).
 */
function linkNext(c: Context<AppEnv>, page: { limit: number; offset: number }, full: boolean) {
  if (!full) return;
  const next = new URL(c.req.url);
  const target = new URL(next.pathname, c.var.scope.origin);
  target.search = next.search;
  target.searchParams.set("offset", String(page.offset + page.limit));
  c.header("Link", `<${target.toString()}>; rel="next"`);
}

const describePaging = (kind: keyof typeof trendPageSizes) =>
  `\`limit\` defaults to ${trendPageSizes[kind][0]} and is at most ${trendPageSizes[kind][1]} (more is lowered to it); ` +
  "`offset` skips that many. Scored every five minutes by distinct accounts against each item's usual level (docs/trends.md); " +
  "items an admin hid are left out.";

const pageQuery = (kind: keyof typeof trendPageSizes) => trendPageSchema(trendPageSizes[kind][0], trendPageSizes[kind][1]);

export const trendRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/trends/tags",
      operationId: "getTrendingTags",
      tags: ["Discovery"],
      summary: "Trending hashtags",
      description: `Hashtags more people are using than usual, best first, each with its last 7 days. ${describePaging("tag")}`,
      request: { query: pageQuery("tag") },
      responses: {
        200: { description: "Hashtags", headers: linkHeader, content: { "application/json": { schema: z.array(TagSchema) } } },
        400: errorResponse("A malformed or out-of-range parameter"),
      },
    }),
    async (c) => {
      const { domain, viewer, origin } = c.var.scope;
      const page = c.req.valid("query");
      const found = await trendingTags(domain, viewer?.user.id ?? null, page);
      linkNext(c, page, found.length === page.limit);
      return c.json(
        found.map((tag) => presentTag(tag, origin)),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/trends/statuses",
      operationId: "getTrendingStatuses",
      tags: ["Discovery"],
      summary: "Trending posts",
      description: `Public posts more people are liking, reposting and replying to than before, best first. ${describePaging("post")} Only posts you may see are listed, through your filters for the public context.`,
      request: { query: pageQuery("post") },
      responses: {
        200: { description: "Statuses", headers: linkHeader, content: { "application/json": { schema: z.array(StatusSchema) } } },
        400: errorResponse("A malformed or out-of-range parameter"),
      },
    }),
    async (c) => {
      const { domain, viewer, origin } = c.var.scope;
      const page = c.req.valid("query");
      const found = await trendingPosts(domain, viewer?.user.id ?? null, page);
      linkNext(c, page, found.length === page.limit);
      return c.json(
        found.map((post) => presentStatus(post, origin)),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/trends/links",
      operationId: "getTrendingLinks",
      tags: ["Discovery"],
      summary: "Trending links",
      description: `Links more people are sharing than usual, best first, each with its last 7 days. ${describePaging("link")}`,
      request: { query: pageQuery("link") },
      responses: {
        200: { description: "Links", headers: linkHeader, content: { "application/json": { schema: z.array(TrendsLinkSchema) } } },
        400: errorResponse("A malformed or out-of-range parameter"),
      },
    }),
    async (c) => {
      const { domain, origin } = c.var.scope;
      const page = c.req.valid("query");
      const found = await trendingLinks(domain, page);
      linkNext(c, page, found.length === page.limit);
      return c.json(
        found.map((link) => ({ ...presentPreviewCard(link.card, origin), history: link.history.map(presentTrendDay) })),
        200,
      );
    },
  );
