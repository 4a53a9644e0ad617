/**
 * The VectorIndex port: what recommendations need from a vector store, in Vectorize's own vocabulary. Two adapters
 * honour it: Vectorize itself (vectorize-adapter.ts) and a Durable Object with exact cosine search
 * (local-vector-index.ts) for wherever Vectorize cannot be reached, which is every local run. The contract tests in
 * tests/workers/vector-index.contract.test.ts describe the behaviour both must share.
 */
export type VectorMetadata = Record<string, VectorizeVectorMetadataValue>;

export interface VectorRecord {
  id: string;
  values: number[];
  namespace?: string;
  metadata?: VectorMetadata;
}

export interface VectorQuery {
  topK: number;
  namespace?: string;
  filter?: VectorizeVectorMetadataFilter;
  returnValues?: boolean;
  returnMetadata?: "none" | "indexed" | "all";
}

export interface VectorMatch {
  id: string;
  score: number;
  values?: number[];
  metadata?: VectorMetadata;
  namespace?: string;
}

export interface VectorIndex {
  readonly backend: "vectorize" | "local";
  /** Inserts or replaces vectors by id. */
  upsert(vectors: VectorRecord[]): Promise<void>;
  /** The topK most similar vectors by cosine similarity, best first, among those matching the filter. */
  query(vector: number[], options: VectorQuery): Promise<VectorMatch[]>;
  getByIds(ids: string[]): Promise<VectorRecord[]>;
  deleteByIds(ids: string[]): Promise<void>;
}

/** Vectorize's limits, which the local adapter enforces too so that nothing works locally that fails in production. */
export const VECTOR_LIMITS = {
  maxIdBytes: 64,
  maxTopK: 100,
  maxTopKWithValuesOrMetadata: 20,
  maxBatch: 1000,
  maxMetadataBytes: 10 * 1024,
} as const;

export class VectorIndexError extends Error {
  override name = "VectorIndexError";
}
