import { DEFAULT_BENCH_SCALE, generateBenchData, type BenchScale } from "#db/seed/bench.ts";
import { openLocalPlatform } from "./local-platform.ts";
import { flag, run } from "./run.ts";

/**
 * npm run db:bench-data [-- --users 10000 --follows 300000 --posts 100000 --persist-to .wrangler/bench]
 * Fills a separate local database (not the one `npm start` uses) with generated data for benchmarks, home feeds
 * materialised, and prints how long it took. Serve it with: npm start -- --skip-build --persist-to .wrangler/bench
 */
const persistTo = flag("--persist-to", ".wrangler/bench");
const scale: BenchScale = {
  users: Number(flag("--users", String(DEFAULT_BENCH_SCALE.users))),
  follows: Number(flag("--follows", String(DEFAULT_BENCH_SCALE.follows))),
  posts: Number(flag("--posts", String(DEFAULT_BENCH_SCALE.posts))),
};
if (scale.follows > scale.users * (scale.users - 1)) throw new Error("More follows than pairs of users");

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
await run("wrangler", ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], { env: { ...process.env, CI: "true" } });
const { ctx, dispose } = await openLocalPlatform(persistTo);
try {
  console.log(`Generating ${scale.users} users, ${scale.follows} follows and ${scale.posts} posts into ${persistTo} ...`);
  await generateBenchData(
    ctx.db,
    scale,
    { feedSize: ctx.config.HOME_FEED_SIZE, maxFollowers: ctx.config.HOME_FANOUT_MAX_FOLLOWERS },
    (message) => console.log(`  ${message} (${elapsed()})`),
  );
  console.log(`Bench data ready in ${elapsed()}.`);
} finally {
  await dispose();
}
