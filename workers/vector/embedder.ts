/**
 * The Embedder port: text in, one vector per text out, all of the same length. Two adapters honour it: Workers AI
 * (workers-ai-embedder.ts) where the AI binding exists, and feature hashing (hashing-embedder.ts) everywhere else, so
 * local runs and tests need no network (docs/decisions/0039). Both give EMBEDDING_DIMENSIONS values, so either can
 * write to the same index; vectors from different embedders are not comparable, so an index holds one embedder's.
 */
export interface Embedder {
  /** Names the vector space: stored with every vector, so a switch of embedder can be told apart (and re-embedded). */
  readonly model: string;
  embed(texts: string[]): Promise<number[][]>;
}

/** bge-base-en-v1.5's output size; the local embedder hashes into as many buckets so the index's dimension is one. */
export const EMBEDDING_DIMENSIONS = 768;

/** Scales a vector to length 1, so cosine similarity is a dot product; a zero vector stays zero. */
export function normalised(values: number[]): number[] {
  const length = Math.hypot(...values);
  return length === 0 ? values : values.map((value) => value / length);
}
