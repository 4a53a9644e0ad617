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

const words = "light river city morning coffee garden bridge music train market window story summer code trail".split(" ");

/**
 * Rows in bulk, straight into the tables (the counters still come from the triggers): far faster than the domain's
 * one-post-at-a-time path, with the same shapes. Follows and authorship follow a steep power law, as on real
 * networks, so a few accounts have most of the followers: the case fan-out has to survive.
 */
export async function generateBenchData(db: Database, scale: BenchScale, onProgress: (message: string) => void) {
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
      created_at: BENCH_EPOCH - 2 * MONTH,
      updated_at: BENCH_EPOCH - 2 * MONTH,
    })),
  );
  onProgress(`${scale.users} users`);

  const edges = new Set<string>();
  const followRows: Row[] = [];
  while (followRows.length < scale.follows) {
    const follower = pick(random, userIds);
    const followee = skewedUser();
    const key = `${follower}:${followee}`;
    if (follower === followee || edges.has(key)) continue;
    edges.add(key);
    followRows.push({ follower_id: follower, followee_id: followee, created_at: BENCH_EPOCH - MONTH });
  }
  await insertAll(db, follows, followRows);
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
    const text = Array.from({ length: 8 + Math.floor(random() * 20) }, () => pick(random, words)).join(" ");
    postRows.push({ id, author_id: skewedUser(), text: tag ? `${text} #${tag.name}` : text, created_at: at });
    if (tag) postTagRows.push({ post_id: id, tag_id: tag.id });
  }
  await insertAll(db, posts, postRows);
  await insertAll(db, postTags, postTagRows);
  onProgress(`${scale.posts} posts`);
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
