import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { and, desc, eq, sql } from "drizzle-orm";
import { follows, posts, users } from "#db/schema/index.ts";
import { createSession } from "#domain/accounts/sessions.ts";
import { createPersonalAccessToken } from "#domain/clients/tokens.ts";
import { homeFeedReads, readableBy } from "#domain/timelines.ts";
import { SESSION_COOKIE } from "#workers/platform/session-cookie.ts";
import { openLocalPlatform } from "./local-platform.ts";
import { flag } from "./run.ts";

/**
 * npm run bench [-- --persist-to .wrangler/bench --port 8793 --requests 400 --readers 200]
 * The Following feed's figures (issue 13) on the bench data (npm run db:bench-data first): signs in --readers random
 * bench users, starts the server as `npm start` does (with HOME_FANOUT_MAX_FOLLOWERS above the largest account, so
 * every post is fanned out), and prints p50/p95/p99 and throughput per path, each against /healthz measured in the
 * same run, the fan-out wall time of the largest account's post, and the pull query against the materialised read
 * for the reader following the most accounts nearest 1,000. Each target is printed as met or not met. It measures;
 * it asserts nothing. Record figures in docs/benchmarks.md.
 */
const persistTo = flag("--persist-to", ".wrangler/bench");
const port = flag("--port", "8793");
const requests = Number(flag("--requests", "400"));
const readerCount = Number(flag("--readers", "200"));
const base = `http://localhost:${port}`;
const PAGE = 20;

interface Reader {
  id: string;
  token: string;
  session: string;
}

interface Stats {
  p50: number;
  p95: number;
  p99: number;
  throughput: number;
  failures: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function d1File(): string {
  const directory = join(persistTo, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = existsSync(directory) && readdirSync(directory).find((name) => name.endsWith(".sqlite") && name !== "metadata.sqlite");
  if (!file) throw new Error(`No bench database in ${persistTo}: run npm run db:bench-data first.`);
  return join(directory, file);
}

/** Tokens and sessions for random readers, plus the two accounts the fan-out and pull figures need. */
async function prepare() {
  const { ctx, dispose } = await openLocalPlatform(persistTo);
  try {
    const all = await ctx.db
      .select({ id: users.id })
      .from(users)
      .where(sql`${users.username} LIKE 'bench%'`);
    if (all.length === 0) throw new Error(`No bench users in ${persistTo}: run npm run db:bench-data first.`);
    const signIn = async (id: string): Promise<Reader> => ({
      id,
      token: await createPersonalAccessToken(ctx, id, "npm run bench", ["read", "write"]),
      session: await createSession(ctx, id, { ip: null, userAgent: "npm run bench" }),
    });
    const readers: Reader[] = [];
    for (let i = 0; i < readerCount; i += 1) readers.push(await signIn(all[Math.floor(Math.random() * all.length)]!.id));
    const [largest] = await ctx.db
      .select({ id: users.id, followers: users.followersCount })
      .from(users)
      .orderBy(desc(users.followersCount))
      .limit(1);
    const [heavy] = await ctx.db
      .select({ id: users.id, following: users.followingCount })
      .from(users)
      .orderBy(sql`${users.followingCount} < 1000`, sql`abs(${users.followingCount} - 1000)`)
      .limit(1);
    // The reads as the server will run them, with the threshold raised as it is for this run.
    const raised = { ...ctx, config: { ...ctx.config, HOME_FANOUT_MAX_FOLLOWERS: largest!.followers + 1 } };
    const reads = {
      pull: ctx.db
        .select({ post: posts })
        .from(follows)
        .innerJoin(posts, eq(posts.authorId, follows.followeeId))
        .innerJoin(users, eq(users.id, posts.authorId))
        .where(and(eq(follows.followerId, heavy!.id), readableBy(heavy!.id)))
        .orderBy(desc(posts.id))
        .limit(PAGE)
        .toSQL(),
      materialised: homeFeedReads(raised, heavy!.id, { limit: PAGE }).map((read) => read.toSQL()),
    };
    return {
      readers,
      reads,
      author: { ...largest!, ...(await signIn(largest!.id)) },
      heavy: { ...heavy!, ...(await signIn(heavy!.id)) },
    };
  } finally {
    await dispose();
  }
}

interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * The page's rows for the heavy reader, SQL only (node:sqlite on the database, read before the server starts;
 * hydration is the same for both and left out): the naive pull (follows joined to posts, newest first, with the same
 * read-time filters) against the materialised read, the statements homeTimeline batches (homeFeedReads).
 * Runs alternate; the medians are compared.
 */
function pullAgainstMaterialised(reads: { pull: Statement; materialised: Statement[] }, runs = 300) {
  const database = new DatabaseSync(d1File(), { readOnly: true });
  try {
    const prepared = ({ sql: text, params }: Statement) => {
      const statement = database.prepare(text);
      return () => statement.all(...(params as (string | number)[]));
    };
    const pull = prepared(reads.pull);
    const materialised = reads.materialised.map(prepared);
    const timings = { pull: [] as number[], materialised: [] as number[] };
    const time = (run: () => void) => {
      const started = performance.now();
      run();
      return performance.now() - started;
    };
    for (let i = 0; i < runs; i += 1) {
      timings.pull.push(time(pull));
      timings.materialised.push(time(() => materialised.forEach((read) => read())));
    }
    const median = (values: number[]) =>
      percentile(
        [...values].sort((a, b) => a - b),
        50,
      );
    return { pull: median(timings.pull), materialised: median(timings.materialised) };
  } finally {
    database.close();
  }
}

/** npm start on the bench database, in its own process group so that stopping it stops wrangler and workerd too. */
function startServer(maxFollowers: number): Promise<() => void> {
  const server = spawn(
    "npm",
    ["start", "--", "--port", port, "--persist-to", persistTo, "--var", `HOME_FANOUT_MAX_FOLLOWERS:${maxFollowers}`],
    { detached: true, stdio: ["ignore", "pipe", "inherit"] },
  );
  const stop = () => {
    if (server.exitCode === null) process.kill(-server.pid!, "SIGTERM");
  };
  return new Promise((resolve, reject) => {
    server.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("Perch is running at")) resolve(stop);
    });
    server.on("exit", (code) => reject(new Error(`npm start exited (${code}) before the server answered`)));
  });
}

let sent = 0;

/**
 * `count` requests from `concurrency` clients; each request comes from its own address (the API's rate limit is per
 * address) and is built by `request` (so each can be a different reader).
 */
async function load(count: number, concurrency: number, request: () => { path: string; init?: RequestInit }): Promise<Stats> {
  const timings: number[] = [];
  let failures = 0;
  let next = 0;
  const client = async () => {
    while (next < count) {
      next += 1;
      sent += 1;
      const { path, init } = request();
      const headers = new Headers(init?.headers);
      headers.set("cf-connecting-ip", `198.51.${(sent >> 8) % 256}.${sent % 256}`);
      const started = performance.now();
      const response = await fetch(new URL(path, base), { ...init, headers, redirect: "manual" });
      await response.arrayBuffer();
      timings.push(performance.now() - started);
      if (!response.ok) failures += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  timings.sort((a, b) => a - b);
  return {
    p50: percentile(timings, 50),
    p95: percentile(timings, 95),
    p99: percentile(timings, 99),
    throughput: count / seconds,
    failures,
  };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const ratio = (value: number) => `${value.toFixed(2)}x`;

function report(name: string, concurrency: number, stats: Stats, floor?: Stats) {
  const against = floor
    ? `; /healthz ratio p50 ${ratio(stats.p50 / floor.p50)}, p95 ${ratio(stats.p95 / floor.p95)}, ` +
      `p99 ${ratio(stats.p99 / floor.p99)}, throughput ${ratio(stats.throughput / floor.throughput)}`
    : "";
  console.log(
    `${name} c${concurrency}: ${stats.throughput.toFixed(0)} req/s, p50 ${ms(stats.p50)}, p95 ${ms(stats.p95)}, ` +
      `p99 ${ms(stats.p99)}, failures ${stats.failures}${against}`,
  );
}

const targets: string[] = [];
function target(what: string, met: boolean, figure: string) {
  targets.push(`${met ? "met    " : "NOT met"}  ${what}: ${figure}`);
}

/** Posts as the largest account and waits until every follower's feed holds the post (read from the live database). */
async function fanOutWallTime(author: Reader & { followers: number }): Promise<{ seconds: number; delivered: number }> {
  const database = new DatabaseSync(d1File(), { readOnly: true });
  try {
    const delivered = database.prepare("SELECT count(*) AS n FROM home_feed_entries WHERE post_id = ?");
    const started = performance.now();
    const response = await fetch(new URL("/api/v1/statuses", base), {
      method: "POST",
      headers: { authorization: `Bearer ${author.token}`, "content-type": "application/json", "cf-connecting-ip": "198.51.100.1" },
      body: JSON.stringify({ status: "Fan-out benchmark: to every follower.", visibility: "public" }),
    });
    if (!response.ok) throw new Error(`Posting as the largest account failed (${response.status}): ${await response.text()}`);
    const { id } = (await response.json()) as { id: string };
    let count = 0;
    while (performance.now() - started < 120_000) {
      count = Number((delivered.get(id) as { n: number }).n);
      if (count >= author.followers) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { seconds: (performance.now() - started) / 1000, delivered: count };
  } finally {
    database.close();
  }
}

console.log(`Preparing ${readerCount} signed-in readers in ${persistTo} ...`);
const { readers, reads, author, heavy } = await prepare();
const maxFollowers = author.followers + 1;
const pick = () => readers[Math.floor(Math.random() * readers.length)]!;
const asReader = (path: string) => () => ({ path, init: { headers: { authorization: `Bearer ${pick().token}` } } });

const sqlLevel = pullAgainstMaterialised(reads);
console.log(`Starting the server on port ${port} (HOME_FANOUT_MAX_FOLLOWERS=${maxFollowers}) ...`);
const stop = await startServer(maxFollowers);
try {
  // Warm-up: the first requests compile and open everything.
  await load(50, 4, asReader(`/api/v1/timelines/home?limit=${PAGE}`));
  await load(50, 4, () => ({ path: "/healthz" }));

  const healthz1 = await load(requests, 1, () => ({ path: "/healthz" }));
  report("/healthz", 1, healthz1);
  const home1 = await load(requests, 1, asReader(`/api/v1/timelines/home?limit=${PAGE}`));
  report(`GET /api/v1/timelines/home?limit=${PAGE}`, 1, home1, healthz1);
  const healthz16 = await load(requests, 16, () => ({ path: "/healthz" }));
  report("/healthz", 16, healthz16);
  const home16 = await load(requests, 16, asReader(`/api/v1/timelines/home?limit=${PAGE}`));
  report(`GET /api/v1/timelines/home?limit=${PAGE}`, 16, home16, healthz16);
  target("home API p50 within 1.5x of /healthz at c1", home1.p50 / healthz1.p50 <= 1.5, ratio(home1.p50 / healthz1.p50));
  target(
    "home API throughput at least 0.7x of /healthz at c16",
    home16.throughput / healthz16.throughput >= 0.7,
    ratio(home16.throughput / healthz16.throughput),
  );

  const probe = await fetch(new URL(`/api/v1/perch/timelines/for_you?limit=${PAGE}`, base), {
    headers: { authorization: `Bearer ${pick().token}`, "cf-connecting-ip": "198.51.100.2" },
  });
  await probe.arrayBuffer();
  if (probe.ok) {
    const forYou1 = await load(requests, 1, asReader(`/api/v1/perch/timelines/for_you?limit=${PAGE}`));
    report(`GET /api/v1/perch/timelines/for_you?limit=${PAGE}`, 1, forYou1, healthz1);
    const forYou16 = await load(requests, 16, asReader(`/api/v1/perch/timelines/for_you?limit=${PAGE}`));
    report(`GET /api/v1/perch/timelines/for_you?limit=${PAGE}`, 16, forYou16, healthz16);
  } else {
    console.log(`GET /api/v1/perch/timelines/for_you: not available (${probe.status})`);
  }

  const page1 = await load(requests, 1, () => ({ path: "/", init: { headers: { cookie: `${SESSION_COOKIE}=${pick().session}` } } }));
  report("GET / signed in (SSR, Following)", 1, page1, healthz1);
  target("signed-in home page p50 within 2x of /healthz at c1", page1.p50 / healthz1.p50 <= 2, ratio(page1.p50 / healthz1.p50));

  const creates = Math.max(20, Math.floor(requests / 4));
  const create1 = await load(creates, 1, () => ({
    path: "/api/v1/statuses",
    init: {
      method: "POST",
      headers: { authorization: `Bearer ${pick().token}`, "content-type": "application/json" },
      body: JSON.stringify({ status: `Benchmark post ${sent}` }),
    },
  }));
  report("POST /api/v1/statuses", 1, create1, healthz1);
  target("post creation p50 within 2x of /healthz at c1", create1.p50 / healthz1.p50 <= 2, ratio(create1.p50 / healthz1.p50));

  // The posts just created are fanning out; let their queue drain before timing the largest fan-out.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const fanOut = await fanOutWallTime(author);
  console.log(
    `Fan-out of one post by the account with ${author.followers} followers: ${fanOut.delivered} of ${author.followers} ` +
      `feeds in ${fanOut.seconds.toFixed(2)} s (from the POST until the last feed holds it)`,
  );
  target(
    `fan-out to ${author.followers} followers within 5 s`,
    fanOut.delivered >= author.followers && fanOut.seconds <= 5,
    `${fanOut.seconds.toFixed(2)} s`,
  );

  const heavyApi = await load(Math.floor(requests / 2), 1, () => ({
    path: `/api/v1/timelines/home?limit=${PAGE}`,
    init: { headers: { authorization: `Bearer ${heavy.token}` } },
  }));
  report(`GET /api/v1/timelines/home?limit=${PAGE} for the reader following ${heavy.following}`, 1, heavyApi, healthz1);
} finally {
  stop();
}

console.log(
  `Home page of a reader following ${heavy.following} accounts, SQL only (median of 300): pull ${ms(sqlLevel.pull)}, ` +
    `materialised ${ms(sqlLevel.materialised)}, ${ratio(sqlLevel.pull / sqlLevel.materialised)}`,
);
target(
  "materialised read at least 5x faster than the pull query",
  sqlLevel.pull / sqlLevel.materialised >= 5,
  ratio(sqlLevel.pull / sqlLevel.materialised),
);
console.log(`\nTargets (issue 13):\n${targets.join("\n")}`);
