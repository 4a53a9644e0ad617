import { and, desc, eq, gte, isNull, lt, sql, type SQL } from "drizzle-orm";
import { idFloorAt } from "#db/ids.ts";
import { posts, users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { showPosts, type ShownPost } from "../posts/hydrate.ts";
import { readableBy } from "../timelines.ts";
import { DAY_MS } from "./scoring.ts";

/** How far back the explore grid looks for pictures and videos. */
const POPULAR_MEDIA_WINDOW_MS = 7 * DAY_MS;

/**
 * The explore grid: the week's public posts with attachments that people engaged with most, as the viewer may see them
 * (readableBy in the read; showPosts checks each post again), excluding sensitive ones and non-discoverable authors.
 * A quiet server has few such posts in a week, so the grid is topped up with the most engaged older ones rather than
 * left nearly empty.
 */
export async function popularMediaPosts(
  ctx: DomainContext,
  viewerId: string | null,
  limit: number,
  now = Date.now(),
): Promise<ShownPost[]> {
  const weekFloor = idFloorAt(now - POPULAR_MEDIA_WINDOW_MS);
  const thisWeek = await engagedMediaPosts(ctx, viewerId, gte(posts.id, weekFloor), limit);
  const older = thisWeek.length < limit ? await engagedMediaPosts(ctx, viewerId, lt(posts.id, weekFloor), limit - thisWeek.length) : [];
  const shown = await showPosts(ctx, viewerId, [...thisWeek, ...older]);
  return shown.filter((post) => post.media.length > 0);
}

async function engagedMediaPosts(ctx: DomainContext, viewerId: string | null, when: SQL, limit: number) {
  const rows = await ctx.db
    .select({ post: posts })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(
      and(
        when,
        eq(posts.visibility, "public"),
        isNull(posts.reblogOfId),
        eq(posts.sensitive, false),
        eq(users.discoverable, true),
        sql`EXISTS (SELECT 1 FROM media_attachments WHERE media_attachments.post_id = ${posts.id})`,
        readableBy(viewerId),
      ),
    )
    .orderBy(desc(sql`${posts.favouritesCount} + 2 * ${posts.reblogsCount} + ${posts.repliesCount}`), desc(posts.id))
    .limit(limit);
  return rows.map((row) => row.post);
}
