import { eq, sql } from "drizzle-orm";
import { idFloorAt } from "#db/ids.ts";
import { trends, type trendKinds, type TrendDay } from "#db/schema/index.ts";
import { chunks } from "../chunks.ts";
import type { DomainContext } from "../context.ts";
import { dayStart, DAY_MS, decayedScore, HISTORY_DAYS, HOUR_MS, MIN_SCORE, velocityScore, type Peak } from "./scoring.ts";

export type TrendKind = (typeof trendKinds)[number];

/** At most this many items of each kind are kept: far more than any page shows, so hiding a few leaves plenty. */
const KEEP_PER_KIND = 100;
/** Posts trend on the last hours' engagement against their earlier rate, within their first two days. */
const POST_WINDOW_MS = 6 * HOUR_MS;
const POST_MAX_AGE_MS = 2 * DAY_MS;

/** A post the moderation pipeline scored at least this likely to be spam counts toward no trend (ADR 0040). */
export const TREND_SPAM_CUTOFF = 0.5;

/**
 * What may count toward a trend: public originals nobody's moderation touched and the pipeline did not score as likely
 * spam, by accounts neither limited nor suspended (a limited account stays out of trends without being told, ADR 0041).
 */
const trendable = sql`p.visibility = 'public' AND p.reblog_of_id IS NULL AND p.moderation_state IS NULL
  AND coalesce(p.spam_score, 0) < ${TREND_SPAM_CUTOFF}
  AND NOT EXISTS (SELECT 1 FROM users m WHERE m.id = p.author_id AND m.moderation_status IS NOT NULL)`;

interface Measured {
  key: string;
  observed: number;
  expected: number;
}

/**
 * Hashtags and links: distinct accounts in the last 24 hours against their average per day over the seven days before
 * (days counted back from now, so the comparison does not jump at midnight). Public originals only.
 */
async function measureByDay(ctx: DomainContext, kind: "tag" | "link", now: number): Promise<Measured[]> {
  const floor = idFloorAt(now - (HISTORY_DAYS + 1) * DAY_MS);
  const bucket = sql`CAST((${now} - p.created_at) / ${DAY_MS} AS INTEGER)`;
  const rows =
    kind === "tag"
      ? await ctx.db.all<{ key: string; bucket: number; accounts: number }>(sql`
          SELECT pt.tag_id AS key, ${bucket} AS bucket, count(DISTINCT p.author_id) AS accounts
          FROM post_tags pt JOIN posts p ON p.id = pt.post_id
          WHERE pt.post_id >= ${floor} AND p.created_at <= ${now} AND ${trendable}
          GROUP BY pt.tag_id, bucket`)
      : await ctx.db.all<{ key: string; bucket: number; accounts: number }>(sql`
          SELECT p.card_url AS key, ${bucket} AS bucket, count(DISTINCT p.author_id) AS accounts
          FROM posts p JOIN preview_cards c ON c.url = p.card_url AND c.state = 'ready'
          WHERE p.id >= ${floor} AND p.created_at <= ${now} AND ${trendable}
          GROUP BY p.card_url, bucket`);
  const byKey = new Map<string, Measured>();
  for (const row of rows) {
    const measured = byKey.get(row.key) ?? { key: row.key, observed: 0, expected: 0 };
    if (row.bucket === 0) measured.observed = row.accounts;
    else if (row.bucket <= HISTORY_DAYS) measured.expected += row.accounts / HISTORY_DAYS;
    byKey.set(row.key, measured);
  }
  return [...byKey.values()];
}

/**
 * Posts: distinct accounts that liked, reposted or replied in the last six hours against their rate before (per six
 * hours, over the post's earlier life up to two days). Public originals by discoverable authors, never the author's own doing.
 */
async function measurePosts(ctx: DomainContext, now: number): Promise<Measured[]> {
  const oldest = now - POST_MAX_AGE_MS;
  const recent = now - POST_WINDOW_MS;
  const floor = idFloorAt(oldest);
  const rows = await ctx.db.all<{ key: string; createdAt: number; recent: number; earlier: number }>(sql`
    WITH engagement(post_id, account_id, at) AS (
      SELECT post_id, user_id, created_at FROM favourites WHERE post_id >= ${floor}
      UNION ALL SELECT reblog_of_id, author_id, created_at FROM posts WHERE id >= ${floor} AND reblog_of_id IS NOT NULL
      UNION ALL SELECT in_reply_to_id, author_id, created_at FROM posts WHERE id >= ${floor} AND in_reply_to_id IS NOT NULL
    )
    SELECT e.post_id AS key, p.created_at AS createdAt,
      count(DISTINCT CASE WHEN e.at >= ${recent} THEN e.account_id END) AS recent,
      count(DISTINCT CASE WHEN e.at < ${recent} THEN e.account_id END) AS earlier
    FROM engagement e JOIN posts p ON p.id = e.post_id JOIN users u ON u.id = p.author_id
    WHERE e.at <= ${now} AND e.account_id <> p.author_id AND p.id >= ${floor} AND p.created_at <= ${now}
      AND ${trendable} AND u.discoverable = 1
    GROUP BY e.post_id`);
  return rows.map((row) => {
    const windowsBefore = Math.max(1, (recent - row.createdAt) / POST_WINDOW_MS);
    return { key: row.key, observed: row.recent, expected: row.earlier / windowsBefore };
  });
}

/** The last HISTORY_DAYS UTC days of each key, newest first, days without use included as zeros. */
async function historyOf(ctx: DomainContext, kind: "tag" | "link", keys: string[], now: number): Promise<Map<string, TrendDay[]>> {
  const firstDay = dayStart(now) - (HISTORY_DAYS - 1) * DAY_MS;
  const floor = idFloorAt(firstDay);
  const wanted = JSON.stringify(keys);
  // CAST: D1 binds numbers as reals, which would make the division fractional.
  const day = sql`CAST(p.created_at / ${DAY_MS} AS INTEGER) * 86400`;
  const rows =
    kind === "tag"
      ? await ctx.db.all<{ key: string; day: number; uses: number; accounts: number }>(sql`
          SELECT pt.tag_id AS key, ${day} AS day, count(*) AS uses, count(DISTINCT p.author_id) AS accounts
          FROM post_tags pt JOIN posts p ON p.id = pt.post_id
          WHERE pt.tag_id IN (SELECT value FROM json_each(${wanted})) AND pt.post_id >= ${floor} AND p.created_at <= ${now}
            AND ${trendable}
          GROUP BY pt.tag_id, day`)
      : await ctx.db.all<{ key: string; day: number; uses: number; accounts: number }>(sql`
          SELECT p.card_url AS key, ${day} AS day, count(*) AS uses, count(DISTINCT p.author_id) AS accounts
          FROM posts p
          WHERE p.card_url IN (SELECT value FROM json_each(${wanted})) AND p.id >= ${floor} AND p.created_at <= ${now}
            AND ${trendable}
          GROUP BY p.card_url, day`);
  const found = new Map(rows.map((row) => [`${row.key} ${row.day}`, row]));
  return new Map(
    keys.map((key) => [
      key,
      Array.from({ length: HISTORY_DAYS }, (_, back) => {
        const day = (dayStart(now) - back * DAY_MS) / 1000;
        const row = found.get(`${key} ${day}`);
        return { day, uses: row?.uses ?? 0, accounts: row?.accounts ?? 0 };
      }),
    ]),
  );
}

type Scored = Peak & { key: string; score: number; accounts: number };

/** Fresh scores merged with the decaying peaks of what trended before; the best KEEP_PER_KIND above MIN_SCORE. */
function rank(measured: Measured[], previous: Map<string, Peak>, now: number): Scored[] {
  const scored = new Map<string, Scored>();
  for (const item of measured) {
    scored.set(item.key, {
      key: item.key,
      accounts: item.observed,
      ...decayedScore(previous.get(item.key), velocityScore(item.observed, item.expected), now),
    });
  }
  for (const [key, peak] of previous) {
    if (!scored.has(key)) scored.set(key, { key, accounts: 0, ...decayedScore(peak, 0, now) });
  }
  return [...scored.values()]
    .filter((item) => item.score >= MIN_SCORE)
    .sort((a, b) => b.score - a.score)
    .slice(0, KEEP_PER_KIND);
}

async function refreshKind(ctx: DomainContext, kind: TrendKind, now: number): Promise<number> {
  const stored = await ctx.db
    .select({ key: trends.key, peakScore: trends.peakScore, peakAt: trends.peakAt })
    .from(trends)
    .where(eq(trends.kind, kind));
  const previous = new Map(stored.map((row) => [row.key, { peakScore: row.peakScore, peakAt: row.peakAt.getTime() }]));
  const measured = kind === "post" ? await measurePosts(ctx, now) : await measureByDay(ctx, kind, now);
  const ranked = rank(measured, previous, now);
  const histories =
    kind === "post"
      ? new Map<string, TrendDay[]>()
      : await historyOf(
          ctx,
          kind,
          ranked.map((item) => item.key),
          now,
        );
  const computedAt = new Date(now);
  const rows = ranked.map((item) => ({
    kind,
    key: item.key,
    score: item.score,
    peakScore: item.peakScore,
    peakAt: new Date(item.peakAt),
    accounts: item.accounts,
    history: histories.get(item.key) ?? [],
    computedAt,
  }));
  // One batch, one transaction: readers see the old list or the new one, never a half-written mix.
  await ctx.db.batch([
    ctx.db.delete(trends).where(eq(trends.kind, kind)),
    ...chunks(rows, 10).map((part) => ctx.db.insert(trends).values(part)),
  ]);
  return rows.length;
}

/** The trends job (every five minutes): scores hashtags, posts and links and stores what trends. */
export async function refreshTrends(ctx: DomainContext, now = Date.now()): Promise<Record<string, number>> {
  return {
    trendingTags: await refreshKind(ctx, "tag", now),
    trendingPosts: await refreshKind(ctx, "post", now),
    trendingLinks: await refreshKind(ctx, "link", now),
  };
}
