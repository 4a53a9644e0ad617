import { inArray, sql } from "drizzle-orm";
import { posts } from "#db/schema/index.ts";
import { inIds } from "../batch.ts";
import { chunks } from "../chunks.ts";
import type { DomainContext } from "../context.ts";
import { recommendationsEmbedder } from "#workers/vector/select-embedder.ts";
import { recommendationsIndex } from "#workers/vector/select-index.ts";
import { VECTOR_LIMITS, type VectorIndex, type VectorMatch, type VectorRecord } from "#workers/vector/vector-index.ts";

/**
 * One index holds two kinds of vector, told apart by namespace: each post's embedding, and each person's interest
 * vector (their engagement, interests.ts). Both live in the same space, so a person's interest finds posts and people.
 */
export const POSTS_NAMESPACE = "posts";
export const INTERESTS_NAMESPACE = "interests";

/** Vectorize keeps ids unique across namespaces: interest vectors get a prefix no post id has. */
export const interestVectorId = (userId: string) => `interest:${userId}`;

/**
 * Below this cosine similarity a post is no closer to a post or an interest than posts in general are: it is not
 * recommended as similar (docs/decisions/0039). Both embedders give unrelated texts scores near 0.
 */
export const MIN_SIMILARITY = 0.2;

/** Vectorize answers getByIds for at most this many ids at a time. */
const IDS_PER_READ = 20;

/**
 * What is embedded of a post: its content warning, its text and its pictures' descriptions (alt text says what a
 * picture is about). Reposts are their original's; direct posts are private conversations and stay out.
 */
function embeddingText(post: { spoilerText: string; text: string }, descriptions: string | null): string {
  return [post.spoilerText, post.text, descriptions ?? ""].filter(Boolean).join("\n");
}

/**
 * Embeds posts and stores their vectors (post.created and post.edited each embed one; the demo seed and backfills
 * many): idempotent, an upsert by post id. A post that is gone, a repost, a direct post, or one with nothing to embed
 * leaves the index instead, so this also settles a post whose delete raced its creation.
 */
export async function embedPosts(ctx: DomainContext, postIds: string[]): Promise<void> {
  if (postIds.length === 0) return;
  const rows = await ctx.db
    .select({
      post: posts,
      // Spelled out: from one table drizzle writes ${posts.id} unqualified, which inside these subqueries would name
      // media_attachments.id instead.
      descriptions: sql<string | null>`(SELECT group_concat(m.description, ' ') FROM media_attachments m WHERE m.post_id = posts.id)`,
      hasMedia: sql<number>`EXISTS (SELECT 1 FROM media_attachments m WHERE m.post_id = posts.id)`,
    })
    .from(posts)
    .where(inArray(posts.id, inIds(postIds)));
  const embeddable = rows.filter((row) => !row.post.reblogOfId && row.post.visibility !== "direct");
  const embedder = recommendationsEmbedder(ctx.env);
  const vectors = await embedder.embed(embeddable.map((row) => embeddingText(row.post, row.descriptions)));
  const records: VectorRecord[] = embeddable.flatMap((row, place) => {
    const values = vectors[place]!;
    if (values.every((value) => value === 0)) return [];
    const { id, authorId, visibility, createdAt } = row.post;
    const metadata = { authorId, visibility, hasMedia: Boolean(row.hasMedia), createdAt: createdAt.getTime(), model: embedder.model };
    return [{ id, namespace: POSTS_NAMESPACE, values, metadata }];
  });
  const index = recommendationsIndex(ctx.env);
  const stored = new Set(records.map((record) => record.id));
  const gone = postIds.filter((id) => !stored.has(id));
  for (const part of chunks(records, VECTOR_LIMITS.maxBatch)) await index.upsert(part);
  if (gone.length > 0) await index.deleteByIds(gone);
}

/** A deleted post leaves the index (post.deleted; reposts have no vector, so deleting theirs is a no-op). */
export function forgetPost(ctx: DomainContext, postId: string): Promise<void> {
  return recommendationsIndex(ctx.env).deleteByIds([postId]);
}

/** Stored vectors by id, read in Vectorize-sized pieces; ids without a vector are simply absent. */
export async function vectorsByIds(index: VectorIndex, ids: string[]): Promise<Map<string, number[]>> {
  const found = new Map<string, number[]>();
  for (const part of chunks(ids, IDS_PER_READ)) {
    for (const record of await index.getByIds(part)) found.set(record.id, record.values);
  }
  return found;
}

/** The post's own vector, or null before it was embedded (or when it never will be). */
export async function postVector(ctx: DomainContext, postId: string): Promise<number[] | null> {
  const [record] = await recommendationsIndex(ctx.env).getByIds([postId]);
  return record?.values ?? null;
}

/** The nearest post vectors to a vector at MIN_SIMILARITY or above, best first (ids and scores only: topK up to 100). */
export async function nearestPosts(
  ctx: DomainContext,
  vector: number[],
  topK: number,
  filter?: VectorizeVectorMetadataFilter,
): Promise<VectorMatch[]> {
  const matches = await recommendationsIndex(ctx.env).query(vector, { topK, namespace: POSTS_NAMESPACE, ...(filter ? { filter } : {}) });
  return matches.filter((match) => match.score >= MIN_SIMILARITY);
}
