import { and, gt, inArray, isNull, or, sql } from "drizzle-orm";
import { filters } from "#db/schema/index.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import type { ShownPost } from "../posts/hydrate.ts";
import { withParts, type Filter, type FilterContext } from "./filters.ts";

/** Why a post matched one of the viewer's filters (Mastodon's FilterResult). */
export interface FilterMatch {
  filter: Filter;
  keywordMatches: string[];
  statusMatches: string[];
}

/** The viewer's filters that apply in a context now (not expired). One read for a whole page. */
export async function activeFilters(ctx: DomainContext, viewerId: string, context: FilterContext, at = new Date()): Promise<Filter[]> {
  return (await activeFiltersOf(ctx, [viewerId], context, at)).get(viewerId) ?? [];
}

/** Several viewers' filters that apply in a context now, by viewer (those without any are absent): one read for a live event. */
export async function activeFiltersOf(
  ctx: DomainContext,
  viewerIds: string[],
  context: FilterContext,
  at = new Date(),
): Promise<Map<string, Filter[]>> {
  const byViewer = new Map<string, Filter[]>();
  if (viewerIds.length === 0) return byViewer;
  const rows = await ctx.db
    .select()
    .from(filters)
    .where(
      and(
        inArray(filters.userId, inIds(viewerIds)),
        or(isNull(filters.expiresAt), gt(filters.expiresAt, at)),
        sql`EXISTS (SELECT 1 FROM json_each(${filters.contexts}) WHERE value = ${context})`,
      ),
    );
  for (const filter of await withParts(ctx, rows)) byViewer.set(filter.userId, [...(byViewer.get(filter.userId) ?? []), filter]);
  return byViewer;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A keyword as a pattern: anywhere in the text, or, for whole words, not inside a longer word (Mastodon's rule, with
 * Unicode letters and digits counted as word characters so that "cat" does not match "catégorie").
 */
function keywordPattern(keyword: string, wholeWord: boolean): RegExp {
  const escaped = escapeRegExp(keyword);
  return new RegExp(wholeWord ? `(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])` : escaped, "iu");
}

/** What filters read of a post: its text, content warning, media descriptions and poll options. */
function searchableText(post: ShownPost): string {
  return [
    post.post.text,
    post.post.spoilerText,
    ...post.media.map((attachment) => attachment.description),
    ...(post.poll?.options.map((option) => option.title) ?? []),
  ].join("\n");
}

/** The filters a post matches, with the keywords and filtered posts that made it match. */
export function matchesOf(active: Filter[], shown: ShownPost): FilterMatch[] {
  const content = shown.reblog ?? shown;
  const text = searchableText(content);
  const matches: FilterMatch[] = [];
  for (const filter of active) {
    const keywordMatches = filter.keywords.filter((k) => keywordPattern(k.keyword, k.wholeWord).test(text)).map((k) => k.keyword);
    const statusMatches = filter.statuses.filter((s) => s.postId === content.post.id).map((s) => s.id);
    if (keywordMatches.length > 0 || statusMatches.length > 0) matches.push({ filter, keywordMatches, statusMatches });
  }
  return matches;
}

/**
 * The one place filters act, for every list of posts a person reads (timelines, threads, notifications, search): a
 * post matching a "hide" filter is left out; one matching "warn" or "blur" filters stays, carrying its matches in
 * `filtered` (on the repost and its original alike), for the door to cover. Visitors have no filters. `postOf` finds
 * the post in an item (a notification's, say); items without a post pass. The `opened` item (the post a thread page
 * or GET /statuses/:id was asked for) is never left out, since the viewer asked for it: a "hide" match covers it as a
 * warning instead.
 */
export async function applyFilters<T>(
  ctx: DomainContext,
  viewerId: string | null,
  context: FilterContext,
  items: T[],
  postOf: (item: T) => ShownPost | null = (item) => item as ShownPost,
  opened?: T,
): Promise<T[]> {
  if (!viewerId || items.length === 0) return items;
  const active = await activeFilters(ctx, viewerId, context);
  if (active.length === 0) return items;
  return items.filter((item) => {
    const shown = postOf(item);
    const matches = shown ? screenPost(active, shown, viewerId) : [];
    if (item !== opened && hides(matches)) return false;
    // The shown posts were built for this one read: marking them here is marking this viewer's copy.
    if (shown && matches.length > 0) coverPost(shown, matches);
    return true;
  });
}

/** The viewer's filters a post matches; none for the viewer's own posts, which are never filtered for them (as on Mastodon). */
export function screenPost(active: Filter[], shown: ShownPost, viewerId: string): FilterMatch[] {
  return (shown.reblog ?? shown).post.authorId === viewerId ? [] : matchesOf(active, shown);
}

/** Whether the matches leave the post out (a "hide" filter) rather than cover it with a warning. */
export const hides = (matches: FilterMatch[]) => matches.some((match) => match.filter.action === "hide");

/** Marks a post (and the original, if it is a repost) with the filters it matched, for the door to cover. */
export function coverPost(shown: ShownPost, matches: FilterMatch[]): void {
  shown.filtered = matches;
  if (shown.reblog) shown.reblog.filtered = matches;
}
