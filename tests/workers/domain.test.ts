import { env } from "cloudflare:workers";
import { eq, isNotNull, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { follows, mediaAttachments, passwords, polls, posts, postTags, tags, users } from "#db/schema/index.ts";
import { makeFollow, makePost, makeUser } from "#db/seed/factories.ts";
import { seedDemo } from "#db/seed/demo.ts";
import { createUser, findUserByUsername } from "#domain/accounts/users.ts";
import { DomainError } from "#domain/errors.ts";
import { needsRehash, verifyPassword } from "#domain/accounts/passwords.ts";
import { testDomain } from "./support.ts";

const ctx = testDomain();

async function countRows(table: typeof posts | typeof users | typeof follows) {
  const [row] = await ctx.db.select({ value: sql<number>`count(*)` }).from(table);
  return row!.value;
}

describe("accounts", () => {
  it("stores a versioned PBKDF2 hash that verifies the password and nothing else", async () => {
    const user = await makeUser(ctx, { username: "hashed", password: "correct horse battery staple" });
    const [stored] = await ctx.db.select().from(passwords).where(eq(passwords.userId, user.id));
    expect(stored!.hash).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword("correct horse battery staple", stored!.hash)).toBe(true);
    expect(await verifyPassword("Correct horse battery staple", stored!.hash)).toBe(false);
    expect(needsRehash(stored!.hash)).toBe(false);
    expect(needsRehash("pbkdf2-sha256$10000$c2FsdA==$aGFzaA==")).toBe(true);
  });

  it("treats usernames and emails as taken without regard to case, writing nothing", async () => {
    await makeUser(ctx, { username: "Casey", email: "casey@example.test" });
    const before = await countRows(users);
    await expect(makeUser(ctx, { username: "casey" })).rejects.toMatchObject({ kind: "conflict" });
    await expect(makeUser(ctx, { username: "other_casey", email: "CASEY@example.test" })).rejects.toBeInstanceOf(DomainError);
    expect(await countRows(users)).toBe(before);
    expect((await findUserByUsername(ctx, "CASEY"))?.username).toBe("Casey");
  });

  it("refuses reserved and malformed usernames", async () => {
    await expect(createUser(ctx, { username: "admin", email: "a@example.test", displayName: "" })).rejects.toThrow(/reserved/);
    await expect(createUser(ctx, { username: "no spaces", email: "b@example.test", displayName: "" })).rejects.toThrow(
      /letters, digits and underscores/,
    );
  });
});

describe("posts", () => {
  it("stores hashtags once, whatever their case, and links mentions only to people who exist", async () => {
    const author = await makeUser(ctx, { username: "tagger" });
    const mentioned = await makeUser(ctx, { username: "mentioned_one" });
    const post = await makePost(ctx, author, { text: "#Birds #birds and #BIRDS with @mentioned_one and @nobody_here" });
    await makePost(ctx, author, { text: "More #birds" });
    const postTagRows = await ctx.db
      .select()
      .from(postTags)
      .innerJoin(tags, eq(tags.id, postTags.tagId))
      .where(eq(postTags.postId, post.id));
    expect(postTagRows.map((row) => row.tags.name)).toEqual(["Birds"]);
    const birdTags = await ctx.db
      .select()
      .from(tags)
      .where(sql`lower(${tags.name}) = 'birds'`);
    expect(birdTags).toHaveLength(1);
    const mentionRows = await ctx.db.query.mentions.findMany({ where: (m, { eq: is }) => is(m.postId, post.id) });
    expect(mentionRows.map((row) => row.userId)).toEqual([mentioned.id]);
  });

  it("refuses a post over the character limit, and a reply to a post that does not exist, writing nothing", async () => {
    const author = await makeUser(ctx, { username: "verbose" });
    const before = await countRows(posts);
    await expect(makePost(ctx, author, { text: "x".repeat(501) })).rejects.toMatchObject({
      kind: "unprocessable",
      message: "Your post is 1 character over the limit of 500",
    });
    await expect(makePost(ctx, author, { text: "reply", inReplyToId: "117000000000000000" })).rejects.toMatchObject({ kind: "not_found" });
    await expect(makePost(ctx, author, { text: "   " })).rejects.toThrow(/Your post is empty: write something first/);
    expect(await countRows(posts)).toBe(before);
    const [row] = await ctx.db.select().from(users).where(eq(users.id, author.id));
    expect(row!.postsCount).toBe(0);
  });
});

describe("counters kept by triggers", () => {
  it("count posts and replies exactly", async () => {
    const author = await makeUser(ctx, { username: "counted" });
    const replier = await makeUser(ctx, { username: "replier" });
    const first = await makePost(ctx, author, { text: "one" });
    await makePost(ctx, author, { text: "two" });
    await Promise.all(Array.from({ length: 5 }, (_, i) => makePost(ctx, replier, { text: `reply ${i}`, inReplyToId: first.id })));
    const [authorRow] = await ctx.db.select().from(users).where(eq(users.id, author.id));
    const [postRow] = await ctx.db.select().from(posts).where(eq(posts.id, first.id));
    expect(authorRow).toMatchObject({ postsCount: 2 });
    expect(authorRow!.lastPostAt).toBeInstanceOf(Date);
    expect(postRow!.repliesCount).toBe(5);
    await ctx.db.delete(posts).where(eq(posts.inReplyToId, first.id));
    const [after] = await ctx.db.select().from(posts).where(eq(posts.id, first.id));
    expect(after!.repliesCount).toBe(0);
  });

  it("count follows exactly under concurrent and repeated follows and unfollows", async () => {
    const star = await makeUser(ctx, { username: "star" });
    const fans = await Promise.all(Array.from({ length: 20 }, (_, i) => makeUser(ctx, { username: `fan${i}` })));
    await Promise.all([...fans, ...fans].map((fan) => makeFollow(ctx, fan, star)));
    const followersOf = async () => (await ctx.db.select().from(users).where(eq(users.id, star.id)))[0]!.followersCount;
    expect(await followersOf()).toBe(20);
    expect((await ctx.db.select().from(users).where(eq(users.id, fans[0]!.id)))[0]!.followingCount).toBe(1);
    await Promise.all(fans.slice(0, 5).map((fan) => ctx.db.delete(follows).where(eq(follows.followerId, fan.id))));
    expect(await followersOf()).toBe(15);
    await expect(makeFollow(ctx, star, star)).rejects.toMatchObject({ kind: "unprocessable" });
  });
});

describe("the demo seed", () => {
  // Twelve password hashes, two dozen generated images and ~75 posts, twice: well past 30 s on a busy 2-core machine.
  it("makes the same data every time and adds nothing when run again", { timeout: 120_000 }, async () => {
    const first = await seedDemo(ctx);
    expect(first).toEqual({ users: 12, posts: 74 });
    const [pictures, poll] = await ctx.db.batch([
      ctx.db.select().from(mediaAttachments).where(isNotNull(mediaAttachments.postId)),
      ctx.db.select().from(polls),
    ]);
    expect(pictures.map((picture) => picture.description)).toEqual([
      expect.stringContaining("Torino at dusk"),
      expect.stringContaining("Po river"),
    ]);
    expect(await env.MEDIA.head(pictures[0]!.key)).not.toBeNull();
    expect(poll).toEqual([expect.objectContaining({ votersCount: 5 })]);
    expect(poll[0]!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 2 * 24 * 60 * 60 * 1000);
    const [likes] = await ctx.db.select({ value: sql<number>`sum(favourites_count)` }).from(posts);
    expect(likes!.value).toBeGreaterThan(50);
    const followCount = await countRows(follows);
    const second = await seedDemo(ctx);
    expect(second).toEqual({ users: 12, posts: 0 });
    expect(await countRows(follows)).toBe(followCount);
    const alice = await findUserByUsername(ctx, "alice");
    expect(alice).toMatchObject({ role: "admin", id: "115349756313600000" });
    expect(alice!.avatarKey).toMatch(/^avatars\/[0-9a-f]{64}\.png$/);
    expect(await env.MEDIA.head(alice!.avatarKey!)).not.toBeNull();
  });
});
