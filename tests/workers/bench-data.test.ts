import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { generateBenchData } from "#db/seed/bench.ts";
import { fanOutPost, trimHomeFeeds } from "#domain/home-feed/fan-out.ts";
import { testDomain } from "./support.ts";

const scale = { users: 80, follows: 1_200, posts: 300 };
const feeds = { feedSize: 40, maxFollowers: 40 };
const ctx = testDomain();
const fanOutCtx = { ...ctx, config: { ...ctx.config, HOME_FEED_SIZE: feeds.feedSize, HOME_FANOUT_MAX_FOLLOWERS: feeds.maxFollowers } };

async function allEntries() {
  const { results } = await env.DB.prepare(
    "SELECT owner_id, post_id, author_id, original_id, original_author_id FROM home_feed_entries ORDER BY owner_id, post_id",
  ).all();
  return results;
}

beforeAll(async () => {
  await generateBenchData(ctx.db, scale, feeds, () => undefined);
});

describe("the bench data generator", () => {
  it("makes a follow graph with a power-law in-degree and a heavy-tailed out-degree", async () => {
    const { results } = await env.DB.prepare(
      "SELECT username, followers_count AS followers, following_count AS following FROM users ORDER BY following_count",
    ).all<{ username: string; followers: number; following: number }>();
    expect(results.reduce((sum, user) => sum + user.following, 0)).toBe(scale.follows);
    const mostFollowed = results.reduce((top, user) => (user.followers > top.followers ? user : top));
    expect(mostFollowed).toMatchObject({ username: "bench0", followers: scale.users - 1 });
    const median = results[Math.floor(results.length / 2)]!.following;
    expect(results.at(-1)!.following).toBeGreaterThanOrEqual(4 * median);
  });

  it("materialises every home feed exactly as fanning out each post and then trimming would", async () => {
    const generated = await allEntries();
    // bench0 is above the fan-out threshold, so its posts are merged at read time, never delivered.
    expect(generated.length).toBeGreaterThan(0);
    const bench0 = await env.DB.prepare("SELECT id FROM users WHERE username = 'bench0'").first<{ id: string }>();
    expect(generated.some((entry) => entry.author_id === bench0!.id)).toBe(false);

    await env.DB.prepare("DELETE FROM home_feed_entries").run();
    const { results: postIds } = await env.DB.prepare("SELECT id FROM posts ORDER BY id").all<{ id: string }>();
    for (const { id } of postIds) await fanOutPost(fanOutCtx, id);
    await trimHomeFeeds(fanOutCtx);
    expect(await allEntries()).toEqual(generated);
  });
});
