import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { followedTags, posts, previewCards, tags, trendDecisions, trends, type TrendDay } from "#db/schema/index.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { applyFilters } from "../filters/apply.ts";
import { readInstanceSettings } from "../instance-settings.ts";
import type { PreviewCard } from "../links/preview-cards.ts";
import { showPosts, type ShownPost } from "../posts/hydrate.ts";
import { assertCan } from "../accounts/permissions.ts";
import type { TrendKind } from "./refresh.ts";
import type { TrendDecision } from "./review.ts";

/** Mastodon's trends paging: `limit` (its default and maximum differ by kind) and `offset`. */
export function trendPageSchema(defaultLimit: number, maxLimit: number) {
  return z.object({
    limit: z.coerce
      .number({ message: "limit must be a whole number" })
      .int({ message: "limit must be a whole number" })
      .min(1, { message: "limit must be at least 1" })
      .transform((limit) => Math.min(limit, maxLimit))
      .default(defaultLimit),
    offset: z.coerce
      .number({ message: "offset must be a whole number" })
      .int({ message: "offset must be a whole number" })
      .min(0, { message: "offset must not be negative" })
      .max(10_000, { message: "offset must be at most 10000" })
      .default(0),
  });
}

export interface TrendPage {
  limit: number;
  offset: number;
}

/** The page sizes Mastodon documents for each kind. */
export const trendPageSizes = { tag: [10, 20], post: [20, 40], link: [10, 20] } as const satisfies Record<
  TrendKind,
  readonly [number, number]
>;

/**
 * Whose view of trends: the public's, or the admins' (Mastodon's admin trends API: every scored item, hidden ones and
 * hashtags awaiting review included, each with its decision, so that an admin can approve or reject it).
 */
export type TrendAudience = "public" | "admins";

/** A trend's decision, if an admin made one. */
const decisionOf = (kind: TrendKind) =>
  sql<TrendDecision | null>`(SELECT ${trendDecisions.decision} FROM ${trendDecisions}
                              WHERE ${trendDecisions.kind} = ${kind} AND ${trendDecisions.key} = ${trends.key})`;

/**
 * Items of a kind that may be shown: not hidden by an admin and, for hashtags when the instance asks for review,
 * approved; admins see them all (only admins may). Decisions are read here, not when scoring, so they apply at once.
 */
async function shownWhere(ctx: DomainContext, kind: TrendKind, audience: TrendAudience): Promise<SQL> {
  if (audience === "admins") {
    assertCan(ctx, "update:instance:any");
    return eq(trends.kind, kind);
  }
  const reviewRequired = kind === "tag" && (await readInstanceSettings(ctx)).trendsReviewNewTags;
  const allowed = reviewRequired ? sql`${decisionOf(kind)} = 'allowed'` : sql`coalesce(${decisionOf(kind)}, 'allowed') = 'allowed'`;
  return and(eq(trends.kind, kind), allowed)!;
}

export interface TrendingTag {
  id: string;
  name: string;
  history: TrendDay[];
  decision: TrendDecision | null;
  /** Whether the viewer follows it (false for visitors). */
  following: boolean;
}

export async function trendingTags(
  ctx: DomainContext,
  viewerId: string | null,
  page: TrendPage,
  audience: TrendAudience = "public",
): Promise<TrendingTag[]> {
  const following = viewerId
    ? sql<number>`EXISTS (SELECT 1 FROM ${followedTags} WHERE ${followedTags.userId} = ${viewerId} AND ${followedTags.tagId} = ${tags.id})`
    : sql<number>`0`;
  const rows = await ctx.db
    .select({ id: tags.id, name: tags.name, history: trends.history, following, decision: decisionOf("tag") })
    .from(trends)
    .innerJoin(tags, eq(tags.id, trends.key))
    .where(await shownWhere(ctx, "tag", audience))
    .orderBy(desc(trends.score), asc(trends.key))
    .limit(page.limit)
    .offset(page.offset);
  return rows.map((row) => ({ ...row, following: Boolean(row.following) }));
}

export interface TrendingLink {
  card: PreviewCard;
  history: TrendDay[];
  decision: TrendDecision | null;
}

export async function trendingLinks(ctx: DomainContext, page: TrendPage, audience: TrendAudience = "public"): Promise<TrendingLink[]> {
  const rows = await ctx.db
    .select({ card: previewCards, history: trends.history, decision: decisionOf("link") })
    .from(trends)
    .innerJoin(previewCards, and(eq(previewCards.url, trends.key), eq(previewCards.state, "ready")))
    .where(await shownWhere(ctx, "link", audience))
    .orderBy(desc(trends.score), asc(trends.key))
    .limit(page.limit)
    .offset(page.offset);
  return rows;
}

/**
 * Trending posts as the viewer may see them (showPosts applies visibility, blocks and profile access for each viewer;
 * a page can hold fewer than `limit` for it). Deleted posts simply are not found. The public reads them through the
 * viewer's "public" filters, as the public timeline and search (ADR 0041); admins reviewing trends see every post
 * unfiltered, since they decide on what the public would be shown.
 */
export async function trendingPosts(
  ctx: DomainContext,
  viewerId: string | null,
  page: TrendPage,
  audience: TrendAudience = "public",
): Promise<ShownPost[]> {
  const ranked = await ctx.db
    .select({ key: trends.key })
    .from(trends)
    .where(await shownWhere(ctx, "post", audience))
    .orderBy(desc(trends.score), asc(trends.key))
    .limit(page.limit)
    .offset(page.offset);
  const ids = ranked.map((row) => row.key);
  if (ids.length === 0) return [];
  const rows = await ctx.db
    .select()
    .from(posts)
    .where(and(inArray(posts.id, inIds(ids)), eq(posts.visibility, "public"), isNull(posts.reblogOfId)));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const shown = await showPosts(
    ctx,
    viewerId,
    ids.flatMap((id) => byId.get(id) ?? []),
  );
  const unmuted = viewerId ? shown.filter((post) => !post.authorMuted) : shown;
  return audience === "admins" ? unmuted : applyFilters(ctx, viewerId, "public", unmuted);
}
