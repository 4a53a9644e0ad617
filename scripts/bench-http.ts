import { flag } from "./run.ts";

/**
 * npm run bench:http [-- --url http://localhost:8787 --requests 500 --concurrency 8 --paths /,/api/v1/timelines/public]
 * Latency of a running server (start one on the bench data: npm start -- --skip-build --persist-to .wrangler/bench),
 * as percentiles per path. It measures; it asserts nothing. Record figures in docs/benchmarks.md.
 */
const base = flag("--url", "http://localhost:8787");
const requests = Number(flag("--requests", "400"));
const concurrency = Number(flag("--concurrency", "8"));
const paths = flag("--paths", "/api/v1/timelines/public?limit=40,/?limit=20,/healthz").split(",");

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

for (const path of paths) {
  const timings: number[] = [];
  let failures = 0;
  let next = 0;
  // A different cursor per request would measure the same index range; the newest page is what most readers load.
  const worker = async (_: unknown, index: number) => {
    // Each simulated client has its own address, as real clients do, so the per-address API rate limit applies to
    // each separately (locally nothing sets cf-connecting-ip, so we do).
    const headers = { "cf-connecting-ip": `198.51.100.${index + 1}` };
    while (next < requests) {
      next += 1;
      const started = performance.now();
      const response = await fetch(new URL(path, base), { headers });
      await response.arrayBuffer();
      timings.push(performance.now() - started);
      if (!response.ok) failures += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  timings.sort((a, b) => a - b);
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log(
    `${path}: ${requests} requests, concurrency ${concurrency}, ${(requests / seconds).toFixed(0)} req/s, ` +
      `p50 ${ms(percentile(timings, 50))}, p95 ${ms(percentile(timings, 95))}, p99 ${ms(percentile(timings, 99))}, ` +
      `failures ${failures}`,
  );
}
