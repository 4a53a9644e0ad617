import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { isId, normaliseId } from "#db/ids.ts";
import { pageRequestSchema } from "#domain/pagination.ts";
import { visibleProfile } from "#domain/profiles/access.ts";
import { searchAccounts } from "#domain/search/accounts.ts";
import { MAX_QUERY_LENGTH } from "#domain/search/query.ts";
import { search } from "#domain/search/search.ts";
import { searchRateLimit } from "#workers/platform/rate-limit.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, tokenMayUse } from "../authentication.ts";
import { AccountSchema, presentAccount } from "../entities/account.ts";
import { errorResponse } from "../entities/error.ts";
import { presentStatus, StatusSchema } from "../entities/status.ts";
import { validationHook } from "../errors.ts";
import { queryBoolean } from "../params.ts";
import { presentTag, TagSchema } from "./tags.ts";

/** Deeper than this, relevance order means little and each page costs more to reach; Mastodon caps offsets too. */
const MAX_OFFSET = 10_000;

const offsetParam = z.coerce
  .number({ message: "offset must be a whole number" })
  .int({ message: "offset must be a whole number" })
  .min(0, { message: "offset must be at least 0" })
  .max(MAX_OFFSET, { message: `offset must be at most ${MAX_OFFSET}` })
  .default(0)
  .openapi({ description: "Skip this many results (relevance order has no cursor)." });

const qParam = z
  .string()
  .max(10_000)
  .openapi({
    description:
      `What to search for, up to ${MAX_QUERY_LENGTH} characters (longer is a 422): words, "exact phrases", -excluded words, ` +
      "and X's operators: from:user, to:user, @user, #tag, has:media|poll|link, min_faves:N, min_reblogs:N, " +
      "min_replies:N, since:YYYY-MM-DD, until:YYYY-MM-DD, lang:xx, filter:replies (negate any with -), and in:likes or " +
      "in:bookmarks to search your own history (docs/search.md). An operator with a bad value is a 422.",
    example: "birds has:media -filter:replies",
  });

const PerchTagSchema = TagSchema.extend({
  perch: z
    .object({
      uses: z.number().int().openapi({ description: "Public posts with the hashtag" }),
      accounts: z.number().int().openapi({ description: "Distinct accounts that wrote them" }),
    })
    .openapi({ description: "Perch's usage counts (Mastodon's history stays daily)." }),
}).openapi("SearchTag");

const SearchResultsSchema = z
  .object({
    accounts: z.array(AccountSchema),
    statuses: z.array(StatusSchema),
    hashtags: z.array(PerchTagSchema),
  })
  .openapi("Search", { description: "Mastodon's search results." });

const searchQuery = pageRequestSchema.extend({
  q: qParam,
  type: z.enum(["accounts", "hashtags", "statuses"]).optional().openapi({ description: "Only this kind of result." }),
  resolve: queryBoolean.openapi({
    description:
      "Look the query up as a link or address. Perch does not federate: links to this server's accounts and posts, " +
      "and @user@this-domain, are found (they are even without it); anything elsewhere finds nothing. Needs a token.",
  }),
  following: queryBoolean.openapi({ description: "Only accounts you follow." }),
  account_id: z
    .string()
    .refine(isId, { message: "account_id must be a numeric id" })
    .transform(normaliseId)
    .optional()
    .openapi({ description: "Only posts by this account." }),
  exclude_unreviewed: queryBoolean.openapi({
    description: "Only hashtags an admin has reviewed and allowed to trend (/admin/trends).",
  }),
  offset: offsetParam,
});

const accountSearchQuery = z.object({
  q: qParam.openapi({ description: "A username (with or without @ and this server's domain) or part of a name." }),
  limit: z.coerce
    .number({ message: "limit must be a whole number" })
    .int({ message: "limit must be a whole number" })
    .min(1, { message: "limit must be at least 1" })
    .transform((limit) => Math.min(limit, 80))
    .default(40)
    .openapi({ description: "Up to 80; default 40." }),
  offset: offsetParam,
  resolve: queryBoolean.openapi({ description: "Accepted: Perch does not federate, so only this server's accounts are found." }),
  following: queryBoolean.openapi({ description: "Only accounts you follow." }),
});

const hostOf = (origin: string) => new URL(origin).host;

export const searchRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v2/search",
      operationId: "search",
      tags: ["Search"],
      summary: "Search accounts, hashtags and posts",
      description:
        "Accounts by username and name (people you follow first, then people they follow), hashtags by prefix, and " +
        "posts you may see, ranked by relevance blended with engagement and recency (docs/search.md). Without a " +
        "token, `offset` and `resolve` are refused (401) as on Mastodon; a token needs `read:search`. Searches are " +
        "limited to 60 a minute per account (per address without a user token).",
      // No token, or one with read:search: an empty requirement is how OpenAPI says "or none".
      security: [{}, { oauth2: ["read:search"] }] as Record<string, string[]>[],
      middleware: [tokenMayUse("read:search"), searchRateLimit] as const,
      request: { query: searchQuery },
      responses: {
        200: { description: "Results", content: { "application/json": { schema: SearchResultsSchema } } },
        400: errorResponse("A malformed parameter"),
        401: errorResponse("offset or resolve without a token"),
        403: errorResponse("A token without read:search"),
        422: errorResponse("A query over 500 characters, or an operator with a value it cannot take"),
        429: errorResponse("Over 60 searches a minute"),
      },
    }),
    async (c) => {
      const { domain, viewer, origin } = c.var.scope;
      const query = c.req.valid("query");
      const results = await search(domain, viewer?.user.id ?? null, hostOf(origin), {
        query: query.q,
        type: query.type,
        following: query.following,
        accountId: query.account_id,
        page: query,
        offset: query.offset,
        resolve: query.resolve,
        reviewedTagsOnly: query.exclude_unreviewed,
      });
      return c.json(
        {
          accounts: results.accounts.map((view) => presentAccount(visibleProfile(view), origin)),
          statuses: results.statuses.map((post) => presentStatus(post, origin)),
          hashtags: results.hashtags.map((tag) => ({ ...presentTag(tag, origin), perch: { uses: tag.uses, accounts: tag.accounts } })),
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/accounts/search",
      operationId: "searchAccounts",
      tags: ["Search"],
      summary: "Search accounts",
      description: "Accounts by username and name, as in /api/v2/search, for mention autocompletion and the like.",
      security: needs(["read:accounts"]).security,
      middleware: [...needs(["read:accounts"]).middleware, searchRateLimit] as const,
      request: { query: accountSearchQuery },
      responses: {
        200: { description: "Accounts", content: { "application/json": { schema: z.array(AccountSchema) } } },
        400: errorResponse("A malformed parameter"),
        422: errorResponse("A query over 500 characters"),
        429: errorResponse("Over 60 searches a minute"),
      },
    }),
    async (c) => {
      const { domain, viewer, origin } = c.var.scope;
      const query = c.req.valid("query");
      const page = await searchAccounts(domain, viewer!.user.id, hostOf(origin), { ...query, query: query.q });
      return c.json(
        page.items.map((view) => presentAccount(visibleProfile(view), origin)),
        200,
      );
    },
  );
