import { and, desc, eq, not, sql, type SQL } from "drizzle-orm";
import { postsFts } from "#db/fts.ts";
import { bookmarks, favourites, mediaAttachments, mentions, polls, posts, postTags, tags, users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { newestFirst, pageBounds, pageOf, type Page, type PageRequest } from "../pagination.ts";
import { showPosts, type ShownPost } from "../posts/hydrate.ts";
import { applyFilters } from "../filters/apply.ts";
import { readableBy } from "../timelines.ts";
import { asksForAnything, ftsMatch, parseQuery, type ParsedQuery, type PostFilter } from "./query.ts";

/** Results in relevance order, paged by how many came before (Mastodon's `offset`): a score has no cursor. */
export interface RankedPage<T> {
  items: T[];
  /** The offset of the next page; null when this one reached the end. */
  nextOffset: number | null;
}

/** Top: the blended score of docs/search.md; Latest: newest first, paged by id cursors. */
export type PostOrder = "top" | "latest";

export interface PostSearch {
  query: string;
  order: PostOrder;
  /** Cursors bound the ids (both orders); limit is the page size. */
  page: PageRequest;
  /** Results to skip, in the top order only. */
  offset?: number;
  /** Only posts with attachments (the Media tab). */
  onlyMedia?: boolean;
  /** Only posts by this account (Mastodon's account_id). */
  authorId?: string;
}

/** Ranking's constants, explained in docs/search.md. */
export const RANKING = {
  /** bm25 column weights: text, then content warning. */
  textWeight: 1.0,
  spoilerWeight: 0.5,
  /** Engagement E = likes + 2 x reposts + replies lifts a score by up to 2x: 1 + E / (E + halfEngagement). */
  halfEngagement: 20,
  /** A post this many hours old keeps 3/4 of its score, falling toward 1/2: 1/2 + 1/2 / (1 + age / recencyHours). */
  recencyHours: 72,
} as const;

/**
 * Posts matching a search, as the searcher may see them: the one visibility rule (canSeePost, through showPosts)
 * after a read that already leaves out what it would refuse, so pages stay full: authors whose profile is closed to
 * the searcher, either side's blocks, the searcher's mutes (readableBy, as timelines apply them), authors who opted
 * out of search (discoverable off) unless it is the searcher's own history, and posts whose visibility does not reach
 * them (unlisted posts only reach followers here: they stay off discovery, as on Mastodon). Deleted posts are gone
 * from the index with their row (migration 0025's triggers).
 */
export async function searchPosts(
  ctx: DomainContext,
  viewerId: string | null,
  search: PostSearch,
): Promise<Page<ShownPost> & RankedPage<ShownPost>> {
  const parsed = parseQuery(search.query);
  if (!asksForAnything(parsed) && !search.onlyMedia) return { items: [], older: null, newer: null, nextOffset: null };
  if (parsed.scope && !viewerId) throw new DomainError("unauthenticated", `Log in to search your ${parsed.scope}`);
  const now = Date.now();
  const matching = parsed.include.length > 0;
  const bounds = pageBounds(posts.id, search.page);
  const offset = search.order === "top" ? (search.offset ?? 0) : 0;
  const query = ctx.db.select({ post: posts }).from(posts).innerJoin(users, eq(users.id, posts.authorId)).$dynamic();
  if (matching) query.innerJoin(postsFts, sql`${posts.id} = CAST(${postsFts.rowid} AS TEXT)`);
  const rows = await query
    .where(
      and(
        matching ? sql`${postsFts} MATCH ${ftsMatch(parsed.include)}` : undefined,
        matching ? candidateWindow(ftsMatch(parsed.include), search.page) : undefined,
        excluding(parsed.exclude),
        scopeWhere(parsed, viewerId),
        sql`${posts.reblogOfId} IS NULL`,
        readableBy(viewerId),
        reachesSearcher(viewerId),
        parsed.scope ? undefined : sql`(${users.discoverable} = 1 OR ${posts.authorId} = ${viewerId})`,
        search.onlyMedia ? hasWhere("media") : undefined,
        search.authorId ? eq(posts.authorId, search.authorId) : undefined,
        ...parsed.filters.map(filterWhere),
        bounds.where,
      ),
    )
    .orderBy(...(search.order === "top" ? [desc(score(matching, now)), desc(posts.id)] : [bounds.orderBy]))
    .limit(search.page.limit)
    .offset(offset);
  const read =
    search.order === "top"
      ? rows.map((row) => row.post)
      : newestFirst(
          rows.map((row) => row.post),
          bounds.ascending,
        );
  // Search results read as the public timeline does, so the searcher's filters for `public` apply (ADR 0041).
  const items = await applyFilters(ctx, viewerId, "public", await showPosts(ctx, viewerId, read));
  const full = read.length === search.page.limit;
  if (search.order === "top") return { items, older: null, newer: null, nextOffset: full ? offset + read.length : null };
  return {
    ...pageOf(
      items,
      read.map((post) => post.id),
      search.page,
    ),
    nextOffset: null,
  };
}

/**
 * How many matches one search weighs at most: the newest this many past the page's cursor. Scoring every match of a
 * word found in most posts took 400 ms at 100,000 posts (docs/benchmarks.md); recency puts the top results among the
 * newest matches anyway, and Latest reads them in this order (docs/search.md).
 */
export const CANDIDATE_MATCHES = 1_000;

/**
 * The index's own bound on the scan: only matches from the newest CANDIDATE_MATCHES onward past the cursor (the oldest
 * ones when paging toward newer posts), so relevance is computed for at most that many rows. Post ids are the index's
 * rowids, and they grow with time.
 */
function candidateWindow(match: string, page: PageRequest): SQL {
  const rowid = sql.raw("rowid");
  const bounds = pageBounds(rowid, page, { numeric: true });
  const window = sql`SELECT rowid FROM posts_fts WHERE posts_fts MATCH ${match}${bounds.where ? sql` AND ${bounds.where}` : sql``}
    ORDER BY ${bounds.orderBy} LIMIT ${CANDIDATE_MATCHES}`;
  return bounds.ascending
    ? sql`${postsFts.rowid} <= (SELECT max(rowid) FROM (${window}))`
    : sql`${postsFts.rowid} >= (SELECT min(rowid) FROM (${window}))`;
}

/** The blended score (docs/search.md): relevance x engagement x recency; relevance is 1 when nothing is matched. */
function score(matching: boolean, now: number): SQL {
  const relevance = matching ? sql`(-bm25(${postsFts}, ${RANKING.textWeight}, ${RANKING.spoilerWeight}))` : sql`1.0`;
  const engagement = sql`(${posts.favouritesCount} + 2 * ${posts.reblogsCount} + ${posts.repliesCount})`;
  const ageHours = sql`((${now} - ${posts.createdAt}) / 3600000.0)`;
  return sql`${relevance} * (1.0 + ${engagement} * 1.0 / (${engagement} + ${RANKING.halfEngagement}))
             * (0.5 + 0.5 / (1.0 + max(${ageHours}, 0) / ${RANKING.recencyHours}))`;
}

/** Leaves out posts holding any excluded word or phrase (a separate MATCH, so a query of only exclusions works too). */
function excluding(terms: string[]): SQL | undefined {
  if (terms.length === 0) return undefined;
  return sql`${posts.id} NOT IN (SELECT CAST(rowid AS TEXT) FROM ${postsFts} WHERE ${postsFts} MATCH ${ftsMatch(terms, "OR")})`;
}

/** in:likes and in:bookmarks: only posts the searcher liked or bookmarked. */
function scopeWhere(parsed: ParsedQuery, viewerId: string | null): SQL | undefined {
  if (!parsed.scope || !viewerId) return undefined;
  const marks = parsed.scope === "likes" ? favourites : bookmarks;
  return sql`EXISTS (SELECT 1 FROM ${marks} WHERE ${marks.userId} = ${viewerId} AND ${marks.postId} = ${posts.id})`;
}

/**
 * Which posts' visibility reaches the searcher: their own, public ones, unlisted and followers-only ones of accounts
 * they follow, friends-only ones of friends, and any post that mentions them. canSeePost decides in the end.
 */
function reachesSearcher(viewerId: string | null): SQL {
  if (!viewerId) return sql`${posts.visibility} = 'public'`;
  return sql`(
    ${posts.authorId} = ${viewerId}
    OR ${posts.visibility} = 'public'
    OR (${posts.visibility} IN ('unlisted', 'private')
        AND EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ${viewerId} AND f.followee_id = ${posts.authorId}))
    OR (${posts.visibility} = 'friends'
        AND EXISTS (SELECT 1 FROM friendships fr WHERE fr.user_id = ${viewerId} AND fr.friend_id = ${posts.authorId}))
    OR EXISTS (SELECT 1 FROM ${mentions} WHERE ${mentions.postId} = ${posts.id} AND ${mentions.userId} = ${viewerId})
  )`;
}

const userNamed = (username: string) => sql`(SELECT u.id FROM users u WHERE lower(u.username) = lower(${username}))`;

function hasWhere(what: "media" | "poll" | "link"): SQL {
  switch (what) {
    case "media":
      return sql`EXISTS (SELECT 1 FROM ${mediaAttachments} WHERE ${mediaAttachments.postId} = ${posts.id})`;
    case "poll":
      return sql`EXISTS (SELECT 1 FROM ${polls} WHERE ${polls.postId} = ${posts.id})`;
    case "link":
      return sql`${posts.cardUrl} IS NOT NULL`;
  }
}

const countColumn = { favourites: posts.favouritesCount, reblogs: posts.reblogsCount, replies: posts.repliesCount } as const;

/** One operator's condition on posts, negated when written with a minus. */
function filterWhere(filter: PostFilter): SQL {
  const condition = positiveWhere(filter);
  return filter.negated ? not(condition) : condition;
}

function positiveWhere(filter: PostFilter): SQL {
  switch (filter.kind) {
    case "from":
      return sql`${posts.authorId} IS ${userNamed(filter.username)}`;
    case "to":
      return sql`${posts.inReplyToAuthorId} IS ${userNamed(filter.username)}`;
    case "mention":
      return sql`EXISTS (SELECT 1 FROM ${mentions} WHERE ${mentions.postId} = ${posts.id} AND ${mentions.userId} IS ${userNamed(filter.username)})`;
    case "tag":
      return sql`EXISTS (SELECT 1 FROM ${postTags} JOIN ${tags} ON ${tags.id} = ${postTags.tagId}
                         WHERE ${postTags.postId} = ${posts.id} AND lower(${tags.name}) = lower(${filter.tag}))`;
    case "has":
      return hasWhere(filter.what);
    case "replies":
      return sql`${posts.inReplyToId} IS NOT NULL`;
    case "min":
      return sql`${countColumn[filter.what]} >= ${filter.count}`;
    case "since":
      return sql`${posts.createdAt} >= ${filter.at.getTime()}`;
    case "until":
      return sql`${posts.createdAt} < ${filter.at.getTime()}`;
    case "lang":
      return sql`lower(${posts.language}) IS ${filter.language}`;
  }
}
