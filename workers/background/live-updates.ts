import { eq } from "drizzle-orm";
import { posts } from "#db/schema/index.ts";
import type { DomainContext } from "#domain/context.ts";
import {
  deletionAudience,
  notificationAudience,
  postAudience,
  screenAudience,
  statusAudience,
  tellListeners,
  userStreamAudience,
  type Listener,
} from "#domain/live/audience.ts";
import { coverPost } from "#domain/filters/apply.ts";
import { showNotifications, type Notification } from "#domain/notifications/inbox.ts";
import { showPosts } from "#domain/posts/hydrate.ts";
import { presentNotification } from "#workers/api/entities/notification.ts";
import { presentStatus } from "#workers/api/entities/status.ts";
import { isReplayed, STATUS_COUNTS_EVENT } from "#workers/sockets/protocol.ts";
import { relayShardOf } from "#workers/sockets/relay-shards.ts";

/**
 * The live door of the event pipeline (docs/decisions/0032): after a change is committed and its other side effects
 * ran, the hubs of the people listening are told, in Mastodon's streaming vocabulary, with the entities its REST API
 * answers. Payloads are rendered once per origin, not once per listener.
 */

/** Renders once per origin: listeners connected through the same origin share one payload. */
function perOrigin(render: (origin: string) => string | undefined) {
  const rendered = new Map<string, string | undefined>();
  return (origin: string) => {
    if (!rendered.has(origin)) rendered.set(origin, render(origin));
    return rendered.get(origin);
  };
}

/**
 * Tells an audience one event whose payload depends only on the origin: listeners of the user, list and status
 * channels hub by hub (their hubs keep it for resuming), those of the public and hashtag streams through the stream
 * relays, one call per shard that has any of them (docs/decisions/0048).
 */
async function tellAudience(
  ctx: DomainContext,
  listeners: Listener[],
  event: string,
  payloadFor: (origin: string) => string | undefined,
): Promise<number> {
  const direct = listeners.filter((listener) => isReplayed(listener.channel));
  const [told, relayed] = await Promise.all([
    tellListeners(ctx, direct, (listener) => ({ event, payload: payloadFor(listener.origin) })),
    relayToHubs(
      ctx,
      listeners.filter((listener) => !isReplayed(listener.channel)),
      event,
      payloadFor,
    ),
  ]);
  return told + relayed;
}

async function relayToHubs(
  ctx: DomainContext,
  listeners: Listener[],
  event: string,
  payloadFor: (origin: string) => string | undefined,
): Promise<number> {
  const shards = new Map<number, Listener[]>();
  for (const listener of listeners) {
    const shard = relayShardOf(listener.userId);
    shards.set(shard, [...(shards.get(shard) ?? []), listener]);
  }
  const payloads = Object.fromEntries(
    [...new Set(listeners.map((listener) => listener.origin))].map((origin) => [origin, payloadFor(origin)]),
  );
  const results = await Promise.allSettled(
    [...shards].map(([shard, group]) =>
      ctx.env.STREAM_RELAY.get(ctx.env.STREAM_RELAY.idFromName(`public:${shard}`)).relay(group, event, payloads),
    ),
  );
  return results.reduce((sum, result) => sum + (result.status === "fulfilled" ? result.value : 0), 0);
}

/**
 * A new or edited post ("update" or "status.update") to everyone it reached. It is shown as its author sees it, with
 * no one's likes or bookmarks marked, as Mastodon's streaming server sends one status to all; each listener's filters
 * apply (a "hide" match is not sent, a "warn" or "blur" match is sent with `filtered`, to that listener alone).
 */
export async function streamPost(ctx: DomainContext, postId: string, event: "update" | "status.update"): Promise<number> {
  const row = await ctx.db.query.posts.findFirst({ where: eq(posts.id, postId) });
  if (!row) return 0;
  const [view] = await showPosts(ctx, row.authorId, [row]);
  if (!view) return 0;
  const neutral = { ...view, viewer: null, reblog: view.reblog ? { ...view.reblog, viewer: null } : null };
  const { plain, covered } = await screenAudience(ctx, await postAudience(ctx, postId), neutral);
  const payload = perOrigin((origin) => JSON.stringify(presentStatus(neutral, origin)));
  const coveredFor = (listener: Listener) => {
    const copy = { ...neutral, reblog: neutral.reblog ? { ...neutral.reblog } : null };
    coverPost(copy, covered.get(listener) ?? []);
    return { event, payload: JSON.stringify(presentStatus(copy, listener.origin)) };
  };
  const [told, toldCovered] = await Promise.all([
    tellAudience(ctx, plain, event, payload),
    tellListeners(ctx, [...covered.keys()], coveredFor),
  ]);
  return told + toldCovered;
}

/** A deleted post: its id (a bare string, as Mastodon sends it). */
export async function streamDeletion(ctx: DomainContext, postId: string, authorId: string): Promise<number> {
  return tellAudience(ctx, await deletionAudience(ctx, authorId), "delete", () => postId);
}

/** Notifications just written, each to its recipient's listening sockets, as the recipient would read it. */
export async function streamNotifications(ctx: DomainContext, written: Notification[]): Promise<number> {
  const listeners = await notificationAudience(ctx, [...new Set(written.map((row) => row.userId))]);
  let delivered = 0;
  for (const listener of listeners) {
    const shown = await showNotifications(
      ctx,
      listener.userId,
      written.filter((row) => row.userId === listener.userId),
    );
    for (const item of shown) {
      delivered += await tellListeners(ctx, [listener], () => ({
        event: "notification",
        payload: JSON.stringify(presentNotification(item, listener.origin)),
      }));
    }
  }
  return delivered;
}

/** The person changed their filters: their clients reload them (Mastodon's filters_changed has no payload). */
export async function streamFiltersChanged(ctx: DomainContext, userId: string): Promise<number> {
  return tellListeners(ctx, await userStreamAudience(ctx, userId), () => ({ event: "filters_changed" }));
}

/** A new post's parent, if it is a reply, has one more reply: its counts go to the pages showing it. */
export async function streamReplyCount(ctx: DomainContext, replyId: string): Promise<number> {
  const reply = await ctx.db.query.posts.findFirst({ where: eq(posts.id, replyId), columns: { inReplyToId: true } });
  return reply?.inReplyToId ? streamCounts(ctx, reply.inReplyToId) : 0;
}

/** A post's counts, to the pages showing it (docs/decisions/0034): after a like, an unlike, a repost of it or a reply. */
export async function streamCounts(ctx: DomainContext, postId: string): Promise<number> {
  const row = await ctx.db.query.posts.findFirst({ where: eq(posts.id, postId) });
  if (!row) return 0;
  const payload = JSON.stringify({
    id: row.id,
    replies_count: row.repliesCount,
    reblogs_count: row.reblogsCount,
    favourites_count: row.favouritesCount,
  });
  return tellListeners(ctx, await statusAudience(ctx, postId), () => ({ event: STATUS_COUNTS_EVENT, payload }));
}
