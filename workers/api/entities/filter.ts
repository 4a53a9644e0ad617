import { z } from "@hono/zod-openapi";
import { filterActions, filterContexts } from "#db/schema/index.ts";
import type { FilterMatch } from "#domain/filters/apply.ts";
import type { Filter, FilterKeyword, FilterStatus } from "#domain/filters/filters.ts";

export const FilterKeywordSchema = z
  .object({ id: z.string(), keyword: z.string(), whole_word: z.boolean() })
  .openapi("FilterKeyword", { description: "Mastodon's FilterKeyword: a word or phrase a filter matches." });

export const FilterStatusSchema = z
  .object({ id: z.string(), status_id: z.string() })
  .openapi("FilterStatus", { description: "Mastodon's FilterStatus: a post a filter matches." });

export const FilterSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    context: z.array(z.enum(filterContexts)),
    expires_at: z.iso.datetime().nullable(),
    filter_action: z.enum(filterActions).openapi({ description: "warn, hide, or blur (Mastodon 4.4: blur the post's media)." }),
    keywords: z.array(FilterKeywordSchema),
    statuses: z.array(FilterStatusSchema),
  })
  .openapi("Filter", { description: "Mastodon's Filter (v2)." });

export const FilterResultSchema = z
  .object({
    filter: FilterSchema,
    keyword_matches: z.array(z.string()).nullable(),
    status_matches: z.array(z.string()).nullable(),
  })
  .openapi("FilterResult", { description: "Why a status matched one of your filters." });

export const presentKeyword = (keyword: FilterKeyword): z.infer<typeof FilterKeywordSchema> => ({
  id: keyword.id,
  keyword: keyword.keyword,
  whole_word: keyword.wholeWord,
});

export const presentFilterStatus = (status: FilterStatus): z.infer<typeof FilterStatusSchema> => ({
  id: status.id,
  status_id: status.postId,
});

export function presentFilter(filter: Filter): z.infer<typeof FilterSchema> {
  return {
    id: filter.id,
    title: filter.title,
    context: filter.contexts,
    expires_at: filter.expiresAt?.toISOString() ?? null,
    filter_action: filter.action,
    keywords: filter.keywords.map(presentKeyword),
    statuses: filter.statuses.map(presentFilterStatus),
  };
}

export function presentFilterResult(match: FilterMatch): z.infer<typeof FilterResultSchema> {
  return {
    filter: presentFilter(match.filter),
    keyword_matches: match.keywordMatches.length ? match.keywordMatches : null,
    status_matches: match.statusMatches.length ? match.statusMatches : null,
  };
}
