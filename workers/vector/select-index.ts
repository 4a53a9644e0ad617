import { localVectorIndex } from "./local-vector-index-adapter.ts";
import type { VectorIndex } from "./vector-index.ts";
import { vectorizeIndex } from "./vectorize-adapter.ts";

/**
 * The recommendations index: Vectorize where the VECTORIZE binding exists (staging and production), the local Durable
 * Object where it does not. Vectorize has no local mode, so wrangler.toml declares the binding only in the deployed
 * environments and `wrangler dev` and the test pool run without it (docs/decisions/0004, 0025).
 */
export function recommendationsIndex(env: Env): VectorIndex {
  return env.VECTORIZE ? vectorizeIndex(env.VECTORIZE) : localVectorIndex(env, "perch-posts");
}
