import { and, eq, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { isUniqueConstraintError } from "#db/client.ts";
import { bookmarks, dislikes, favourites, pins, polls, pollVotes, posts, reactions, users } from "#db/schema/index.ts";
import { newId } from "#db/ids.ts";
import { batchRead, inIds, known, type BatchRead } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import type { NewEvent } from "../events/catalogue.ts";
import { commit } from "../events/outbox.ts";
import type { Page, PageRequest } from "../pagination.ts";
import { accountPage } from "../profiles/account-page.ts";
import { publicUserColumns, type PublicUser } from "../profiles/profile.ts";
import { viewPost } from "./thread.ts";
import { type Post, type PostView } from "./posts.ts";
import { assertNotSuspended } from "../accounts/permissions.ts";

/** What the viewer has done to each post: the flags Mastodon's Status carries for the signed-in user. */
export interface ViewerState {
  favourited: boolean;
  reblogged: boolean;
  bookmarked: boolean;
  disliked: boolean;
  pinned: boolean;
  reactions: string[];
  /** The options the viewer chose in the post's poll; empty when they have not voted. */
  pollChoices: number[];
}

/**
 * Likes, reposts and bookmarks act on the original of a repost, as Mastodon does; so do the lists of who engaged, and
 * the original must be one the viewer may see, not only the repost.
 */
async function target(ctx: DomainContext, viewerId: string | null, postId: string): Promise<PostView> {
  const view = await viewPost(ctx, viewerId, postId);
  if (!view.post.reblogOfId) return view;
  return viewPost(ctx, viewerId, view.post.reblogOfId);
}

/** Adds a mark and its event in one batch; a mark already there (its unique key) changes nothing and tells no one. */
async function addOnce(ctx: DomainContext, insert: BatchItem<"sqlite">, event: NewEvent): Promise<boolean> {
  try {
    await commit(ctx, [insert], [event]);
    return true;
  } catch (error) {
    if (isUniqueConstraintError(error)) return false;
    throw error;
  }
}

/** Likes a post the viewer may see; liking twice changes nothing; the counter is kept by a trigger. */
export async function favourite(ctx: DomainContext, viewerId: string, postId: string): Promise<PostView> {
  const view = await target(ctx, viewerId, postId);
  await addOnce(ctx, ctx.db.insert(favourites).values({ userId: viewerId, postId: view.post.id, createdAt: new Date() }), {
    type: "post.favourited",
    payload: { postId: view.post.id, actorId: viewerId },
  });
  return view;
}

export async function unfavourite(ctx: DomainContext, viewerId: string, postId: string): Promise<PostView> {
  const view = await target(ctx, viewerId, postId);
  const mine = and(eq(favourites.userId, viewerId), eq(favourites.postId, view.post.id));
  if (await ctx.db.query.favourites.findFirst({ where: mine, columns: { postId: true } })) {
    await commit(
      ctx,
      [ctx.db.delete(favourites).where(mine)],
      [{ type: "post.unfavourited", payload: { postId: view.post.id, actorId: viewerId } }],
    );
  }
  return view;
}

/** A private signal against a post: it lowers ranking and is never shown to anyone. */
export async function dislike(ctx: DomainContext, viewerId: string, postId: string, on: boolean): Promise<PostView> {
  const view = await target(ctx, viewerId, postId);
  if (on) await ctx.db.insert(dislikes).values({ userId: viewerId, postId: view.post.id, createdAt: new Date() }).onConflictDoNothing();
  else await ctx.db.delete(dislikes).where(and(eq(dislikes.userId, viewerId), eq(dislikes.postId, view.post.id)));
  return view;
}

export async function bookmark(ctx: DomainContext, viewerId: string, postId: string, on: boolean): Promise<PostView> {
  if (on) assertNotSuspended(ctx);
  const view = await target(ctx, viewerId, postId);
  if (on) await ctx.db.insert(bookmarks).values({ userId: viewerId, postId: view.post.id, createdAt: new Date() }).onConflictDoNothing();
  else await ctx.db.delete(bookmarks).where(and(eq(bookmarks.userId, viewerId), eq(bookmarks.postId, view.post.id)));
  return view;
}

/** Emoji reactions: exactly one emoji (any, with its modifiers) per reaction. */
const SINGLE_EMOJI =
  /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}{2})(?:\p{Emoji_Modifier}|\uFE0F|\u200D(?:\p{Extended_Pictographic})\uFE0F?)*$/u;

export async function react(ctx: DomainContext, viewerId: string, postId: string, emoji: string, on: boolean): Promise<PostView> {
  if (on) assertNotSuspended(ctx);
  if (!SINGLE_EMOJI.test(emoji)) throw new DomainError("unprocessable", "A reaction is a single emoji");
  const view = await target(ctx, viewerId, postId);
  if (on) {
    await addOnce(ctx, ctx.db.insert(reactions).values({ userId: viewerId, postId: view.post.id, emoji, createdAt: new Date() }), {
      type: "post.reacted",
      payload: { postId: view.post.id, actorId: viewerId, emoji },
    });
  } else {
    await ctx.db
      .delete(reactions)
      .where(and(eq(reactions.userId, viewerId), eq(reactions.postId, view.post.id), eq(reactions.emoji, emoji)));
  }
  return view;
}

/**
 * Reposts a post to the viewer's followers: a row pointing at the original (counted by a trigger, once per person).
 * Only public and unlisted posts can be reposted, and never your own followers-only ones to a wider audience.
 */
export async function reblog(ctx: DomainContext, viewerId: string, postId: string): Promise<{ reblog: Post; original: PostView }> {
  const original = await target(ctx, viewerId, postId);
  if (original.post.visibility !== "public" && original.post.visibility !== "unlisted") {
    throw new DomainError("unprocessable", "Only public and unlisted posts can be reposted");
  }
  const existingRepost = () =>
    ctx.db.query.posts.findFirst({ where: and(eq(posts.authorId, viewerId), eq(posts.reblogOfId, original.post.id)) });
  const existing = await existingRepost();
  if (existing) return { reblog: existing, original };
  const now = new Date();
  const id = newId(now.getTime());
  try {
    const [[row]] = await commit(
      ctx,
      [
        ctx.db
          .insert(posts)
          .values({ id, authorId: viewerId, text: "", visibility: original.post.visibility, reblogOfId: original.post.id, createdAt: now })
          .returning(),
      ],
      [{ type: "post.reblogged", payload: { reblogId: id, postId: original.post.id, actorId: viewerId } }],
    );
    return { reblog: row!, original };
  } catch (error) {
    // Two reposts at once (a double tap, a client's retry): the one that lost finds the one that won.
    const winner = isUniqueConstraintError(error) ? await existingRepost() : undefined;
    if (!winner) throw error;
    return { reblog: winner, original };
  }
}

export async function unreblog(ctx: DomainContext, viewerId: string, postId: string): Promise<PostView> {
  const original = await target(ctx, viewerId, postId);
  const reposts = await ctx.db
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.authorId, viewerId), eq(posts.reblogOfId, original.post.id)));
  if (reposts.length > 0) {
    await commit(
      ctx,
      [
        ctx.db.delete(posts).where(
          inArray(
            posts.id,
            reposts.map((repost) => repost.id),
          ),
        ),
      ],
      reposts.map((repost) => ({
        type: "post.deleted" as const,
        payload: { postId: repost.id, authorId: viewerId, parentId: original.post.id },
      })),
    );
  }
  return original;
}

/** How many posts a person may pin to their profile, as on Mastodon. */
export const MAX_PINNED = 5;

/**
 * Pins one of your own posts to your profile (up to MAX_PINNED) or unpins it; pinning a pinned post again changes
 * nothing. A repost or a direct post cannot be pinned, as on Mastodon. The limit is checked by the insert itself, so
 * two pins sent at once cannot make a sixth.
 */
export async function pin(ctx: DomainContext, viewerId: string, postId: string, on: boolean): Promise<PostView> {
  if (on) assertNotSuspended(ctx);
  const view = await viewPost(ctx, viewerId, postId);
  if (view.post.authorId !== viewerId) throw new DomainError("unprocessable", "You can only pin your own posts");
  if (!on) {
    await ctx.db.delete(pins).where(and(eq(pins.userId, viewerId), eq(pins.postId, view.post.id)));
    return view;
  }
  if (view.post.reblogOfId) throw new DomainError("unprocessable", "A repost cannot be pinned: pin the post itself");
  if (view.post.visibility === "direct") throw new DomainError("unprocessable", "Direct posts cannot be pinned");
  const [, pinned] = await ctx.db.batch([
    ctx.db
      .insert(pins)
      .select(
        ctx.db
          .select({
            userId: users.id,
            postId: sql<string>`${view.post.id}`.as("post_id"),
            createdAt: sql<Date>`${Date.now()}`.as("created_at"),
          })
          .from(users)
          .where(and(eq(users.id, viewerId), sql`(SELECT count(*) FROM ${pins} WHERE ${pins.userId} = ${viewerId}) < ${MAX_PINNED}`)),
      )
      .onConflictDoNothing(),
    ctx.db
      .select({ postId: pins.postId })
      .from(pins)
      .where(and(eq(pins.userId, viewerId), eq(pins.postId, view.post.id))),
  ]);
  if (pinned.length === 0) {
    throw new DomainError("unprocessable", `You can pin at most ${MAX_PINNED} posts: unpin one first`, { code: "pin_limit" });
  }
  return view;
}

/** The viewer's own marks on many posts, as a read for a batch (nothing to read for visitors). */
export function viewerStatesRead(ctx: DomainContext, viewerId: string | null, postIds: string[]): BatchRead<Map<string, ViewerState>> {
  if (!viewerId || postIds.length === 0) return known(new Map());
  const among = inIds(postIds);
  const mine = <T extends typeof favourites | typeof bookmarks | typeof dislikes | typeof pins>(table: T) =>
    ctx.db
      .select({ postId: table.postId })
      .from(table)
      .where(and(eq(table.userId, viewerId), inArray(table.postId, among)));
  const statements = [
    mine(favourites),
    mine(bookmarks),
    mine(dislikes),
    mine(pins),
    ctx.db
      .select({ postId: posts.reblogOfId })
      .from(posts)
      .where(and(eq(posts.authorId, viewerId), inArray(posts.reblogOfId, among))),
    ctx.db
      .select({ postId: reactions.postId, emoji: reactions.emoji })
      .from(reactions)
      .where(and(eq(reactions.userId, viewerId), inArray(reactions.postId, among))),
    ctx.db
      .select({ postId: polls.postId, position: pollVotes.position })
      .from(pollVotes)
      .innerJoin(polls, eq(polls.id, pollVotes.pollId))
      .where(and(eq(pollVotes.userId, viewerId), inArray(polls.postId, among))),
  ] as const;
  return batchRead(statements, ([liked, saved, disliked, pinned, reposted, reacted, voted]) => {
    const has = (rows: { postId: string | null }[]) => new Set(rows.map((row) => row.postId));
    const [likedSet, savedSet, dislikedSet, pinnedSet, repostedSet] = [liked, saved, disliked, pinned, reposted].map(has);
    return new Map(
      postIds.map((id) => [
        id,
        {
          favourited: likedSet!.has(id),
          bookmarked: savedSet!.has(id),
          disliked: dislikedSet!.has(id),
          pinned: pinnedSet!.has(id),
          reblogged: repostedSet!.has(id),
          reactions: reacted.filter((row) => row.postId === id).map((row) => row.emoji),
          pollChoices: voted.filter((row) => row.postId === id).map((row) => row.position),
        },
      ]),
    );
  });
}

/** Reaction counts per emoji for posts (public: who reacted is listed by reactedBy), as a read for a batch. */
export function reactionCountsRead(ctx: DomainContext, postIds: string[]): BatchRead<Map<string, { emoji: string; count: number }[]>> {
  if (postIds.length === 0) return known(new Map());
  const statements = [
    ctx.db
      .select({ postId: reactions.postId, emoji: reactions.emoji, count: sql<number>`count(*)` })
      .from(reactions)
      .where(inArray(reactions.postId, inIds(postIds)))
      .groupBy(reactions.postId, reactions.emoji),
  ] as const;
  return batchRead(statements, ([rows]) => {
    const counts = new Map<string, { emoji: string; count: number }[]>();
    for (const row of rows) counts.set(row.postId, [...(counts.get(row.postId) ?? []), { emoji: row.emoji, count: row.count }]);
    return counts;
  });
}

/** Who liked or reposted a post the viewer may see (through a repost: its original), newest first, a page at a time. */
export async function engagedBy(
  ctx: DomainContext,
  viewerId: string | null,
  postId: string,
  kind: "favourites" | "reblogs",
  page: PageRequest,
): Promise<Page<PublicUser>> {
  const id = (await target(ctx, viewerId, postId)).post.id;
  return kind === "favourites"
    ? accountPage(ctx, favourites, eq(favourites.postId, id), favourites.userId, page)
    : accountPage(ctx, posts, eq(posts.reblogOfId, id), posts.authorId, page);
}

/** Who reacted to a post with any emoji (a Perch extension), up to 80, as the viewer may see the post. */
export async function reactedBy(ctx: DomainContext, viewerId: string | null, postId: string): Promise<PublicUser[]> {
  const id = (await target(ctx, viewerId, postId)).post.id;
  return ctx.db
    .selectDistinct(publicUserColumns)
    .from(reactions)
    .innerJoin(users, eq(users.id, reactions.userId))
    .where(eq(reactions.postId, id))
    .limit(80);
}
