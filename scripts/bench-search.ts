import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { sql } from "drizzle-orm";
import { users } from "#db/schema/index.ts";
import { TAIL_WORDS, tailWord, words } from "#db/seed/bench.ts";
import { createPersonalAccessToken } from "#domain/clients/tokens.ts";
import { refreshTrends } from "#domain/trends/refresh.ts";
import { startBenchServer } from "./bench-server.ts";
import { openLocalPlatform } from "./local-platform.ts";
import { flag, run } from "./run.ts";

/**
 * npm run bench:search [-- --persist-to .wrangler/bench --port 8795 --requests 200 --searchers 40]
 * Issue 16's figures on the bench data (100,000 posts by default; made once by db:bench-data, whose posts hold a
 * Zipf-distributed long tail of words besides 15 common ones):
 *   - the trends job's wall time (refreshTrends, as the five-minute cron runs it) at the data's last moment, three runs;
 *   - /api/v2/search?type=statuses for a very common word, a common one and a rare one, at concurrency 1 (p50/p95) and
 *     16 (throughput), beside /healthz in the same runs, signed in as --searchers bench accounts taking turns (search is
 *     limited to 60 a minute per account).
 * It measures; it asserts nothing. Record figures in docs/benchmarks.md.
 */
const persistTo = flag("--persist-to", ".wrangler/bench");
const port = flag("--port", "8795");
const requests = flag("--requests", "200");
const searchers = Number(flag("--searchers", "40"));
/** The bench data's last post is a moment before this (db/seed/bench.ts BENCH_EPOCH). */
const DATA_END = Date.UTC(2026, 10, 1);

if (!existsSync(`${persistTo}/v3/d1`)) await run("npm", ["run", "db:bench-data", "--", "--persist-to", persistTo]);

const { ctx, dispose } = await openLocalPlatform(persistTo);
let tokens: string[];
let queries: { label: string; word: string; posts: number }[];
try {
  const postsWith = async (word: string) =>
    (await ctx.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM posts_fts WHERE posts_fts MATCH ${`"${word}"`}`))!.n;
  // The rare word: the first rank past the middle of the tail that some post holds.
  let rare = tailWord(TAIL_WORDS / 4);
  for (let rank = TAIL_WORDS / 4; (await postsWith(rare)) === 0; rank += 1) rare = tailWord(rank + 1);
  queries = [];
  for (const [label, word] of [
    ["very common", words[4]!],
    ["common", tailWord(0)],
    ["rare", rare],
  ] as const) {
    queries.push({ label, word, posts: await postsWith(word) });
  }
  const totalPosts = (await ctx.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM posts`))!.n;
  console.log(`${totalPosts} posts; ${queries.map((query) => `"${query.word}" (${query.label}) in ${query.posts}`).join(", ")}`);

  const trendRuns: number[] = [];
  for (let run = 0; run < 3; run += 1) {
    const started = performance.now();
    const stored = await refreshTrends(ctx, DATA_END);
    trendRuns.push(performance.now() - started);
    if (run === 0) console.log(`Trends stored: ${JSON.stringify(stored)}`);
  }
  console.log(
    `Trends job wall time (three runs, from Node through the local D1): ${trendRuns.map((ms) => `${ms.toFixed(0)} ms`).join(", ")}`,
  );

  const searcherRows = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(sql`${users.username} LIKE 'bench%'`)
    .orderBy(users.id)
    .limit(searchers);
  tokens = [];
  for (const row of searcherRows) tokens.push(await createPersonalAccessToken(ctx, row.id, "npm run bench:search", ["read"]));
} finally {
  await dispose();
}

const { stop } = await startBenchServer({ port, persistTo });
try {
  console.log(
    `Load average before the requests: ${loadavg()
      .map((load) => load.toFixed(1))
      .join(" / ")}`,
  );
  const paths = [...queries.map((query) => `/api/v2/search?type=statuses&limit=20&q=${encodeURIComponent(query.word)}`), "/healthz"];
  for (const concurrency of ["1", "16"]) {
    await run(
      "npm",
      [
        "run",
        "bench:http",
        "--",
        "--url",
        `http://localhost:${port}`,
        "--requests",
        requests,
        "--concurrency",
        concurrency,
        "--paths",
        paths.join(","),
      ],
      { env: { ...process.env, BENCH_TOKENS: tokens.join(",") } },
    );
  }
} finally {
  stop();
}
