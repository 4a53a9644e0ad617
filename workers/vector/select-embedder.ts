import type { Embedder } from "./embedder.ts";
import { hashingEmbedder } from "./hashing-embedder.ts";
import { workersAiEmbedder } from "./workers-ai-embedder.ts";

/**
 * The recommendations embedder: Workers AI where the AI binding exists (staging and production), feature hashing where
 * it does not. Workers AI has no local mode (wrangler dev would call Cloudflare), so wrangler.toml declares the binding
 * only in the deployed environments, as it does VECTORIZE (docs/decisions/0039).
 */
export function recommendationsEmbedder(env: Env): Embedder {
  return env.AI ? workersAiEmbedder(env.AI) : hashingEmbedder;
}
