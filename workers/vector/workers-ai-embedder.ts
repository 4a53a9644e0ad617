import { EMBEDDING_DIMENSIONS, normalised, type Embedder } from "./embedder.ts";

export const WORKERS_AI_EMBEDDING_MODEL = "@cf/baai/bge-base-en-v1.5";

/** Workers AI takes up to this many texts per call; bge reads at most 512 tokens, so longer text is cut first. */
const TEXTS_PER_CALL = 100;
const MAX_CHARACTERS = 2000;

/** The port, backed by Workers AI's bge-base-en-v1.5 (768 dimensions) through the AI binding. */
export function workersAiEmbedder(ai: Ai): Embedder {
  return {
    model: WORKERS_AI_EMBEDDING_MODEL,
    async embed(texts) {
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += TEXTS_PER_CALL) {
        const text = texts.slice(start, start + TEXTS_PER_CALL).map((item) => item.slice(0, MAX_CHARACTERS));
        // cls pooling: Cloudflare's recommendation for accuracy (not comparable with mean-pooled vectors; all of ours are cls).
        const result = await ai.run(WORKERS_AI_EMBEDDING_MODEL, { text, pooling: "cls" });
        const data: number[][] = "data" in result ? (result.data ?? []) : [];
        if (data.length !== text.length || data.some((vector) => vector.length !== EMBEDDING_DIMENSIONS)) {
          throw new Error(`Workers AI returned ${data.length} embeddings for ${text.length} texts`);
        }
        vectors.push(...data.map(normalised));
      }
      return vectors;
    },
  };
}
