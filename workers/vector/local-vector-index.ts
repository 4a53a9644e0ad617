import { DurableObject } from "cloudflare:workers";
import { matchesFilter } from "./metadata-filter.ts";
import type { Outcome } from "./local-vector-index-adapter.ts";
import {
  VECTOR_LIMITS,
  VectorIndexError,
  type VectorMatch,
  type VectorMetadata,
  type VectorQuery,
  type VectorRecord,
} from "./vector-index.ts";

interface StoredRow extends Record<string, SqlStorageValue> {
  id: string;
  namespace: string | null;
  vals: ArrayBuffer;
  metadata: string | null;
}

function attempt<T>(work: () => T): Outcome<T> {
  try {
    return { ok: true, value: work() };
  } catch (error) {
    if (error instanceof VectorIndexError) return { ok: false, error: error.message };
    throw error;
  }
}

/**
 * A stand-in for Vectorize with the same contract: one Durable Object per index name, vectors in its SQLite storage,
 * exact cosine similarity by scanning. Exact search is slower than Vectorize's approximate search but gives the same
 * answers at the sizes local runs and tests use.
 */
export class LocalVectorIndex extends DurableObject<Env> {
  private readonly sql = this.ctx.storage.sql;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS vectors (
      id TEXT PRIMARY KEY,
      namespace TEXT,
      vals BLOB NOT NULL,
      metadata TEXT
    )`);
    this.sql.exec("CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
  }

  async upsert(vectors: VectorRecord[]): Promise<Outcome<void>> {
    return attempt(() => this.write(vectors));
  }

  async query(vector: number[], options: VectorQuery): Promise<Outcome<VectorMatch[]>> {
    return attempt(() => this.search(vector, options));
  }

  private write(vectors: VectorRecord[]): void {
    if (vectors.length > VECTOR_LIMITS.maxBatch) {
      throw new VectorIndexError(`At most ${VECTOR_LIMITS.maxBatch} vectors per upsert`);
    }
    const dimensions = this.dimensionsFor(vectors);
    for (const vector of vectors) validateRecord(vector, dimensions);
    this.ctx.storage.transactionSync(() => {
      for (const vector of vectors) {
        this.sql.exec(
          "INSERT OR REPLACE INTO vectors (id, namespace, vals, metadata) VALUES (?, ?, ?, ?)",
          vector.id,
          vector.namespace ?? null,
          new Float32Array(vector.values).buffer,
          vector.metadata ? JSON.stringify(vector.metadata) : null,
        );
      }
    });
  }

  private search(vector: number[], options: VectorQuery): VectorMatch[] {
    validateQuery(options);
    const dimensions = this.storedDimensions();
    if (dimensions !== undefined && vector.length !== dimensions) {
      throw new VectorIndexError(`Query vector has ${vector.length} dimensions; the index has ${dimensions}`);
    }
    const queryNorm = norm(vector);
    const matches: { row: StoredRow; values: Float32Array; metadata?: VectorMetadata; score: number }[] = [];
    for (const row of this.sql.exec<StoredRow>("SELECT id, namespace, vals, metadata FROM vectors")) {
      if (options.namespace !== undefined && row.namespace !== options.namespace) continue;
      const metadata = row.metadata ? (JSON.parse(row.metadata) as VectorMetadata) : undefined;
      if (options.filter && !matchesFilter(metadata, options.filter)) continue;
      const values = new Float32Array(row.vals);
      matches.push({ row, values, metadata, score: cosine(vector, queryNorm, values) });
    }
    matches.sort((a, b) => b.score - a.score || (a.row.id < b.row.id ? -1 : 1));
    return matches.slice(0, options.topK).map(({ row, values, metadata, score }) => ({
      id: row.id,
      score,
      ...(row.namespace === null ? {} : { namespace: row.namespace }),
      ...(options.returnValues ? { values: [...values] } : {}),
      ...(options.returnMetadata && options.returnMetadata !== "none" && metadata ? { metadata } : {}),
    }));
  }

  async getByIds(ids: string[]): Promise<VectorRecord[]> {
    if (ids.length === 0) return [];
    const placeholders = ids.map(() => "?").join(", ");
    const rows = this.sql.exec<StoredRow>(`SELECT id, namespace, vals, metadata FROM vectors WHERE id IN (${placeholders})`, ...ids);
    return [...rows].map((row) => ({
      id: row.id,
      values: [...new Float32Array(row.vals)],
      ...(row.namespace === null ? {} : { namespace: row.namespace }),
      ...(row.metadata ? { metadata: JSON.parse(row.metadata) as VectorMetadata } : {}),
    }));
  }

  async deleteByIds(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    this.sql.exec(`DELETE FROM vectors WHERE id IN (${ids.map(() => "?").join(", ")})`, ...ids);
  }

  /** The index takes the dimension count of its first vector, as a Vectorize index is created with one. */
  private dimensionsFor(vectors: VectorRecord[]): number | undefined {
    const stored = this.storedDimensions();
    if (stored !== undefined || vectors.length === 0) return stored;
    const first = vectors[0]!.values.length;
    this.sql.exec("INSERT INTO settings (name, value) VALUES ('dimensions', ?)", first);
    return first;
  }

  private storedDimensions(): number | undefined {
    const [row] = this.sql.exec<{ value: number }>("SELECT value FROM settings WHERE name = 'dimensions'").toArray();
    return row?.value;
  }
}

function validateRecord(vector: VectorRecord, dimensions: number | undefined): void {
  if (!vector.id || new TextEncoder().encode(vector.id).length > VECTOR_LIMITS.maxIdBytes) {
    throw new VectorIndexError(`Vector ids must be 1 to ${VECTOR_LIMITS.maxIdBytes} bytes`);
  }
  if (vector.values.length !== dimensions) {
    throw new VectorIndexError(`Vector ${vector.id} has ${vector.values.length} dimensions; the index has ${dimensions}`);
  }
  if (vector.values.some((value) => !Number.isFinite(value))) {
    throw new VectorIndexError(`Vector ${vector.id} has a value that is not a finite number`);
  }
  if (vector.metadata && new TextEncoder().encode(JSON.stringify(vector.metadata)).length > VECTOR_LIMITS.maxMetadataBytes) {
    throw new VectorIndexError(`Vector ${vector.id} has more than ${VECTOR_LIMITS.maxMetadataBytes} bytes of metadata`);
  }
}

function validateQuery(options: VectorQuery): void {
  const heavy = options.returnValues || options.returnMetadata === "all";
  const max = heavy ? VECTOR_LIMITS.maxTopKWithValuesOrMetadata : VECTOR_LIMITS.maxTopK;
  if (!Number.isInteger(options.topK) || options.topK < 1 || options.topK > max) {
    throw new VectorIndexError(`topK must be a whole number from 1 to ${max}`);
  }
}

function norm(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i += 1) sum += values[i]! * values[i]!;
  return Math.sqrt(sum);
}

function cosine(query: number[], queryNorm: number, candidate: Float32Array): number {
  const candidateNorm = norm(candidate);
  if (queryNorm === 0 || candidateNorm === 0) return 0;
  let dot = 0;
  for (let i = 0; i < query.length; i += 1) dot += query[i]! * candidate[i]!;
  return dot / (queryNorm * candidateNorm);
}

/** Where the rest of the Worker gets the port from; it lives apart so the API never imports this class's runtime module. */
export { localVectorIndex } from "./local-vector-index-adapter.ts";
