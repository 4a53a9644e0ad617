import { and, desc, eq, gte, isNotNull, ne, sql } from "drizzle-orm";
import { favourites, postOpens, posts } from "#db/schema/index.ts";
import { normalised } from "#workers/vector/embedder.ts";
import { recommendationsIndex } from "#workers/vector/select-index.ts";
import type { DomainContext } from "../context.ts";
import type { DomainEvent } from "../events/catalogue.ts";
import { commit } from "../events/outbox.ts";
import { runBatch, batchRead } from "../batch.ts";
import { INTERESTS_NAMESPACE, interestVectorId, vectorsByIds } from "./vectors.ts";

/**
 * How much each kind of engagement says about a person's interests, and how fast it fades (docs/decisions/0039).
 * Opening a post's page is the dwell signal: weaker than a like, since it is also how one finds out one is not
 * interested.
 */
export const INTEREST_WEIGHTS = { like: 1, repost: 1.5, reply: 1.2, open: 0.4 } as const;
export const INTEREST_HALF_LIFE_DAYS = 7;
/** Engagement older than this, or beyond the newest INTERESTS_PER_KIND of a kind, no longer counts. */
export const INTEREST_WINDOW_MS = 30 * 24 * 3_600_000;
const INTERESTS_PER_KIND = 50;

interface Engagement {
  postId: string;
  at: Date;
  weight: number;
}

/** The person's recent likes, reposts, replies (to others) and post openings, newest first per kind: one batch. */
async function engagementOf(ctx: DomainContext, userId: string, since: Date): Promise<Engagement[]> {
  const weighted = (weight: number) => (rows: { postId: string | null; at: Date }[]) =>
    rows.flatMap((row) => (row.postId ? [{ postId: row.postId, at: row.at, weight }] : []));
  const [liked, reposted, replied, opened] = await runBatch(
    ctx,
    batchRead(
      [
        ctx.db
          .select({ postId: favourites.postId, at: favourites.createdAt })
          .from(favourites)
          .where(and(eq(favourites.userId, userId), gte(favourites.createdAt, since)))
          .orderBy(desc(favourites.createdAt))
          .limit(INTERESTS_PER_KIND),
      ] as const,
      ([rows]) => weighted(INTEREST_WEIGHTS.like)(rows),
    ),
    batchRead(
      [
        ctx.db
          .select({ postId: posts.reblogOfId, at: posts.createdAt })
          .from(posts)
          .where(and(eq(posts.authorId, userId), isNotNull(posts.reblogOfId), gte(posts.createdAt, since)))
          .orderBy(desc(posts.id))
          .limit(INTERESTS_PER_KIND),
      ] as const,
      ([rows]) => weighted(INTEREST_WEIGHTS.repost)(rows),
    ),
    batchRead(
      [
        ctx.db
          .select({ postId: posts.inReplyToId, at: posts.createdAt })
          .from(posts)
          .where(and(eq(posts.authorId, userId), ne(posts.inReplyToAuthorId, userId), gte(posts.createdAt, since)))
          .orderBy(desc(posts.id))
          .limit(INTERESTS_PER_KIND),
      ] as const,
      ([rows]) => weighted(INTEREST_WEIGHTS.reply)(rows),
    ),
    batchRead(
      [
        ctx.db
          .select({ postId: postOpens.postId, at: postOpens.openedAt })
          .from(postOpens)
          .where(and(eq(postOpens.userId, userId), gte(postOpens.openedAt, since)))
          .orderBy(desc(postOpens.openedAt))
          .limit(INTERESTS_PER_KIND),
      ] as const,
      ([rows]) => weighted(INTEREST_WEIGHTS.open)(rows),
    ),
  );
  return [...liked, ...reposted, ...replied, ...opened];
}

/**
 * Recomputes a person's interest vector from scratch: the sum of the vectors of the posts they engaged with, each
 * weighted by its kind and halved every INTEREST_HALF_LIFE_DAYS of age, normalised; stored in the index's interests
 * namespace. Computed whole from the database, it is idempotent (a redelivered event recomputes the same vector) and
 * follows undone engagement too. With nothing left to go on, the vector is removed.
 */
export async function refreshInterest(ctx: DomainContext, userId: string, now = Date.now()): Promise<void> {
  const engagement = await engagementOf(ctx, userId, new Date(now - INTEREST_WINDOW_MS));
  const index = recommendationsIndex(ctx.env);
  const vectors = await vectorsByIds(index, [...new Set(engagement.map((item) => item.postId))]);
  let sum: number[] | null = null;
  for (const { postId, at, weight } of engagement) {
    const vector = vectors.get(postId);
    if (!vector) continue;
    const ageDays = Math.max(0, now - at.getTime()) / (24 * 3_600_000);
    const factor = weight * 0.5 ** (ageDays / INTEREST_HALF_LIFE_DAYS);
    sum ??= new Array<number>(vector.length).fill(0);
    for (let i = 0; i < vector.length; i += 1) sum[i] = sum[i]! + factor * vector[i]!;
  }
  const values = sum && normalised(sum);
  if (!values || values.every((value) => value === 0)) return index.deleteByIds([interestVectorId(userId)]);
  await index.upsert([{ id: interestVectorId(userId), namespace: INTERESTS_NAMESPACE, values, metadata: { userId, updatedAt: now } }]);
}

/** After post.created: a reply to someone else's post is engagement with it, so its author's interest changes. */
export async function refreshInterestAfterPost(ctx: DomainContext, postId: string): Promise<void> {
  const [reply] = await ctx.db
    .select({ authorId: posts.authorId })
    .from(posts)
    .where(and(eq(posts.id, postId), isNotNull(posts.inReplyToId), ne(posts.inReplyToAuthorId, posts.authorId)));
  if (reply) await refreshInterest(ctx, reply.authorId);
}

/** A person's interest vector, or null while they have engaged with nothing embedded. */
export async function interestOf(ctx: DomainContext, userId: string): Promise<number[] | null> {
  const [record] = await recommendationsIndex(ctx.env).getByIds([interestVectorId(userId)]);
  return record?.values ?? null;
}

/**
 * The dwell signal: the viewer opened a post's page. Only an event is written here, so a page view costs one insert;
 * the handler records the opening and refreshes their interest. Opening one's own post says nothing about interests.
 */
export async function recordPostOpened(ctx: DomainContext, viewerId: string, post: { id: string; authorId: string }): Promise<void> {
  if (post.authorId === viewerId) return;
  await commit(ctx, [], [{ type: "post.opened", payload: { postId: post.id, userId: viewerId } }]);
}

/** Handles post.opened: the opening (at the event's time, the latest kept) then the person's interest. Idempotent. */
export async function noteOpening(ctx: DomainContext, event: DomainEvent<"post.opened">): Promise<void> {
  const { postId, userId } = event.payload;
  const exists = await ctx.db
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.id, postId), sql`EXISTS (SELECT 1 FROM users WHERE users.id = ${userId})`));
  if (exists.length > 0) {
    await ctx.db
      .insert(postOpens)
      .values({ userId, postId, openedAt: event.occurredAt })
      .onConflictDoUpdate({
        target: [postOpens.userId, postOpens.postId],
        set: { openedAt: sql`max(${postOpens.openedAt}, excluded.opened_at)` },
      });
  }
  await refreshInterest(ctx, userId);
}

/** When an account is deleted its interest vector goes too (its posts' vectors are found by no read: D1 has no rows). */
export function forgetInterest(ctx: DomainContext, userId: string): Promise<void> {
  return recommendationsIndex(ctx.env).deleteByIds([interestVectorId(userId)]);
}
