import type { LocalVectorIndex } from "./local-vector-index.ts";
import { VectorIndexError, type VectorIndex } from "./vector-index.ts";

/**
 * What crosses the RPC boundary: a value or the reason the request was refused. Refusals travel as data because an
 * error's class does not survive RPC, and the caller wants a VectorIndexError it can recognise.
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

function unwrap<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new VectorIndexError(outcome.error);
  return outcome.value;
}

/**
 * The port, backed by the LocalVectorIndex Durable Object named after the index. Kept apart from the class (which
 * imports cloudflare:workers) so that code reaching the index through here loads outside workerd too (the OpenAPI lint).
 */
export function localVectorIndex(env: Env, indexName: string): VectorIndex {
  const stub = env.LOCAL_VECTOR_INDEX.get(env.LOCAL_VECTOR_INDEX.idFromName(indexName)) as DurableObjectStub<LocalVectorIndex>;
  return {
    backend: "local",
    upsert: async (vectors) => unwrap(await stub.upsert(vectors)),
    query: async (vector, options) => unwrap(await stub.query(vector, options)),
    getByIds: (ids) => stub.getByIds(ids),
    deleteByIds: (ids) => stub.deleteByIds(ids),
  };
}
