import { localVectorIndex } from "./local-vector-index.ts";
import type { VectorIndex } from "./vector-index.ts";
import { vectorizeIndex } from "./vectorize-adapter.ts";

/** What the runtime says when a binding exists only in Cloudflare (wrangler dev, the test pool). */
const LOCAL_ONLY = /needs to be run remotely|not supported/i;

let vectorizeReachable: Promise<boolean> | undefined;

/**
 * The recommendations index: Vectorize when its binding answers, the local Durable Object when the binding is absent
 * or can only run remotely. Probed once per isolate. Any other Vectorize failure is a real outage and is thrown, never
 * papered over by a silent switch to the local index in production.
 */
export async function recommendationsIndex(env: Env): Promise<VectorIndex> {
  const binding = env.VECTORIZE as VectorizeIndex | undefined;
  if (binding) {
    vectorizeReachable ??= binding.describe().then(
      () => true,
      (error: unknown) => {
        if (error instanceof Error && LOCAL_ONLY.test(error.message)) return false;
        vectorizeReachable = undefined;
        throw error;
      },
    );
    if (await vectorizeReachable) return vectorizeIndex(binding);
  }
  return localVectorIndex(env, "perch-posts");
}
