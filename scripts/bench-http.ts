import { flag } from "./run.ts";

/**
 * npm run bench:http [-- --url http://localhost:8787 --requests 500 --concurrency 8 --paths /,/api/v1/timelines/public]
 *   [--compare http://localhost:8791] [--token <bearer token>[,<another>...]]
 * Latency of a running server (start one on the bench data: npm start -- --skip-build --persist-to .wrangler/bench),
 * as percentiles per path, with the D1 round trips its answers took (Server-Timing's db count). It measures; it asserts
 * nothing. Record figures in docs/benchmarks.md.
 * --compare sends each request to a second server too (one built from the commit before a change, on a copy of the
 * same database), alternating which goes first, so that whatever else loads the machine slows both alike.
 * --token sends the requests as a signed-in client; several, comma-separated, take turns (per-account rate limits).
 */
const base = flag("--url", "http://localhost:8787");
const compared = flag("--compare", "");
// BENCH_TOKENS instead of --token keeps a long list of tokens out of the printed command line.
const tokens = flag("--token", process.env.BENCH_TOKENS ?? "")
  .split(",")
  .filter(Boolean);
const requests = Number(flag("--requests", "400"));
const concurrency = Number(flag("--concurrency", "8"));
const paths = flag("--paths", "/api/v1/timelines/public?limit=40,/?limit=20,/healthz").split(",");
const servers = compared ? [base, compared] : [base];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Result {
  timings: number[];
  failures: number;
  roundTrips: string;
}

let sent = 0;

/** One request, from its own address: the per-address API rate limit (300 a minute) would otherwise cut a long run. */
async function measure(server: string, path: string, result: Result): Promise<void> {
  sent += 1;
  const headers: Record<string, string> = { "cf-connecting-ip": `198.51.${(sent >> 8) % 256}.${sent % 256}` };
  if (tokens.length > 0) headers.Authorization = `Bearer ${tokens[sent % tokens.length]}`;
  const started = performance.now();
  const response = await fetch(new URL(path, server), { headers });
  await response.arrayBuffer();
  result.timings.push(performance.now() - started);
  if (!response.ok) result.failures += 1;
  result.roundTrips = response.headers.get("Server-Timing")?.match(/db;dur=[\d.]+;desc="(\d+)x"/)?.[1] ?? "?";
}

for (const path of paths) {
  const results = new Map(servers.map((server) => [server, { timings: [], failures: 0, roundTrips: "?" } as Result]));
  let next = 0;
  // A different cursor per request would measure the same index range; the newest page is what most readers load.
  const worker = async () => {
    while (next < requests) {
      next += 1;
      const order = next % 2 === 0 ? servers : [...servers].reverse();
      for (const server of order) await measure(server, path, results.get(server)!);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  for (const [server, { timings, failures, roundTrips }] of results) {
    timings.sort((a, b) => a - b);
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    console.log(
      // Compared servers share the run's time, so a throughput would describe neither.
      `${compared ? `${server} ` : ""}${path}: ${requests} requests, concurrency ${concurrency}, ` +
        `${compared ? "" : `${(requests / seconds).toFixed(0)} req/s, `}p50 ${ms(percentile(timings, 50))}, ` +
        `p95 ${ms(percentile(timings, 95))}, p99 ${ms(percentile(timings, 99))}, ${roundTrips} D1 round trips, failures ${failures}`,
    );
  }
}
