import { and, eq, gt, inArray, isNull, not, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import {
  follows,
  homeFeedEntries,
  listFeedEntries,
  listMembers,
  mediaAttachments,
  pins,
  posts,
  postTags,
  tags,
  users,
} from "#db/schema/index.ts";
import type { DomainContext } from "./context.ts";
import { applyFilters } from "./filters/apply.ts";
import type { FilterContext } from "./filters/filters.ts";
import { DomainError } from "./errors.ts";
import { ownList } from "./graph/lists.ts";
import type { Relationship } from "./graph/relationships.ts";
import { followedTagPost, followerMayRead, followerSeesReply, inExclusiveList, listShows } from "./home-feed/audience.ts";
import { emptyPage, newestFirst, pageBounds, pageOf, type Page, type PageRequest } from "./pagination.ts";
import { showPosts, type ShownPost } from "./posts/hydrate.ts";
import { MAX_PINNED } from "./posts/engagement.ts";
import type { Post, Visibility } from "./posts/posts.ts";
import type { AccountView } from "./profiles/access.ts";
import { isHashtagName } from "./rich-text.ts";

/**
 * Read-time filters every timeline applies for a viewer: authors whose profile the viewer may not see, authors either
 * side has blocked, and authors the viewer mutes (while the mute lasts) drop out; so do posts moderation held or
 * removed, suspended authors, and limited authors the viewer does not follow (canSeePost's moderation rules, ADR 0041,
 * here so that a page is not left short by posts hydration would refuse). `posts` and `users` (its author) are joined.
 */
export function readableBy(viewerId: string | null): SQL {
  if (!viewerId) {
    return sql`(${users.profileVisibility} = 'public' AND ${posts.moderationState} IS NULL AND ${users.moderationStatus} IS NULL)`;
  }
  const now = Date.now();
  const followsAuthor = sql`EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ${viewerId} AND f.followee_id = ${users.id})`;
  return sql`(
    ${users.id} = ${viewerId}
    OR (
      ${posts.moderationState} IS NULL
      AND (${users.moderationStatus} IS NULL OR (${users.moderationStatus} = 'limited' AND ${followsAuthor}))
      AND (${users.profileVisibility} IN ('public', 'signed-in') OR ${followsAuthor})
      AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = ${viewerId} AND b.blocked_id = ${users.id})
                                             OR (b.blocker_id = ${users.id} AND b.blocked_id = ${viewerId}))
      AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = ${viewerId} AND m.muted_id = ${users.id}
                                            AND (m.expires_at IS NULL OR m.expires_at > ${now}))
    )
  )`;
}

/** Which posts the public and hashtag timelines show, as Mastodon's `local`, `remote` and `only_media` choose them. */
export interface PublicFilter {
  local?: boolean;
  remote?: boolean;
  /** Only posts with attachments. */
  onlyMedia?: boolean;
}

/**
 * Whether a filter asks only for posts from other servers: Mastodon's `remote` without `local` (both together mean
 * everything). Perch does not federate, so there are none.
 */
const remoteOnly = (filter: PublicFilter) => Boolean(filter.remote && !filter.local);

/** The filter's conditions on posts: applied in the read, so a page holds `limit` matching posts and its cursors stay true. */
function publicFilterWhere(filter: PublicFilter): SQL | undefined {
  if (!filter.onlyMedia) return undefined;
  return sql`EXISTS (SELECT 1 FROM ${mediaAttachments} WHERE ${mediaAttachments.postId} = ${posts.id})`;
}

/**
 * Everyone's public posts, newest first, as Mastodon's public timeline shows them: replies only when they continue
 * the author's own thread, and only what the viewer may read (readableBy). Walks the partial index posts_public_idx.
 */
export async function publicTimeline(
  ctx: DomainContext,
  viewerId: string | null,
  page: PageRequest,
  filter: PublicFilter = {},
): Promise<Page<ShownPost>> {
  if (remoteOnly(filter)) return emptyPage();
  const bounds = pageBounds(posts.id, page);
  const rows = await ctx.db
    .select({ post: posts })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(
      and(
        eq(posts.visibility, "public"),
        isNull(posts.reblogOfId),
        or(isNull(posts.inReplyToId), eq(posts.inReplyToAuthorId, posts.authorId)),
        readableBy(viewerId),
        publicFilterWhere(filter),
        bounds.where,
      ),
    )
    .orderBy(bounds.orderBy)
    .limit(page.limit);
  return pageOfPosts(
    ctx,
    viewerId,
    newestFirst(
      rows.map((row) => row.post),
      bounds.ascending,
    ),
    page,
    "public",
  );
}

/** At most this many hashtags in each of the hashtag timeline's any[], all[] and none[], as on Mastodon. */
export const MAX_EXTRA_TAGS = 4;

/** Mastodon's extra hashtags on a hashtag timeline, besides the public timeline's filters. */
export interface TagFilter extends PublicFilter {
  /** Posts with any of these hashtags are listed as well as those with the timeline's own. */
  any?: string[];
  /** Listed posts must also have every one of these. */
  all?: string[];
  /** Listed posts must have none of these. */
  none?: string[];
}

/** Whether the tag in the row is one of the names (any case). */
const tagNamedAnyOf = (names: string[]): SQL =>
  sql`lower(${tags.name}) IN (${sql.join(
    names.map((name) => sql`lower(${name})`),
    sql`, `,
  )})`;

/** Whether the post in the row has one of the hashtags (any case). */
function taggedWith(names: string[]): SQL {
  return sql`EXISTS (SELECT 1 FROM ${postTags} JOIN ${tags} ON ${tags.id} = ${postTags.tagId}
                     WHERE ${postTags.postId} = ${posts.id} AND ${tagNamedAnyOf(names)})`;
}

/** A hashtag name as a post would write it (without its #), or an unprocessable error naming the parameter. */
function checkedTag(name: string, parameter: string): string {
  const bare = name.replace(/^#/, "");
  if (!isHashtagName(bare)) throw new DomainError("unprocessable", `${parameter}: "${name}" is not a hashtag`);
  return bare;
}

/**
 * Public posts with a hashtag (any case), newest first, with the same read-time filters as the public timeline, and
 * Mastodon's any[], all[] and none[] for more hashtags. A hashtag no post has used is not_found; a name that could not
 * be a hashtag, or more than MAX_EXTRA_TAGS extra ones in a list, is unprocessable.
 */
export async function tagTimeline(
  ctx: DomainContext,
  viewerId: string | null,
  tag: string,
  page: PageRequest,
  filter: TagFilter = {},
): Promise<Page<ShownPost>> {
  const main = checkedTag(tag, "hashtag");
  const [any, all, none] = (["any", "all", "none"] as const).map((list) => {
    const names = filter[list] ?? [];
    if (names.length > MAX_EXTRA_TAGS) throw new DomainError("unprocessable", `${list}[]: at most ${MAX_EXTRA_TAGS} hashtags`);
    return names.map((name) => checkedTag(name, `${list}[]`));
  }) as [string[], string[], string[]];
  // Paging on post_tags.post_id (the same value as posts.id) lets SQLite walk post_tags_tag_idx in order instead of
  // sorting every post with the tag; a post with several listed tags is one row (grouped).
  const bounds = pageBounds(postTags.postId, page);
  const [known, rows] = await ctx.db.batch([
    ctx.db
      .select({ id: tags.id })
      .from(tags)
      .where(sql`lower(${tags.name}) = lower(${main})`),
    ctx.db
      .select({ post: posts })
      .from(tags)
      .innerJoin(postTags, eq(postTags.tagId, tags.id))
      .innerJoin(posts, eq(posts.id, postTags.postId))
      .innerJoin(users, eq(users.id, posts.authorId))
      .where(
        and(
          tagNamedAnyOf([main, ...any]),
          eq(posts.visibility, "public"),
          isNull(posts.reblogOfId),
          readableBy(viewerId),
          publicFilterWhere(filter),
          ...all.map((name) => taggedWith([name])),
          none.length > 0 ? not(taggedWith(none)) : undefined,
          // Perch does not federate: asking only for other servers' posts matches none.
          remoteOnly(filter) ? sql`0` : undefined,
          bounds.where,
        ),
      )
      .groupBy(postTags.postId)
      .orderBy(bounds.orderBy)
      .limit(page.limit),
  ]);
  if (known.length === 0) throw new DomainError("not_found", `No posts have used #${main} yet`);
  return pageOfPosts(
    ctx,
    viewerId,
    newestFirst(
      rows.map((row) => row.post),
      bounds.ascending,
    ),
    page,
    "public",
  );
}

/** Whether the viewer's feeds are being rebuilt after a long absence (fan-out skipped them): one lookup per read. */
const feedsStale = (viewerId: string) => sql`(SELECT ${users.homeFeedStale} FROM ${users} WHERE ${users.id} = ${viewerId}) = 1`;

/** The newest `limit` distinct posts of several reads bounded by the same cursors, newest first. */
function mergePages(reads: { post: Post }[][], ascending: boolean, limit: number): Post[] {
  const merged = new Map(reads.flat().map(({ post }) => [post.id, post]));
  const ordered = [...merged.values()].sort((a, b) => (a.id < b.id ? 1 : -1));
  return ascending ? ordered.slice(-limit) : ordered.slice(0, limit);
}

/**
 * The Following feed: what the viewer's fan-out delivered (home-feed/fan-out.ts), merged with the recent posts of
 * followed accounts too large to fan out (HOME_FANOUT_MAX_FOLLOWERS) and with the viewer's own posts (there at once,
 * before their fan-out runs), newest first, in one batch of reads. While the viewer's feeds are being rebuilt after a
 * long absence, the second read pulls from every followed account instead, and the fourth the public posts with a
 * followed hashtag (docs/decisions/0030). All reads
 * take the same bounds on post ids, so the merged pages have no gaps or repeats. The read-time filters still apply: a
 * mute, block or exclusive list made since delivery hides at once, before its event removes the entries.
 */
export async function homeTimeline(ctx: DomainContext, viewerId: string, page: PageRequest): Promise<Page<ShownPost>> {
  const reads = await ctx.db.batch(homeFeedReads(ctx, viewerId, page));
  const { ascending } = pageBounds(posts.id, page);
  return pageOfPosts(ctx, viewerId, mergePages([...reads], ascending, page.limit), page, "home");
}

const largeAccounts = alias(users, "large_accounts");

/** homeTimeline's reads, one page each; npm run bench times this same SQL against the pull query. */
export function homeFeedReads(ctx: DomainContext, viewerId: string, page: PageRequest) {
  const bounds = pageBounds(posts.id, page);
  const viewer = sql`${viewerId}`;
  const notExclusive = sql`NOT ${inExclusiveList(viewer, posts.authorId)}`;
  // The delivered rows page on home_feed_entries.post_id (the same ids): SQLite then walks the feed's primary key in
  // order and stops after the page, instead of joining and sorting all of the feed's entries (4.9 ms -> 0.15 ms of
  // SQL for a full feed, docs/benchmarks.md).
  const feedBounds = pageBounds(homeFeedEntries.postId, page);
  return [
    ctx.db
      .select({ post: posts })
      .from(homeFeedEntries)
      .innerJoin(posts, eq(posts.id, homeFeedEntries.postId))
      .innerJoin(users, eq(users.id, posts.authorId))
      .where(and(eq(homeFeedEntries.ownerId, viewerId), readableBy(viewerId), notExclusive, feedBounds.where))
      .orderBy(feedBounds.orderBy)
      .limit(page.limit),
    // Followed accounts from the few large ones (users_followers_idx), not by visiting every followed account's row:
    // that cost 6 ms for a reader following 1,000 (docs/benchmarks.md).
    ctx.db
      .select({ post: posts })
      .from(posts)
      .innerJoin(users, eq(users.id, posts.authorId))
      .where(
        and(
          inArray(
            posts.authorId,
            ctx.db
              .select({ id: follows.followeeId })
              .from(follows)
              .where(
                and(
                  eq(follows.followerId, viewerId),
                  or(
                    inArray(
                      follows.followeeId,
                      ctx.db
                        .select({ id: largeAccounts.id })
                        .from(largeAccounts)
                        .where(gt(largeAccounts.followersCount, ctx.config.HOME_FANOUT_MAX_FOLLOWERS)),
                    ),
                    feedsStale(viewerId),
                  ),
                ),
              ),
          ),
          followerMayRead(viewer, "posts"),
          followerSeesReply(viewer, posts.authorId, posts.inReplyToAuthorId),
          readableBy(viewerId),
          notExclusive,
          bounds.where,
        ),
      )
      .orderBy(bounds.orderBy)
      .limit(page.limit),
    ctx.db
      .select({ post: posts })
      .from(posts)
      .where(and(eq(posts.authorId, viewerId), bounds.where))
      .orderBy(bounds.orderBy)
      .limit(page.limit),
    // Hashtag follows are delivered by fan-out too, so the pull that stands in for a rebuild reads them as well.
    ctx.db
      .select({ post: posts })
      .from(posts)
      .innerJoin(users, eq(users.id, posts.authorId))
      .where(
        and(
          feedsStale(viewerId),
          followedTagPost(viewer, "posts"),
          followerSeesReply(viewer, posts.authorId, posts.inReplyToAuthorId),
          readableBy(viewerId),
          notExclusive,
          bounds.where,
        ),
      )
      .orderBy(bounds.orderBy)
      .limit(page.limit),
  ] as const;
}

/**
 * A list's timeline, for its owner only (anyone else's list is not found): what fan-out delivered to it, merged as the
 * Following feed is with the posts of members too large to fan out, or of every member while the owner's feeds are
 * being rebuilt. The list's replies_policy applies to both (home-feed/audience.ts listShows).
 */
export async function listTimeline(ctx: DomainContext, viewerId: string, listId: string, page: PageRequest): Promise<Page<ShownPost>> {
  const list = await ownList(ctx, viewerId, listId);
  const bounds = pageBounds(posts.id, page);
  const side = { id: sql`${list.id}`, ownerId: sql`${viewerId}`, repliesPolicy: sql`${list.repliesPolicy}` };
  const [delivered, pulled] = await ctx.db.batch([
    ctx.db
      .select({ post: posts })
      .from(listFeedEntries)
      .innerJoin(posts, eq(posts.id, listFeedEntries.postId))
      .innerJoin(users, eq(users.id, posts.authorId))
      .where(
        and(
          eq(listFeedEntries.listId, list.id),
          // Someone taken out of the list leaves its timeline at once, before their entries are removed.
          sql`EXISTS (SELECT 1 FROM ${listMembers} WHERE ${listMembers.listId} = ${list.id} AND ${listMembers.userId} = ${posts.authorId})`,
          readableBy(viewerId),
          bounds.where,
        ),
      )
      .orderBy(bounds.orderBy)
      .limit(page.limit),
    ctx.db
      .select({ post: posts })
      .from(listMembers)
      .innerJoin(users, eq(users.id, listMembers.userId))
      .innerJoin(posts, eq(posts.authorId, listMembers.userId))
      .where(
        and(
          eq(listMembers.listId, list.id),
          or(gt(users.followersCount, ctx.config.HOME_FANOUT_MAX_FOLLOWERS), feedsStale(viewerId)),
          listShows(side, "posts"),
          readableBy(viewerId),
          bounds.where,
        ),
      )
      .orderBy(bounds.orderBy)
      .limit(page.limit),
  ]);
  return pageOfPosts(ctx, viewerId, mergePages([delivered, pulled], bounds.ascending, page.limit), page, "home");
}

/**
 * Which of an author's posts a viewer may read on their profile: everything for the author; public and unlisted for
 * anyone; followers-only for followers; friends-only for friends. (Direct posts appear only to those mentioned,
 * in their conversations, never on a profile.)
 */
function profileVisibilitiesFor(viewerId: string | null, authorId: string, relationship: Relationship | null): Visibility[] {
  if (viewerId === authorId) return ["public", "unlisted", "private", "friends", "direct"];
  const visible: Visibility[] = ["public", "unlisted"];
  if (relationship?.following) visible.push("private");
  if (relationship?.friends) visible.push("friends");
  return visible;
}

/** Mastodon's filters of an account's statuses: each narrows the posts a profile timeline shows. */
export interface ProfileFilter {
  /** Only posts with attachments (reposts carry none of their own, so none). */
  onlyMedia?: boolean;
  /** No replies to others; replies continuing the author's own thread stay, as on Mastodon. */
  excludeReplies?: boolean;
  excludeReblogs?: boolean;
  /** Only the posts the account pinned. */
  pinned?: boolean;
  /** Only posts with this hashtag (any case). */
  tagged?: string;
  /** Leave out the pinned posts: the profile page shows them above the rest (see pinnedPosts). */
  unpinned?: boolean;
}

function profileFilterWhere(filter: ProfileFilter, accountId: string): SQL | undefined {
  return and(
    filter.onlyMedia ? sql`EXISTS (SELECT 1 FROM ${mediaAttachments} WHERE ${mediaAttachments.postId} = ${posts.id})` : undefined,
    filter.excludeReplies ? or(isNull(posts.inReplyToId), eq(posts.inReplyToAuthorId, posts.authorId)) : undefined,
    filter.excludeReblogs ? isNull(posts.reblogOfId) : undefined,
    filter.pinned ? sql`${posts.id} IN (SELECT ${pins.postId} FROM ${pins} WHERE ${pins.userId} = ${accountId})` : undefined,
    filter.tagged ? taggedWith([filter.tagged]) : undefined,
    filter.unpinned ? sql`${posts.id} NOT IN (SELECT ${pins.postId} FROM ${pins} WHERE ${pins.userId} = ${accountId})` : undefined,
  );
}

/**
 * A profile's posts and reposts as the viewer may see them, newest first: none when the profile is closed to them
 * (viewAccount decides), and of the rest only the visibilities profileVisibilitiesFor allows, narrowed by the filter.
 */
export async function profileTimeline(
  ctx: DomainContext,
  viewerId: string | null,
  view: AccountView,
  page: PageRequest,
  filter: ProfileFilter = {},
): Promise<Page<ShownPost>> {
  if (view.access.level !== "full") return emptyPage();
  const visible = profileVisibilitiesFor(viewerId, view.account.id, view.relationship);
  const bounds = pageBounds(posts.id, page);
  const rows = await ctx.db
    .select()
    .from(posts)
    .where(
      and(
        eq(posts.authorId, view.account.id),
        inArray(posts.visibility, visible),
        profileFilterWhere(filter, view.account.id),
        bounds.where,
      ),
    )
    .orderBy(bounds.orderBy)
    .limit(page.limit);
  return pageOfPosts(ctx, viewerId, newestFirst(rows, bounds.ascending), page, "account");
}

/** The posts an account pinned, as the viewer may see them: newest first, shown above the rest of its profile. */
export async function pinnedPosts(ctx: DomainContext, viewerId: string | null, view: AccountView): Promise<ShownPost[]> {
  const page = await profileTimeline(ctx, viewerId, view, { limit: MAX_PINNED }, { pinned: true });
  return page.items;
}

/**
 * The page of posts shown from rows read (newest first), keyed by the rows' own ids: a repost by its own row's id.
 * The viewer's filters for the timeline's context apply to what is shown, never to the cursors.
 */
async function pageOfPosts(
  ctx: DomainContext,
  viewerId: string | null,
  rows: Post[],
  page: PageRequest,
  context: FilterContext,
): Promise<Page<ShownPost>> {
  const shown = await applyFilters(ctx, viewerId, context, await showPosts(ctx, viewerId, rows));
  return pageOf(
    shown,
    rows.map((row) => row.id),
    page,
  );
}
