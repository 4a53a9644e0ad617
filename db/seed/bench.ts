import { getTableName, sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { idAt } from "../ids.ts";
import { follows, posts, postTags, tags, users } from "../schema/index.ts";
import { pick, seededRandom } from "./random.ts";

export interface BenchScale {
  users: number;
  follows: number;
  posts: number;
}

export const DEFAULT_BENCH_SCALE: BenchScale = { users: 10_000, follows: 300_000, posts: 100_000 };

/** Benchmark data lives a month before this fixed moment, so every run makes identical rows and ids. */
const BENCH_EPOCH = Date.UTC(2026, 10, 1);
const MONTH = 30 * 24 * 60 * 60 * 1000;

/** The common vocabulary of generated posts (also the recommendations benchmark's): most posts hold several of these. */
export const words = "light river city morning coffee garden bridge music train market window story summer code trail".split(" ");

/** How many words the long tail has: enough that its rarest are in a handful of posts at 100,000 posts. */
export const TAIL_WORDS = 20_000;
const SYLLABLES = "ka lo mi ne ru ta so vi pe zu da fo gi ha be ri".split(" ");

/** The long tail's word of a rank (0 is the most used): made-up syllables, so none is also a common word. */
export function tailWord(rank: number): string {
  let word = "";
  for (let rest = rank + SYLLABLES.length; rest > 0; rest = Math.floor(rest / SYLLABLES.length)) {
    word = SYLLABLES[rest % SYLLABLES.length]! + word;
  }
  return word;
}

/**
 * A rank drawn by Zipf's law (frequency about 1/rank, as in real text): a log-uniform draw. With two tail words a post,
 * rank 0 is in about one post in seven and ranks past 5,000 in a handful of 100,000, so search has common and rare words.
 */
const zipfRank = (random: () => number) => Math.floor(TAIL_WORDS ** random()) - 1;

/** How feeds are materialised: the same settings fan-out and the hourly trim take from the Worker's config. */
export interface FeedSettings {
  /** HOME_FEED_SIZE: entries kept per person. */
  feedSize: number;
  /** HOME_FANOUT_MAX_FOLLOWERS: accounts with more followers are merged in at read time, not delivered. */
  maxFollowers: number;
}

/**
 * Out-degree tail: Pareto weights with this exponent, scaled to the number of follows. 1.8 gives a median of about 20
 * accounts followed and a few people following more than 1,000.
 */
const OUT_DEGREE_EXPONENT = 1.8;
/** The most accounts one generated person follows: the per-person quota is clamped here. */
const MAX_FOLLOWING = 3_000;

/**
 * Rows in bulk, straight into the tables (the counters still come from the triggers): far faster than the domain's
 * one-post-at-a-time path, with the same shapes. Who is followed and who posts follow a steep power law, as on real
 * networks, so a few accounts have most of the followers (the first account, bench0, is followed by everyone: the
 * largest fan-out the data can hold); how many accounts each person follows has a heavy tail too, so some readers
 * follow more than 1,000 accounts: the case a pull query cannot serve. Then every home feed is materialised
 * (materialiseHomeFeeds).
 */
export async function generateBenchData(db: Database, scale: BenchScale, feeds: FeedSettings, onProgress: (message: string) => void) {
  const random = seededRandom(0xbe9c4);
  const userIds = Array.from({ length: scale.users }, (_, i) => idAt(BENCH_EPOCH - 2 * MONTH + i * 1000));
  const skewedUser = () => userIds[Math.floor(scale.users * random() ** 3)]!;

  await insertAll(
    db,
    users,
    userIds.map((id, i) => ({
      id,
      username: `bench${i}`,
      email: `bench${i}@bench.test`,
      display_name: `Bench User ${i}`,
      bio: `Benchmark account number ${i}.`,
      // Verified, as active accounts are: only verified accounts may post.
      email_verified_at: BENCH_EPOCH - 2 * MONTH,
      created_at: BENCH_EPOCH - 2 * MONTH,
      updated_at: BENCH_EPOCH - 2 * MONTH,
    })),
  );
  onProgress(`${scale.users} users`);

  await insertAll(db, follows, followGraph(random, userIds, scale.follows, skewedUser));
  onProgress(`${scale.follows} follows`);

  const tagRows = Array.from({ length: 200 }, (_, i) => ({
    id: idAt(BENCH_EPOCH - 2 * MONTH, i),
    name: `topic${i}`,
    created_at: BENCH_EPOCH - 2 * MONTH,
  }));
  await insertAll(db, tags, tagRows);

  const postRows: Row[] = [];
  const postTagRows: Row[] = [];
  for (let i = 0; i < scale.posts; i += 1) {
    const at = BENCH_EPOCH - MONTH + Math.floor((i / scale.posts) * MONTH);
    const id = idAt(at, i & 0xffff);
    const tag = random() < 0.4 ? tagRows[Math.floor(tagRows.length * random() ** 2)]! : undefined;
    const common = Array.from({ length: 8 + Math.floor(random() * 20) }, () => pick(random, words));
    const text = [...common, tailWord(zipfRank(random)), tailWord(zipfRank(random))].join(" ");
    postRows.push({ id, author_id: skewedUser(), text: tag ? `${text} #${tag.name}` : text, created_at: at });
    if (tag) postTagRows.push({ post_id: id, tag_id: tag.id });
  }
  await insertAll(db, posts, postRows);
  await insertAll(db, postTags, postTagRows);
  onProgress(`${scale.posts} posts`);

  const entries = await materialiseHomeFeeds(db, userIds, feeds);
  onProgress(`${entries} home feed entries`);
}

/**
 * `count` follow rows: everyone follows the first account; each person then gets a quota of accounts to follow from
 * Pareto weights (heavy-tailed out-degree) and fills it with accounts drawn from the power law (heavy-tailed
 * in-degree). Quotas are rounded, so whatever is left over goes to random people until the count is exact.
 */
function followGraph(random: () => number, userIds: string[], count: number, skewedUser: () => string): Row[] {
  const rows: Row[] = [];
  const edges = new Set<string>();
  const add = (follower: string, followee: string) => {
    const key = `${follower}:${followee}`;
    if (follower === followee || edges.has(key) || rows.length >= count) return false;
    edges.add(key);
    rows.push({ follower_id: follower, followee_id: followee, created_at: BENCH_EPOCH - MONTH });
    return true;
  };
  for (const follower of userIds) add(follower, userIds[0]!);

  const weights = userIds.map(() => (1 - random()) ** (-1 / OUT_DEGREE_EXPONENT));
  const perWeight = (count - rows.length) / weights.reduce((sum, weight) => sum + weight, 0);
  userIds.forEach((follower, i) => {
    const quota = Math.min(MAX_FOLLOWING, userIds.length - 2, Math.round(weights[i]! * perWeight));
    // The power law's head is soon all followed: after enough misses the rest of a long quota is drawn uniformly.
    for (let added = 0, tries = 0; added < quota && rows.length < count; tries += 1) {
      if (add(follower, tries < 20 * quota ? skewedUser() : pick(random, userIds))) added += 1;
    }
  });
  while (rows.length < count) add(pick(random, userIds), skewedUser());
  return rows;
}

/** Followers per statement when materialising: at most a few hundred thousand joined rows, sorted in one window. */
const MATERIALISE_FOLLOWERS = 25;

/**
 * Every person's home feed as fan-out would have left it after the hourly trim: each post delivered to every follower
 * of an author within the fan-out threshold (fanOutPost), then the newest feedSize entries kept (trimHomeFeeds).
 * Written as one INSERT ... SELECT per range of followers instead of 100,000 fan-outs; the generated data has no
 * reposts, blocks, mutes, followed hashtags or posts other than public ones, so none of fan-out's other rules applies
 * (tests/workers/bench-data.test.ts checks the result against the real fan-out). Returns the number of entries.
 */
async function materialiseHomeFeeds(db: Database, userIds: string[], feeds: FeedSettings): Promise<number> {
  let entries = 0;
  for (let start = 0; start < userIds.length; start += MATERIALISE_FOLLOWERS) {
    const first = userIds[start]!;
    const last = userIds[Math.min(userIds.length, start + MATERIALISE_FOLLOWERS) - 1]!;
    const result = await db.run(sql`INSERT OR IGNORE INTO home_feed_entries
        (owner_id, post_id, author_id, original_id, original_author_id)
      SELECT owner_id, post_id, author_id, post_id, author_id FROM (
        SELECT f.follower_id AS owner_id, p.id AS post_id, p.author_id,
               row_number() OVER (PARTITION BY f.follower_id ORDER BY p.id DESC) AS rank
        FROM follows f
        JOIN users a ON a.id = f.followee_id AND a.followers_count <= ${feeds.maxFollowers}
        -- Only each account's newest feedSize posts can be among a feed's newest feedSize entries.
        JOIN posts p ON p.author_id = f.followee_id AND p.id >= coalesce((SELECT q.id FROM posts q
          WHERE q.author_id = f.followee_id ORDER BY q.id DESC LIMIT 1 OFFSET ${feeds.feedSize - 1}), '')
        WHERE f.follower_id BETWEEN ${first} AND ${last})
      WHERE rank <= ${feeds.feedSize}`);
    entries += result.meta.changes;
  }
  return entries;
}

type Table = typeof users | typeof follows | typeof tags | typeof posts | typeof postTags;
type Row = Record<string, string | number>;

/**
 * Inserts rows as one JSON document per statement, expanded by SQLite's json_each: a statement may bind only 100
 * parameters on D1 (locally too), but one parameter may hold up to 2 MB. Rows are keyed by SQL column name; columns
 * left out take their defaults.
 */
async function insertAll(db: Database, table: Table, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const name = getTableName(table);
  const columns = Object.keys(rows[0]!);
  const list = sql.join(
    columns.map((column) => sql.identifier(column)),
    sql`, `,
  );
  const values = sql.join(
    columns.map((column) => sql`value ->> ${column}`),
    sql`, `,
  );
  const rowsPerStatement = Math.max(1, Math.floor(1_500_000 / JSON.stringify(rows[0]).length));
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const json = JSON.stringify(rows.slice(start, start + rowsPerStatement));
    await db.run(sql`INSERT OR IGNORE INTO ${sql.identifier(name)} (${list}) SELECT ${values} FROM json_each(${json})`);
  }
}
