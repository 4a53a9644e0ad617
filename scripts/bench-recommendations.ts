import { performance } from "node:perf_hooks";
import { DEFAULT_BENCH_SCALE, words } from "#db/seed/bench.ts";
import { pick, seededRandom } from "#db/seed/random.ts";
import { hashingEmbedder } from "#workers/vector/hashing-embedder.ts";
import { flag } from "./run.ts";

/**
 * npm run bench:recommendations [-- --posts 100000 --queries 50]
 * What recommendations cost locally on posts shaped like the benchmark data's (its vocabulary, 8 to 27 words, 40 % with
 * one of 200 hashtags): the hashing embedder's time per post, and an exact cosine top-20 over every vector the way the
 * LocalVectorIndex Durable Object scans (here in plain Node over Float32Arrays, so without the Durable Object's SQLite
 * read of each row: a floor for the local index, not a figure for Vectorize or Workers AI, which have no local mode).
 * Record figures, with `uptime`'s load average, in docs/benchmarks.md.
 */
const postCount = Number(flag("--posts", String(DEFAULT_BENCH_SCALE.posts)));
const queries = Number(flag("--queries", "50"));
const random = seededRandom(0x5eed);
const texts = Array.from({ length: postCount }, () => {
  const text = Array.from({ length: 8 + Math.floor(random() * 20) }, () => pick(random, words)).join(" ");
  return random() < 0.4 ? `${text} #topic${Math.floor(200 * random() ** 2)}` : text;
});

const embedStart = performance.now();
const vectors: Float32Array[] = [];
for (let start = 0; start < texts.length; start += 1000) {
  for (const values of await hashingEmbedder.embed(texts.slice(start, start + 1000))) vectors.push(new Float32Array(values));
}
const embedMs = performance.now() - embedStart;
console.log(`embedded ${postCount} posts in ${embedMs.toFixed(0)} ms: ${((embedMs * 1000) / postCount).toFixed(1)} µs per post`);

/** Exact top 20 by cosine over the first `size` vectors, as LocalVectorIndex.search does (norms computed per row). */
function topTwenty(query: Float32Array, size: number): number[] {
  const scores: { index: number; score: number }[] = [];
  let queryNorm = 0;
  for (let i = 0; i < query.length; i += 1) queryNorm += query[i]! * query[i]!;
  for (let row = 0; row < size; row += 1) {
    const candidate = vectors[row]!;
    let dot = 0;
    let norm = 0;
    for (let i = 0; i < candidate.length; i += 1) {
      dot += query[i]! * candidate[i]!;
      norm += candidate[i]! * candidate[i]!;
    }
    scores.push({ index: row, score: norm === 0 ? 0 : dot / Math.sqrt(queryNorm * norm) });
  }
  scores.sort((a, b) => b.score - a.score);
  return scores.slice(0, 20).map((match) => match.index);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
for (const size of [10_000, postCount].filter((size) => size <= postCount)) {
  const times: number[] = [];
  for (let run = 0; run < queries; run += 1) {
    const started = performance.now();
    topTwenty(vectors[Math.floor(random() * size)]!, size);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(`exact top-20 over ${size} vectors: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`);
}
