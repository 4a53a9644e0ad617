import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { DomainError } from "#domain/errors.ts";
import { readInstanceSettings } from "#domain/instance-settings.ts";
import type { TrendKind } from "#domain/trends/refresh.ts";
import { decideTrend } from "#domain/trends/review.ts";
import { trendingLinks, trendingPosts, trendingTags, trendPageSchema, trendPageSizes, type TrendingTag } from "#domain/trends/trending.ts";
import { base64url, fromBase64url } from "#workers/platform/crypto.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { errorResponse } from "../entities/error.ts";
import { PreviewCardSchema, presentPreviewCard } from "../entities/preview-card.ts";
import { presentStatus, StatusSchema } from "../entities/status.ts";
import { validationHook } from "../errors.ts";
import { presentTag, presentTrendDay, TagSchema } from "./tags.ts";

/**
 * Mastodon's admin trends API (docs.joinmastodon.org/methods/admin/trends): every item the trends job scored, hidden
 * ones and hashtags awaiting review included, and approve/reject for each, through the same decisions as /admin/trends.
 */

const AdminTagSchema = TagSchema.extend({
  id: z.string(),
  trendable: z.boolean().openapi({ description: "Whether it may trend now (approved, or not hidden when no review is asked)." }),
  usable: z.boolean().openapi({ description: "Always true: Perch does not disable hashtags." }),
  requires_review: z.boolean().openapi({ description: "It awaits an admin's review before it may trend." }),
  listable: z.boolean().openapi({ description: "Always true: hashtags are listed in search." }),
}).openapi("AdminTag", { description: "A trending hashtag as admins see it." });

const AdminTrendsLinkSchema = PreviewCardSchema.extend({
  id: z.string().openapi({ description: "The link's id for approve and reject: its URL, base64url-encoded." }),
  history: TagSchema.shape.history,
  requires_review: z.boolean().openapi({ description: "Always false: links trend without review (an admin may hide one)." }),
}).openapi("AdminTrendsLink", { description: "A trending link as admins see it." });

const responsesOf = (schema: z.ZodType, what: string) => ({
  200: { description: what, content: { "application/json": { schema } } },
  400: errorResponse("A malformed or out-of-range parameter"),
  401: errorResponse("No valid token"),
  403: errorResponse("The token lacks admin:read, or its user is not an admin"),
});

const listRoute = (path: string, operationId: string, summary: string, schema: z.ZodType, kind: TrendKind) =>
  createRoute({
    method: "get",
    path,
    operationId,
    tags: ["Admin"],
    summary,
    description: "Best first, hidden items included; `limit` and `offset` as on the public trends. Admins only.",
    ...needs(["admin:read"]),
    request: { query: trendPageSchema(trendPageSizes[kind][0], trendPageSizes[kind][1]) },
    responses: responsesOf(z.array(schema), summary),
  });

/** Whether a hashtag may trend as things stand, and whether it waits for review (ADR 0038). */
function tagStanding(tag: TrendingTag, reviewRequired: boolean) {
  return {
    trendable: tag.decision === "allowed" || (tag.decision === null && !reviewRequired),
    requires_review: tag.decision === null && reviewRequired,
  };
}

/** A link's id: its URL in base64url, so that it fits a path segment; a malformed id names no link. */
const linkIdOf = (url: string) => base64url(new TextEncoder().encode(url));
function linkUrlOf(id: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(fromBase64url(id));
  } catch {
    throw new DomainError("not_found", "Nothing like that is trending");
  }
}

export const adminTrendRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(listRoute("/api/v1/admin/trends/tags", "adminTrendingTags", "Trending hashtags (admins)", AdminTagSchema, "tag"), async (c) => {
    const { domain, origin } = c.var.scope;
    const found = await trendingTags(domain, userOf(c).id, c.req.valid("query"), "admins");
    const { trendsReviewNewTags } = await readInstanceSettings(domain);
    return c.json(
      found.map((tag) => ({
        ...presentTag(tag, origin),
        id: tag.id,
        usable: true,
        listable: true,
        ...tagStanding(tag, trendsReviewNewTags),
      })),
      200,
    );
  })
  .openapi(
    listRoute("/api/v1/admin/trends/statuses", "adminTrendingStatuses", "Trending posts (admins)", StatusSchema, "post"),
    async (c) => {
      const { domain, origin } = c.var.scope;
      const found = await trendingPosts(domain, userOf(c).id, c.req.valid("query"), "admins");
      return c.json(
        found.map((post) => presentStatus(post, origin)),
        200,
      );
    },
  )
  .openapi(
    listRoute("/api/v1/admin/trends/links", "adminTrendingLinks", "Trending links (admins)", AdminTrendsLinkSchema, "link"),
    async (c) => {
      const { domain, origin } = c.var.scope;
      const found = await trendingLinks(domain, c.req.valid("query"), "admins");
      return c.json(
        found.map((link) => ({
          ...presentPreviewCard(link.card, origin),
          id: linkIdOf(link.card.url),
          history: link.history.map(presentTrendDay),
          requires_review: false,
        })),
        200,
      );
    },
  );

/** A hashtag's or post's id, or a link's (a base64url URL, hence the length). */
const trendIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(4096)
    .openapi({ param: { name: "id", in: "path" } }),
});

const kinds = [
  ["tags", "tag", "a hashtag"],
  ["statuses", "post", "a post"],
  ["links", "link", "a link"],
] as const;

for (const [segment, kind, what] of kinds) {
  for (const [verb, decision] of [
    ["approve", "allowed"],
    ["reject", "hidden"],
  ] as const) {
    adminTrendRoutes.openapi(
      createRoute({
        method: "post",
        path: `/api/v1/admin/trends/${segment}/{id}/${verb}`,
        operationId: `adminTrend_${segment}_${verb}`,
        tags: ["Admin"],
        summary: `${verb === "approve" ? "Approve" : "Reject"} ${what} in trends`,
        description:
          verb === "approve"
            ? "It may trend (a hashtag awaiting review is approved; a hidden item shows again). Admins only."
            : "It never trends, however it scores. Admins only.",
        ...needs(["admin:write"]),
        request: { params: trendIdParam },
        responses: {
          200: { description: "Done", content: { "application/json": { schema: z.object({}) } } },
          401: errorResponse("No valid token"),
          403: errorResponse("The token lacks admin:write, or its user is not an admin"),
          404: errorResponse("Nothing like that is trending"),
        },
      }),
      async (c) => {
        const { id } = c.req.valid("param");
        await decideTrend(c.var.scope.domain, kind, kind === "link" ? linkUrlOf(id) : id, decision);
        return c.json({}, 200);
      },
    );
  }
}
