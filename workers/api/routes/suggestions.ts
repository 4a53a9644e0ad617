import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { dismissSuggestion, MAX_SUGGESTIONS, suggestionsFor, type SuggestionSource } from "#domain/recommendations/suggestions.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { AccountSchema, presentAccount } from "../entities/account.ts";
import { errorResponse } from "../entities/error.ts";
import { validationHook } from "../errors.ts";

const SuggestionSchema = z
  .object({
    source: z.enum(["staff", "past_interactions", "global"]).openapi({ description: "Deprecated by Mastodon in favour of `sources`." }),
    sources: z.array(z.enum(["friends_of_friends", "similar_to_recently_followed", "most_followed"])).openapi({
      description:
        "Every reason the account is suggested. `similar_to_recently_followed`: close to your interests (posts you like, repost, reply to and open).",
    }),
    account: AccountSchema,
  })
  .openapi("Suggestion", { description: "Mastodon's Suggestion: an account to follow and why." });

/** Mastodon's deprecated single `source` for each of Perch's reasons. */
const legacySource: Record<SuggestionSource, "past_interactions" | "global"> = {
  friends_of_friends: "past_interactions",
  similar_to_recently_followed: "past_interactions",
  most_followed: "global",
};

const limitQuery = z.object({
  limit: z.coerce
    .number({ message: "limit must be a whole number" })
    .int({ message: "limit must be a whole number" })
    .min(1, { message: "limit must be at least 1" })
    .transform((limit) => Math.min(limit, MAX_SUGGESTIONS))
    .default(40),
});

export const suggestionRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v2/suggestions",
      operationId: "getSuggestions",
      tags: ["Discovery"],
      summary: "Accounts to follow",
      description:
        "People followed by people you follow (most shared first) and people close to your interests (by the posts you like, " +
        "repost, reply to and open), in turns, topped up with the most followed accounts. Leaves out " +
        `accounts you follow or asked to follow, blocked either way, muted, dismissed, or not discoverable. \`limit\` defaults to 40, at most ${MAX_SUGGESTIONS}.`,
      ...needs(["read"]),
      request: { query: limitQuery },
      responses: {
        200: { description: "Suggestions", content: { "application/json": { schema: z.array(SuggestionSchema) } } },
        400: errorResponse("A malformed limit"),
      },
    }),
    async (c) => {
      const found = await suggestionsFor(c.var.scope.domain, userOf(c).id, c.req.valid("query").limit);
      return c.json(
        found.map((item) => ({
          source: legacySource[item.sources[0]!],
          sources: item.sources,
          account: presentAccount(item.account, c.var.scope.origin),
        })),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/api/v1/suggestions/{account_id}",
      operationId: "removeSuggestion",
      tags: ["Discovery"],
      summary: "Dismiss a suggestion",
      description: "The account is never suggested to you again.",
      ...needs(["read"]),
      request: {
        params: z.object({
          account_id: z
            .string()
            .min(1)
            .max(64)
            .openapi({ param: { name: "account_id", in: "path" }, example: "113000000000000000" }),
        }),
      },
      responses: {
        200: { description: "Dismissed", content: { "application/json": { schema: z.object({}) } } },
        404: errorResponse("No such account"),
      },
    }),
    async (c) => {
      await dismissSuggestion(c.var.scope.domain, userOf(c).id, c.req.valid("param").account_id);
      return c.json({}, 200);
    },
  );
