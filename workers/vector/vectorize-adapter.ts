import type { VectorIndex, VectorMetadata, VectorRecord } from "./vector-index.ts";

function toRecord(vector: VectorizeVector): VectorRecord {
  return {
    id: vector.id,
    values: [...vector.values],
    ...(vector.namespace ? { namespace: vector.namespace } : {}),
    ...(vector.metadata ? { metadata: vector.metadata as VectorMetadata } : {}),
  };
}

/** The port, backed by a Vectorize index (cosine metric). Vectorize applies writes asynchronously. */
export function vectorizeIndex(binding: VectorizeIndex): VectorIndex {
  return {
    backend: "vectorize",
    async upsert(vectors) {
      await binding.upsert(vectors);
    },
    async query(vector, options) {
      const { matches } = await binding.query(vector, options);
      return matches.map((match) => ({
        id: match.id,
        score: match.score,
        ...(match.namespace ? { namespace: match.namespace } : {}),
        ...(match.values ? { values: [...match.values] } : {}),
        ...(match.metadata ? { metadata: match.metadata as VectorMetadata } : {}),
      }));
    },
    async getByIds(ids) {
      return (await binding.getByIds(ids)).map(toRecord);
    },
    async deleteByIds(ids) {
      await binding.deleteByIds(ids);
    },
  };
}
