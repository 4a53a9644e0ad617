import { and, sql } from "drizzle-orm";
import { followedTags, posts, postTags, tags, trendDecisions } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import type { RankedPage } from "./posts.ts";
import { checkQueryLength } from "./query.ts";

export interface TagMatch {
  /** As first written (#SwiftUI). */
  name: string;
  /** Public posts with it, and the distinct accounts that wrote them. */
  uses: number;
  accounts: number;
  /** Whether the searcher follows it (false for visitors). */
  following: boolean;
}

/** The tag of the row, qualified: Drizzle leaves a one-table select's columns bare, which a subquery would rebind. */
const tagId = sql.raw(`"tags"."id"`);

/** An admin reviewed the hashtag and allowed it to trend (ADR 0038). */
const reviewed = sql`EXISTS (SELECT 1 FROM ${trendDecisions} WHERE ${trendDecisions.kind} = 'tag'
                     AND ${trendDecisions.key} = ${tagId} AND ${trendDecisions.decision} = 'allowed')`;

/**
 * Hashtags starting with the query (a leading # ignored, any case): the exact name first, then by use. Uses count
 * public posts only, so a count never reveals posts the searcher could not read. `reviewedOnly` keeps those an admin
 * allowed to trend (Mastodon's exclude_unreviewed, for clients looking for tags to feature).
 */
export async function searchHashtags(
  ctx: DomainContext,
  viewerId: string | null,
  search: { query: string; limit: number; offset: number; reviewedOnly?: boolean },
): Promise<RankedPage<TagMatch>> {
  checkQueryLength(search.query);
  const name = search.query.trim().replace(/^#/, "");
  if (!/^[\p{L}\p{M}\p{N}_]{1,100}$/u.test(name)) return { items: [], nextOffset: null };
  const prefix = `${name.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  const rows = await ctx.db
    .select({
      name: tags.name,
      uses: sql<number>`(SELECT count(*) FROM ${postTags} JOIN ${posts} ON ${posts.id} = ${postTags.postId}
                         WHERE ${postTags.tagId} = ${tagId} AND ${posts.visibility} = 'public')`.as("uses"),
      accounts: sql<number>`(SELECT count(DISTINCT ${posts.authorId}) FROM ${postTags} JOIN ${posts} ON ${posts.id} = ${postTags.postId}
                             WHERE ${postTags.tagId} = ${tagId} AND ${posts.visibility} = 'public')`,
      following: viewerId
        ? sql<number>`EXISTS (SELECT 1 FROM ${followedTags} WHERE ${followedTags.tagId} = ${tagId} AND ${followedTags.userId} = ${viewerId})`
        : sql<number>`0`,
    })
    .from(tags)
    .where(and(sql`lower(${tags.name}) LIKE ${prefix} ESCAPE '\\'`, search.reviewedOnly ? reviewed : undefined))
    .orderBy(sql`lower(${tags.name}) = lower(${name}) DESC`, sql`uses DESC`, tags.name)
    .limit(search.limit)
    .offset(search.offset);
  return {
    items: rows.map((row) => ({ ...row, following: Boolean(row.following) })),
    nextOffset: rows.length === search.limit ? search.offset + rows.length : null,
  };
}
