import { and, eq, gte, inArray, sql } from "drizzle-orm";
import { analyticsDaily, posts, users } from "#db/schema/index.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { dayOf, viewersOf } from "./views.ts";

/** The window /analytics shows. */
export const ANALYTICS_DAYS = 30;

/** One day of a series. */
export interface DayCount {
  day: string;
  count: number;
}

/** The last `days` UTC days, oldest first, each with its count (0 where nothing happened). */
function series(days: number, now: Date, counts: Map<string, number>): DayCount[] {
  return Array.from({ length: days }, (_, i) => {
    const day = dayOf(new Date(now.getTime() - (days - 1 - i) * 86_400_000));
    return { day, count: counts.get(day) ?? 0 };
  });
}

const total = (days: DayCount[]) => days.reduce((sum, day) => sum + day.count, 0);

type DayRows = { day: string; n: number }[];
const toMap = (rows: DayRows) => new Map(rows.map((row) => [row.day, Number(row.n)]));
const utcDay = (column: unknown) => sql<string>`date(${column} / 1000, 'unixepoch')`;

/** Impressions (or visits) per day: the day rows' distinct viewers, summed over the subjects. */
async function viewersPerDay(ctx: DomainContext, where: ReturnType<typeof and>) {
  const rows = await ctx.db
    .select({ day: analyticsDaily.day, registers: analyticsDaily.registers, viewers: analyticsDaily.viewers })
    .from(analyticsDaily)
    .where(where);
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.day, (counts.get(row.day) ?? 0) + viewersOf(row));
  return counts;
}

/** Likes, reposts and replies per day that `postFilter` (SQL over the engaged-with post, alias o) selects. */
async function engagementPerDay(ctx: DomainContext, postFilter: ReturnType<typeof sql>, since: Date) {
  const sinceMs = since.getTime();
  const [likes, reposts, replies] = await Promise.all([
    ctx.db.all<{ day: string; n: number }>(sql`
      SELECT date(f.created_at / 1000, 'unixepoch') AS day, count(*) AS n
      FROM favourites f JOIN posts o ON o.id = f.post_id
      WHERE ${postFilter} AND f.created_at >= ${sinceMs} AND f.user_id != o.author_id GROUP BY 1`),
    ctx.db.all<{ day: string; n: number }>(sql`
      SELECT date(p.created_at / 1000, 'unixepoch') AS day, count(*) AS n
      FROM posts p JOIN posts o ON o.id = p.reblog_of_id
      WHERE ${postFilter} AND p.created_at >= ${sinceMs} AND p.author_id != o.author_id GROUP BY 1`),
    ctx.db.all<{ day: string; n: number }>(sql`
      SELECT date(p.created_at / 1000, 'unixepoch') AS day, count(*) AS n
      FROM posts p JOIN posts o ON o.id = p.in_reply_to_id
      WHERE ${postFilter} AND p.created_at >= ${sinceMs} AND p.author_id != o.author_id GROUP BY 1`),
  ]);
  return { likes: toMap(likes), reposts: toMap(reposts), replies: toMap(replies) };
}

/**
 * An author's last 30 days, for /analytics: impressions of their posts (distinct viewers per post and day, summed),
 * likes, reposts and replies others gave their posts, visits to their profile, and followers (each day's end,
 * reconstructed from today's count and the dates of current follows: someone who followed and left is not seen).
 */
export async function authorAnalytics(ctx: DomainContext, authorId: string, now = new Date(), days = ANALYTICS_DAYS) {
  const since = new Date(now.getTime() - (days - 1) * 86_400_000);
  const sinceDay = dayOf(since);
  const [impressions, visits, engagement, newFollowers, author] = await Promise.all([
    viewersPerDay(
      ctx,
      and(eq(analyticsDaily.ownerId, authorId), eq(analyticsDaily.subjectKind, "post"), gte(analyticsDaily.day, sinceDay)),
    ),
    viewersPerDay(
      ctx,
      and(eq(analyticsDaily.ownerId, authorId), eq(analyticsDaily.subjectKind, "profile"), gte(analyticsDaily.day, sinceDay)),
    ),
    engagementPerDay(ctx, sql`o.author_id = ${authorId}`, new Date(`${sinceDay}T00:00:00Z`)),
    ctx.db.all<{ day: string; n: number }>(sql`
      SELECT ${utcDay(sql`created_at`)} AS day, count(*) AS n FROM follows
      WHERE followee_id = ${authorId} AND created_at >= ${new Date(`${sinceDay}T00:00:00Z`).getTime()} GROUP BY 1`),
    ctx.db.query.users.findFirst({ where: eq(users.id, authorId), columns: { followersCount: true } }),
  ]);
  const gained = series(days, now, toMap(newFollowers));
  // Walk back from today's count: each day ends with today's followers less those who came after it.
  let after = 0;
  const followers = [...gained]
    .reverse()
    .map((day) => {
      const count = (author?.followersCount ?? 0) - after;
      after += day.count;
      return { day: day.day, count };
    })
    .reverse();
  const result = {
    impressions: series(days, now, impressions),
    likes: series(days, now, engagement.likes),
    reposts: series(days, now, engagement.reposts),
    replies: series(days, now, engagement.replies),
    profileVisits: series(days, now, visits),
    newFollowers: gained,
    followers,
  };
  return {
    ...result,
    totals: {
      impressions: total(result.impressions),
      likes: total(result.likes),
      reposts: total(result.reposts),
      replies: total(result.replies),
      profileVisits: total(result.profileVisits),
      newFollowers: total(gained),
      followers: author?.followersCount ?? 0,
    },
  };
}

export type AuthorAnalytics = Awaited<ReturnType<typeof authorAnalytics>>;

/** The author's posts with the most impressions in the window, for the list under the charts. */
export async function topPosts(ctx: DomainContext, authorId: string, now = new Date(), limit = 10) {
  const sinceDay = dayOf(new Date(now.getTime() - (ANALYTICS_DAYS - 1) * 86_400_000));
  const rows = await ctx.db
    .select({ subjectId: analyticsDaily.subjectId, registers: analyticsDaily.registers, viewers: analyticsDaily.viewers })
    .from(analyticsDaily)
    .where(and(eq(analyticsDaily.ownerId, authorId), eq(analyticsDaily.subjectKind, "post"), gte(analyticsDaily.day, sinceDay)));
  const byPost = new Map<string, number>();
  for (const row of rows) byPost.set(row.subjectId, (byPost.get(row.subjectId) ?? 0) + viewersOf(row));
  const ranked = [...byPost].sort((a, b) => b[1] - a[1]).slice(0, limit);
  if (ranked.length === 0) return [];
  const found = await ctx.db
    .select({
      id: posts.id,
      text: posts.text,
      spoilerText: posts.spoilerText,
      likes: posts.favouritesCount,
      reposts: posts.reblogsCount,
      replies: posts.repliesCount,
      createdAt: posts.createdAt,
    })
    .from(posts)
    .where(and(eq(posts.authorId, authorId), inArray(posts.id, inIds(ranked.map(([id]) => id)))));
  const byId = new Map(found.map((post) => [post.id, post]));
  return ranked.flatMap(([id, impressions]) => {
    const post = byId.get(id);
    return post ? [{ ...post, impressions }] : [];
  });
}

/**
 * One post's last 30 days for its author: impressions, likes, reposts and replies per day, with its all-time totals.
 * Anyone else's post is not found.
 */
export async function postAnalytics(ctx: DomainContext, authorId: string, postId: string, now = new Date(), days = ANALYTICS_DAYS) {
  const post = await ctx.db.query.posts.findFirst({ where: and(eq(posts.id, postId), eq(posts.authorId, authorId)) });
  if (!post || post.reblogOfId) throw new DomainError("not_found", "Record not found");
  const sinceDay = dayOf(new Date(now.getTime() - (days - 1) * 86_400_000));
  const [impressions, allTime, engagement] = await Promise.all([
    viewersPerDay(
      ctx,
      and(eq(analyticsDaily.subjectKind, "post"), eq(analyticsDaily.subjectId, postId), gte(analyticsDaily.day, sinceDay)),
    ),
    viewersPerDay(ctx, and(eq(analyticsDaily.subjectKind, "post"), eq(analyticsDaily.subjectId, postId))),
    engagementPerDay(ctx, sql`o.id = ${postId}`, new Date(`${sinceDay}T00:00:00Z`)),
  ]);
  return {
    post,
    impressions: series(days, now, impressions),
    likes: series(days, now, engagement.likes),
    reposts: series(days, now, engagement.reposts),
    replies: series(days, now, engagement.replies),
    totals: {
      impressions: [...allTime.values()].reduce((sum, n) => sum + n, 0),
      likes: post.favouritesCount,
      reposts: post.reblogsCount,
      replies: post.repliesCount,
    },
  };
}
