import { sql } from "drizzle-orm";
import { newId } from "#db/ids.ts";
import { posts } from "#db/schema/index.ts";
import { seededRandom } from "#db/seed/random.ts";
import { fanOutPost } from "#domain/home-feed/fan-out.ts";
import { openLocalPlatform } from "./local-platform.ts";
import { flag } from "./run.ts";

/**
 * npm run simulate:fanout [-- --persist-to .wrangler/bench-sim --rate 2 --duration 60 --max-followers 10000]
 * Replays a posting workload against the real fan-out path and reports queue lag (docs/scale.md). Posts arrive as a
 * Poisson process at --rate per second for --duration seconds of simulated time, each by an author drawn as the bench
 * data's posts are (the power law: the most-followed accounts post most). Each post is inserted, then fanned out by
 * fanOutPost on the local D1 (through wrangler's platform proxy), one after another, as D1's single writer would take
 * them; each fan-out's measured wall time is its service time. Queue delivery is modelled as wrangler.toml configures
 * the fanout consumer: a batch leaves when it holds 50 messages or 1 s after its first. Lag is from a post's arrival
 * until its fan-out has finished. It writes to the database it is given: use a copy of the bench data, e.g.
 * npm run db:bench-data -- --persist-to .wrangler/bench-sim --users 2000 --follows 60000 --posts 20000
 */
const persistTo = flag("--persist-to", ".wrangler/bench-sim");
const rate = Number(flag("--rate", "2"));
const duration = Number(flag("--duration", "60"));
const maxFollowersFlag = flag("--max-followers", "");
const BATCH_SIZE = 50;
const BATCH_TIMEOUT_S = 1;

const { ctx: base, dispose } = await openLocalPlatform(persistTo);
try {
  const ctx = maxFollowersFlag ? { ...base, config: { ...base.config, HOME_FANOUT_MAX_FOLLOWERS: Number(maxFollowersFlag) } } : base;
  const random = seededRandom(0x51a);
  const arrivals: number[] = [];
  for (let at = 0; ;) {
    at += -Math.log(1 - random()) / rate;
    if (at > duration) break;
    arrivals.push(at);
  }
  // Authors in proportion to how much they already post: a uniform sample of posts, one author each.
  const authors = await ctx.db.all<{ author_id: string; followers: number }>(sql`SELECT p.author_id, u.followers_count AS followers
    FROM posts p JOIN users u ON u.id = p.author_id ORDER BY random() LIMIT ${arrivals.length}`);
  if (authors.length < arrivals.length) throw new Error(`${persistTo} has too few posts: run npm run db:bench-data first.`);

  console.log(`Replaying ${arrivals.length} posts over ${duration} s (${rate}/s) on ${persistTo} ...`);
  const service: number[] = [];
  let entries = 0;
  for (const [i, author] of authors.entries()) {
    const id = newId();
    await ctx.db.insert(posts).values({ id, authorId: author.author_id, text: `Fan-out simulation post ${i}`, createdAt: new Date() });
    const started = performance.now();
    entries += (await fanOutPost(ctx, id)).delivered;
    service.push((performance.now() - started) / 1000);
  }

  // Batches as the queue forms them, each taken by the one writer when it is free.
  const lags: number[] = [];
  let writerFreeAt = 0;
  for (let first = 0; first < arrivals.length;) {
    let last = first;
    while (last + 1 < arrivals.length && last + 1 - first < BATCH_SIZE && arrivals[last + 1]! <= arrivals[first]! + BATCH_TIMEOUT_S)
      last += 1;
    const full = last - first + 1 === BATCH_SIZE;
    const sent = full ? arrivals[last]! : arrivals[first]! + BATCH_TIMEOUT_S;
    let clock = Math.max(sent, writerFreeAt);
    for (let i = first; i <= last; i += 1) {
      clock += service[i]!;
      lags.push(clock - arrivals[i]!);
    }
    writerFreeAt = clock;
    first = last + 1;
  }

  const busy = service.reduce((sum, seconds) => sum + seconds, 0);
  const sorted = [...lags].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  const followers = authors.map((author) => author.followers).sort((a, b) => a - b);
  console.log(
    `Authors' followers: median ${followers[Math.floor(followers.length / 2)]}, max ${followers.at(-1)}; ` +
      `${entries} entries written, ${(entries / arrivals.length).toFixed(0)} per post`,
  );
  console.log(
    `Writer busy ${busy.toFixed(1)} s of ${duration} s (utilisation ${((busy / duration) * 100).toFixed(0)}%), ` +
      `${(entries / busy).toFixed(0)} entries/s while busy, ` +
      `so at most ${(entries / busy / (entries / arrivals.length)).toFixed(1)} posts/s of this mix`,
  );
  console.log(
    `Queue lag (arrival to fanned out): p50 ${at(50).toFixed(2)} s, p95 ${at(95).toFixed(2)} s, p99 ${at(99).toFixed(2)} s, ` +
      `max ${sorted.at(-1)!.toFixed(2)} s; backlog at the end ${Math.max(0, writerFreeAt - duration).toFixed(1)} s`,
  );
} finally {
  await dispose();
}
