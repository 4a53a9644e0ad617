import { sql, type SQL } from "drizzle-orm";
import type { DomainContext } from "../context.ts";
import { activeFiltersOf, hides, screenPost, type FilterMatch } from "../filters/apply.ts";
import type { FilterContext } from "../filters/filters.ts";
import type { ShownPost } from "../posts/hydrate.ts";

/** A hub to tell: whose, on which channel, and the origin its sockets connected through. */
export interface Listener {
  userId: string;
  channel: string;
  origin: string;
}

/**
 * Whether the listener in `l` may read a post by `authorId`: the rule of the public timelines (timelines.ts
 * readableBy) with the viewer taken from each listener row, so one read finds everyone who may see it.
 */
function listenerMayRead(authorId: string): SQL {
  const now = Date.now();
  return sql`(
    l.user_id = ${authorId}
    OR (
      ((SELECT u.profile_visibility FROM users u WHERE u.id = ${authorId}) IN ('public', 'signed-in')
        OR EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = l.user_id AND f.followee_id = ${authorId}))
      AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = l.user_id AND b.blocked_id = ${authorId})
                                             OR (b.blocker_id = ${authorId} AND b.blocked_id = l.user_id))
      AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = l.user_id AND m.muted_id = ${authorId}
                                            AND (m.expires_at IS NULL OR m.expires_at > ${now}))
    )
  )`;
}

/**
 * Who hears live about a post or repost: home listeners it was delivered to (by fan-out, which has run) and its author;
 * list listeners whose list holds the author and whose home it reached; and, for a public post on the public timeline
 * (not a repost, not a reply to someone else), public, media and hashtag listeners who may read it.
 */
export async function postAudience(ctx: DomainContext, postId: string): Promise<Listener[]> {
  const [post] = await ctx.db.all<{ authorId: string; onPublicTimeline: number; hasMedia: number }>(sql`
    SELECT p.author_id AS authorId,
      (p.visibility = 'public' AND p.reblog_of_id IS NULL AND (p.in_reply_to_id IS NULL OR p.in_reply_to_author_id = p.author_id)) AS onPublicTimeline,
      EXISTS (SELECT 1 FROM media_attachments a WHERE a.post_id = p.id) AS hasMedia
    FROM posts p WHERE p.id = ${postId}`);
  if (!post) return [];
  const delivered = sql`(l.user_id = ${post.authorId}
    OR EXISTS (SELECT 1 FROM home_feed_entries e WHERE e.owner_id = l.user_id AND e.post_id = ${postId}))`;
  const home = sql`SELECT l.user_id AS userId, l.channel, l.origin FROM live_listeners l WHERE l.channel = 'user' AND ${delivered}`;
  const lists = sql`SELECT l.user_id AS userId, l.channel, l.origin FROM live_listeners l
    JOIN list_members m ON l.channel = 'list:' || m.list_id AND m.user_id = ${post.authorId}
    JOIN lists li ON li.id = m.list_id AND li.owner_id = l.user_id
    WHERE ${delivered}`;
  const publicChannels = sql`SELECT 'public' AS channel
    ${post.hasMedia ? sql`UNION ALL SELECT 'public:media'` : sql``}
    UNION ALL SELECT 'hashtag:' || lower(t.name) FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = ${postId}`;
  const publicStreams = sql`SELECT l.user_id AS userId, l.channel, l.origin FROM live_listeners l
    WHERE l.channel IN (${publicChannels}) AND ${listenerMayRead(post.authorId)}`;
  return ctx.db.all<Listener>(sql`${home} UNION ${lists} ${post.onPublicTimeline ? sql`UNION ${publicStreams}` : sql``}`);
}

/** The filter context a channel's posts are read in: the home stream and lists as the home timeline, the rest as public. */
const filterContextOf = (channel: string): FilterContext => (channel === "user" || channel.startsWith("list:") ? "home" : "public");

/** A post's audience after each listener's filters: who hears it as it is, and who hears it covered by their matches. */
export interface ScreenedAudience {
  plain: Listener[];
  covered: Map<Listener, FilterMatch[]>;
}

/**
 * Applies each listener's filters to a post, as their timelines would (filters/apply.ts): a "hide" match leaves the
 * listener out, a "warn" or "blur" match covers the post for them alone. Most listeners have no filters and share
 * one payload; the filters of the whole audience are read at once per context.
 */
export async function screenAudience(ctx: DomainContext, listeners: Listener[], shown: ShownPost): Promise<ScreenedAudience> {
  const filtersByContext = new Map<FilterContext, Awaited<ReturnType<typeof activeFiltersOf>>>();
  for (const context of new Set(listeners.map((listener) => filterContextOf(listener.channel)))) {
    const inContext = listeners.filter((listener) => filterContextOf(listener.channel) === context);
    filtersByContext.set(
      context,
      await activeFiltersOf(
        ctx,
        inContext.map((listener) => listener.userId),
        context,
      ),
    );
  }
  const screened: ScreenedAudience = { plain: [], covered: new Map() };
  for (const listener of listeners) {
    const active = filtersByContext.get(filterContextOf(listener.channel))?.get(listener.userId);
    const matches = active ? screenPost(active, shown, listener.userId) : [];
    if (matches.length === 0) screened.plain.push(listener);
    else if (!hides(matches)) screened.covered.set(listener, matches);
  }
  return screened;
}

/**
 * Who hears that a post is gone: everyone listening to the public streams (a client drops an id it never showed) and
 * the author's followers and the author on their home and list streams. The post is deleted already, so what it
 * reached cannot be asked.
 */
export function deletionAudience(ctx: DomainContext, authorId: string): Promise<Listener[]> {
  return ctx.db.all<Listener>(sql`SELECT l.user_id AS userId, l.channel, l.origin FROM live_listeners l
    WHERE l.channel IN ('public', 'public:media') OR l.channel LIKE 'hashtag:%'
      OR ((l.channel = 'user' OR l.channel LIKE 'list:%')
        AND (l.user_id = ${authorId} OR EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = l.user_id AND f.followee_id = ${authorId})))`);
}

/** Which of these people have a socket listening for notifications. */
export function notificationAudience(ctx: DomainContext, userIds: string[]): Promise<Listener[]> {
  if (userIds.length === 0) return Promise.resolve([]);
  return ctx.db.all<Listener>(sql`SELECT l.user_id AS userId, l.channel, l.origin FROM live_listeners l
    WHERE l.channel = 'notifications' AND l.user_id IN (SELECT value FROM json_each(${JSON.stringify(userIds)}))`);
}

/** The person's own sockets on the user stream (Mastodon sends filters_changed there). */
export function userStreamAudience(ctx: DomainContext, userId: string): Promise<Listener[]> {
  return ctx.db.all<Listener>(sql`SELECT l.user_id AS userId, l.channel, l.origin FROM live_listeners l
    WHERE l.channel = 'user' AND l.user_id = ${userId}`);
}

/** Who has a page open on this post (Perch's perch:status stream): they see its counts change. */
export function statusAudience(ctx: DomainContext, postId: string): Promise<Listener[]> {
  return ctx.db.all<Listener>(sql`SELECT l.user_id AS userId, l.channel, l.origin FROM live_listeners l
    WHERE l.channel = ${`status:${postId}`}`);
}

/** What a hub is sent: an event in Mastodon's vocabulary, with its payload already a string. */
export interface LiveEvent {
  event: string;
  payload?: string;
}

/** How many hubs are told at once: each is a Durable Object call. */
const HUBS_AT_ONCE = 50;

/**
 * Tells each listener's hub (after the change was committed: this runs in an event handler). A hub that cannot be
 * reached costs that listener the live event, never the others; the client catches up when it next reads.
 */
export async function tellListeners(
  ctx: DomainContext,
  listeners: Listener[],
  eventFor: (listener: Listener) => LiveEvent | undefined,
): Promise<number> {
  let delivered = 0;
  for (let start = 0; start < listeners.length; start += HUBS_AT_ONCE) {
    const results = await Promise.allSettled(
      listeners.slice(start, start + HUBS_AT_ONCE).map((listener) => {
        const live = eventFor(listener);
        if (!live) return 0;
        const hub = ctx.env.USER_HUB.get(ctx.env.USER_HUB.idFromName(listener.userId));
        return hub.publish(listener.userId, listener.channel, live.event, live.payload);
      }),
    );
    for (const result of results) if (result.status === "fulfilled") delivered += result.value;
  }
  return delivered;
}
