import { loadavg } from "node:os";
import { and, eq, gt, sql } from "drizzle-orm";
import { follows, storyItems, users } from "#db/schema/index.ts";
import { identiconPng } from "#db/seed/artwork.ts";
import { createSession } from "#domain/accounts/sessions.ts";
import { actingAs } from "#domain/context.ts";
import { uploadAttachment } from "#domain/media/attachments.ts";
import { createStory } from "#domain/stories/items.ts";
import { storyTray } from "#domain/stories/tray.ts";
import { SESSION_COOKIE } from "#workers/platform/session-cookie.ts";
import { openLocalPlatform } from "./local-platform.ts";
import { startBenchServer } from "./bench-server.ts";
import { flag } from "./run.ts";

/**
 * npm run bench:stories [-- --persist-to .wrangler/bench --port 8861 --requests 200 --readers 20 --authors 8]
 * The story tray's figures (issue 18) on the bench data (npm run db:bench-data first): gives up to --authors of the
 * accounts each of --readers random bench users follows a live story (one picture, posted through the same domain
 * functions as the Worker; accounts that already have one keep it), signs the readers in, starts the server as
 * `npm start` does, and prints p50/p95/p99 at concurrency 1 for the home page with the tray and for the first story
 * in the reader's tray (both server-rendered pages, as the signed-in reader), each beside /healthz measured in the same
 * run, with the load average. It measures; it asserts nothing. Record figures in docs/benchmarks.md.
 */
const persistTo = flag("--persist-to", ".wrangler/bench");
const port = flag("--port", "8861");
const requests = Number(flag("--requests", "200"));
const readerCount = Number(flag("--readers", "20"));
const authorsPerReader = Number(flag("--authors", "8"));
const base = `http://localhost:${port}`;

interface Reader {
  session: string;
  /** The first story the tray opens: the oldest unseen item of the first account in it. */
  firstStory: string;
  trayAccounts: number;
}

/** Live stories for the accounts the readers follow, and a session and the first story's page for each reader. */
async function prepare(): Promise<{ readers: Reader[]; posted: number }> {
  const { ctx, dispose } = await openLocalPlatform(persistTo);
  try {
    const candidates = await ctx.db
      .select({ id: users.id })
      .from(users)
      .where(sql`${users.username} LIKE 'bench%' AND ${users.followingCount} >= ${authorsPerReader}`)
      .orderBy(sql`random()`)
      .limit(readerCount);
    if (candidates.length === 0) throw new Error(`No bench users in ${persistTo}: run npm run db:bench-data first.`);
    let posted = 0;
    const readers: Reader[] = [];
    for (const { id } of candidates) {
      const followed = await ctx.db
        .select({ id: users.id, role: users.role, username: users.username })
        .from(follows)
        .innerJoin(users, eq(users.id, follows.followeeId))
        .where(eq(follows.followerId, id))
        .orderBy(sql`random()`)
        .limit(authorsPerReader);
      for (const author of followed) {
        const live = await ctx.db.query.storyItems.findFirst({
          where: and(eq(storyItems.authorId, author.id), gt(storyItems.expiresAt, new Date())),
          columns: { id: true },
        });
        if (live) continue;
        const upload = await uploadAttachment(ctx, author.id, { bytes: await identiconPng(`bench story ${author.username}`, 320) });
        await createStory(actingAs(ctx, author), {
          mediaIds: [upload.id],
          overlay: { text: "Bench story", position: "bottom", colour: "white" },
        });
        posted += 1;
      }
      const tray = await storyTray(ctx, id);
      const first = tray.find((entry) => entry.account.id !== id);
      if (!first) continue;
      readers.push({
        session: await createSession(ctx, id, { ip: null, userAgent: "npm run bench:stories" }),
        firstStory: `/stories/${first.account.username}/${first.firstItemId}`,
        trayAccounts: tray.length,
      });
    }
    return { readers, posted };
  } finally {
    await dispose();
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
let sent = 0;

/** `count` requests one after another, each built by `request` (so each can be a different reader) from its own address. */
async function load(count: number, request: () => { path: string; cookie?: string }) {
  const timings: number[] = [];
  let failures = 0;
  for (let i = 0; i < count; i += 1) {
    sent += 1;
    const { path, cookie } = request();
    const headers = new Headers({ "cf-connecting-ip": `198.51.${(sent >> 8) % 256}.${sent % 256}` });
    if (cookie) headers.set("cookie", cookie);
    const started = performance.now();
    const response = await fetch(new URL(path, base), { headers, redirect: "manual" });
    await response.arrayBuffer();
    timings.push(performance.now() - started);
    if (!response.ok) failures += 1;
  }
  timings.sort((a, b) => a - b);
  return { p50: percentile(timings, 50), p95: percentile(timings, 95), p99: percentile(timings, 99), failures };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const loadAverage = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");

console.log(`Preparing ${readerCount} signed-in readers and their followees' stories in ${persistTo} ...`);
const { readers, posted } = await prepare();
if (readers.length === 0) throw new Error("No reader has a story in their tray: are there follows in the bench data?");
const trays = readers.map((reader) => reader.trayAccounts).sort((a, b) => a - b);
console.log(
  `${posted} stories posted; ${readers.length} readers, accounts in their trays: median ${percentile(trays, 50)}, max ${trays.at(-1)}`,
);
const pick = () => readers[Math.floor(Math.random() * readers.length)]!;
const cookieOf = (reader: Reader) => `${SESSION_COOKIE}=${reader.session}`;

console.log(`Starting the server on port ${port} ...`);
const { stop } = await startBenchServer({ port, persistTo, skipBuild: false });
try {
  // Warm-up: the first requests compile and open everything.
  for (const reader of readers) await load(2, () => ({ path: reader.firstStory, cookie: cookieOf(reader) }));
  await load(20, () => ({ path: "/", cookie: cookieOf(pick()) }));
  await load(20, () => ({ path: "/healthz" }));

  console.log(`load average before: ${loadAverage()}`);
  const report = (name: string, stats: Awaited<ReturnType<typeof load>>) =>
    console.log(
      `${name} c1, ${requests} requests: p50 ${ms(stats.p50)}, p95 ${ms(stats.p95)}, p99 ${ms(stats.p99)}, failures ${stats.failures}`,
    );
  report("/healthz", await load(requests, () => ({ path: "/healthz" })));
  report("GET / (home with the story tray, SSR)", await load(requests, () => ({ path: "/", cookie: cookieOf(pick()) })));
  report(
    "GET /stories/:username/:itemId (first story in the tray, SSR)",
    await load(requests, () => {
      const reader = pick();
      return { path: reader.firstStory, cookie: cookieOf(reader) };
    }),
  );
  console.log(`load average after: ${loadAverage()}`);
} finally {
  stop();
}
