import { and, eq, gt, isNull } from "drizzle-orm";
import { idAt } from "../ids.ts";
import { favourites, mediaAttachments, polls, posts, storyItems, users } from "../schema/index.ts";
import type { NewUser } from "#domain/accounts/users.ts";
import type { DomainContext } from "#domain/context.ts";
import { storeMedia } from "#domain/media/storage.ts";
import { reblog } from "#domain/posts/engagement.ts";
import { pollLimits } from "#domain/posts/polls.ts";
import { vote } from "#domain/posts/voting.ts";
import { actingAs } from "#domain/context.ts";
import { uploadAttachment } from "#domain/media/attachments.ts";
import { createStory } from "#domain/stories/items.ts";
import { refreshInterest } from "#domain/recommendations/interests.ts";
import { embedPosts } from "#domain/recommendations/vectors.ts";

import { bannerPng, identiconPng } from "./artwork.ts";
import { makeFollow, makePost, makeUser, userInput } from "./factories.ts";
import { pick, seededRandom } from "./random.ts";

/** Everyone can log in with this password once sign-in exists; it is printed by `npm start`. */
export const DEMO_PASSWORD = "perch-demo-password";
export const DEMO_ADMIN = "alice";

/** The demo's clock: fixed, so ids and times are the same on every machine. */
const DEMO_EPOCH = Date.UTC(2026, 10, 14, 12, 0, 0);
const HOUR = 60 * 60 * 1000;

type DemoUser = Pick<NewUser, "username" | "displayName" | "bio" | "role" | "bot" | "locked">;

export const demoUsers: DemoUser[] = [
  {
    username: "alice",
    displayName: "Alice Nakamura",
    role: "admin",
    bio: "Runs this Perch. Birds, bikes and #opensource. Say hi to @bruno.",
  },
  { username: "bruno", displayName: "Bruno Costa", role: "moderator", bio: "Moderator. Coffee first, then #javascript." },
  { username: "chioma", displayName: "Chioma Obi", bio: "Product designer. Typography nerd. #design #a11y" },
  { username: "dev", displayName: "Dev Patel", bio: "Edge computing, Workers and #rustlang on weekends." },
  { username: "elena", displayName: "Elena Rossi", bio: "Photographer in Torino. #photography #travel" },
  { username: "farah", displayName: "Farah Haddad", bio: "Data journalist. Charts that tell the truth." },
  { username: "gus", displayName: "Gus the Weather Bot", bot: true, bio: "Hourly weather for the demo city. Beep." },
  { username: "hana", displayName: "Hana Kim", bio: "Learning Korean cooking one #recipe at a time." },
  { username: "ivan", displayName: "Ivan Petrov", locked: true, bio: "Private account. Chess and #music." },
  { username: "jun", displayName: "Jun Tanaka", bio: "Trail runner. #running #outdoors" },
  { username: "kofi", displayName: "Kofi Mensah", bio: "Teacher, #books, and very long threads." },
  { username: "lena", displayName: "Lena Fischer", bio: "Birdwatcher. Ask me about #birds." },
];

const postTemplates = [
  "Good morning, Perch! First coffee of the day and the #sunrise is unreal.",
  "Just shipped a tiny side project: a #javascript library for parsing dates. Feedback welcome!",
  "Reading list for the weekend: three #books on urban design. Recommendations, @kofi?",
  "Spotted a kingfisher by the river today. #birds #photography",
  "Hot take: dark mode should follow the system setting by default. #design",
  "Trying a new #recipe tonight: kimchi jjigae. Wish me luck.",
  "The best #opensource projects have boring, reliable release processes.",
  "Ran 12 km along the ridge this morning. Legs are gone. #running",
  "Anyone else going to the #music festival next month? @ivan?",
  "New blog post on accessible colour palettes: https://example.com/blog/contrast #a11y",
  "Edge functions are great until you need a transaction. Then you need a plan. #webdev",
  "Weather update: 14°C, light rain, wind from the west. Umbrella advised.",
  "Shoutout to @alice for running this server. Everything is fast!",
  "Threads are for stories. Here's one about the time I got lost in Torino. #travel",
  "Charts without a zero baseline should come with a warning label.",
  "Finished my first #rustlang project: a tiny CLI that renames photos by date.",
  "Tip: label every form field. Placeholders are not labels. #a11y #design",
  "Autumn light in the old town. #photography",
  "Lunch recommendation thread: what's your go-to quick meal? #recipe",
  "Reminder that the best time to plant a tree was 20 years ago. The second best is now. #outdoors",
];

const replies = [
  "Totally agree with this!",
  "Great point. I wrote about something similar last year.",
  "Thanks for sharing, bookmarking this.",
  "Ha! Same here.",
  "Could you say more about this?",
];

/**
 * Deterministic demo data: twelve people with avatars, banners and bios, a follow graph, and a fortnight of posts with
 * hashtags, mentions, links, a content warning, a few replies, likes and reposts, pictures and a poll. Every row has a fixed id, so running it twice
 * adds nothing the second time.
 */
export async function seedDemo(ctx: DomainContext): Promise<{ users: number; posts: number }> {
  const random = seededRandom(20261114);
  // People, and then follows, do not depend on one another: written concurrently, their round trips overlap.
  const people = await Promise.all(demoUsers.map((person, index) => demoPerson(ctx, person, index)));
  const follows: [DemoPerson, DemoPerson][] = [];
  for (const follower of people) {
    for (const followee of people) {
      const followsAlice = followee.username === DEMO_ADMIN;
      if (follower.id !== followee.id && (followsAlice || random() < 0.45)) follows.push([follower, followee]);
    }
  }
  await Promise.all(follows.map(([follower, followee]) => makeFollow(ctx, follower, followee)));

  // Likes, reposts and votes draw from their own sequence, so the posts' ids stay the same whether or not they run.
  const engagementRandom = seededRandom(20261121);
  let created = 0;
  const made: { id: string; authorId: string }[] = [];
  for (let index = 0; index < 72; index += 1) {
    const at = DEMO_EPOCH - (72 - index) * 4 * HOUR - Math.floor(random() * HOUR);
    const author = pick(random, people);
    const id = idAt(at);
    const replyTo = index > 10 && random() < 0.15 ? pick(random, made) : undefined;
    const text = replyTo ? pick(random, replies) : postTemplates[index % postTemplates.length]!;
    made.push({ id, authorId: author.id });
    if (await ctx.db.query.posts.findFirst({ where: eq(posts.id, id), columns: { id: true } })) continue;
    await makePost(ctx, author, {
      id,
      text,
      createdAt: new Date(at),
      inReplyToId: replyTo?.id,
      spoilerText: index === 30 ? "Spoilers for the book club pick" : "",
      language: "en",
    });
    await engageWith(ctx, people, id, engagementRandom);
    created += 1;
  }
  created += await seedShowcase(ctx, people, engagementRandom);
  await seedStories(ctx, people);
  await seedRecommendations(ctx, people);
  return { users: people.length, posts: created };
}

type DemoPerson = Awaited<ReturnType<typeof makeUser>>;

/**
 * Recommendations from the first run: the seed writes its likes directly (no events), so its people's interest
 * vectors are computed here, after embedding every demo post here too (the queue embeds them as well, later, to the
 * same vectors) since an interest is made of its posts' vectors.
 */
async function seedRecommendations(ctx: DomainContext, people: DemoPerson[]): Promise<void> {
  const all = await ctx.db.select({ id: posts.id }).from(posts).where(isNull(posts.reblogOfId));
  await embedPosts(
    ctx,
    all.map((post) => post.id),
  );
  for (const person of people) await refreshInterest(ctx, person.id, DEMO_EPOCH);
}

/** One of the demo people, with their avatar and banner, or the row already there from an earlier run. */
async function demoPerson(ctx: DomainContext, person: DemoUser, index: number): Promise<DemoPerson> {
  const id = idAt(DEMO_EPOCH - 400 * 24 * HOUR + index * HOUR);
  const existing = await ctx.db.query.users.findFirst({ where: eq(users.id, id) });
  if (existing) return existing;
  const avatarKey = await storeMedia(ctx, {
    prefix: "avatars",
    bytes: await identiconPng(person.username),
    extension: "png",
    contentType: "image/png",
  });
  const headerKey = await storeMedia(ctx, {
    prefix: "headers",
    bytes: await bannerPng(person.username),
    extension: "png",
    contentType: "image/png",
  });
  return makeUser(ctx, {
    ...userInput({ ...person, email: `${person.username}@perch.local` }),
    id,
    password: DEMO_PASSWORD,
    avatarKey,
    headerKey,
    createdAt: new Date(DEMO_EPOCH - 400 * 24 * HOUR + index * HOUR),
  });
}

/**
 * A few likes (written directly, in one statement: counters follow by trigger) and the odd repost, from other demo
 * people who may see the post.
 */
async function engageWith(ctx: DomainContext, people: DemoPerson[], postId: string, random: () => number): Promise<void> {
  const post = await ctx.db.query.posts.findFirst({ where: eq(posts.id, postId), columns: { authorId: true, createdAt: true } });
  const author = people.find((person) => person.id === post?.authorId);
  if (!post || !author || author.locked) return;
  const rolls = people.filter((person) => person.id !== author.id).map((person) => ({ person, roll: random() }));
  const likers = rolls.filter(({ roll }) => roll < 0.25);
  if (likers.length > 0)
    await ctx.db.insert(favourites).values(likers.map(({ person }) => ({ userId: person.id, postId, createdAt: post.createdAt })));
  for (const { person } of rolls.filter(({ roll }) => roll < 0.02)) await reblog(ctx, person.id, postId);
}

/** A demo picture: a generated pattern stored as a posted attachment would be (PNG; the seed runs without Images). */
async function demoPicture(ctx: DomainContext, owner: DemoPerson, name: string, description: string, at: number): Promise<string> {
  const id = idAt(at);
  const bytes = await bannerPng(name, 1200, 800);
  const key = `attachments/${id}/original.png`;
  await ctx.env.MEDIA.put(key, bytes, { httpMetadata: { contentType: "image/png" } });
  await ctx.db.insert(mediaAttachments).values({
    id,
    ownerId: owner.id,
    type: "image",
    contentType: "image/png",
    key,
    previewKey: key,
    width: 1200,
    height: 800,
    sizeBytes: bytes.length,
    description,
    createdAt: new Date(at),
  });
  return id;
}

/**
 * Posts that show what Perch does beyond text: two pictures with alt text, and a poll that is open for three days from
 * the moment the demo is seeded, with votes already in. Returns how many posts it wrote (none when they exist).
 */
async function seedShowcase(ctx: DomainContext, people: DemoPerson[], random: () => number): Promise<number> {
  const person = (username: string) => people.find((candidate) => candidate.username === username)!;
  const photosAt = DEMO_EPOCH - 3 * HOUR;
  const pollAt = DEMO_EPOCH - 2 * HOUR;
  if (await ctx.db.query.posts.findFirst({ where: eq(posts.id, idAt(photosAt)), columns: { id: true } })) return 0;

  const elena = person("elena");
  const pictures = [
    await demoPicture(
      ctx,
      elena,
      "torino-dusk",
      "Demo picture: a soft gradient from rose to plum, standing in for a photo of Torino at dusk",
      photosAt - 2,
    ),
    await demoPicture(
      ctx,
      elena,
      "torino-river",
      "Demo picture: a gradient from sea green to slate, standing in for a photo of the Po river",
      photosAt - 1,
    ),
  ];
  await makePost(ctx, elena, {
    id: idAt(photosAt),
    createdAt: new Date(photosAt),
    text: "Two evenings in Torino. #photography #travel",
    mediaIds: pictures,
    language: "en",
  });
  await engageWith(ctx, people, idAt(photosAt), random);

  const lena = person("lena");
  const pollPostId = idAt(pollAt);
  await makePost(ctx, lena, {
    id: pollPostId,
    createdAt: new Date(pollAt),
    text: "Who visits your feeder most often? #birds",
    poll: { options: ["Blue tits", "Sparrows", "Finches"], expiresInSeconds: pollLimits.maxSeconds },
    language: "en",
  });
  // The demo's clock is fixed in the past; the poll runs from seeding time so there is always one to vote in.
  await ctx.db
    .update(polls)
    .set({ expiresAt: new Date(Date.now() + 3 * 24 * HOUR) })
    .where(eq(polls.postId, pollPostId));
  const [poll] = await ctx.db.select({ id: polls.id }).from(polls).where(eq(polls.postId, pollPostId));
  for (const voter of ["bruno", "chioma", "jun", "kofi", "hana"]) await vote(ctx, person(voter).id, poll!.id, [Math.floor(random() * 3)]);
  return 2;
}

/**
 * A few live stories, so the tray on home has something in it: stories last 24 hours, so they are made at seeding
 * time (not on the demo's fixed clock), for those of the first people who have none live.
 */
async function seedStories(ctx: DomainContext, people: DemoPerson[]): Promise<void> {
  const overlays = ["Morning walk", "New plant!", "Book club tonight"];
  for (const [index, person] of people.slice(1, 4).entries()) {
    const live = await ctx.db.query.storyItems.findFirst({
      where: and(eq(storyItems.authorId, person.id), gt(storyItems.expiresAt, new Date())),
      columns: { id: true },
    });
    if (live) continue;
    const upload = await uploadAttachment(ctx, person.id, { bytes: await identiconPng(`story of ${person.username}`, 320) });
    await createStory(actingAs(ctx, { id: person.id, role: person.role }), {
      mediaIds: [upload.id],
      altText: `A pattern drawn for ${person.displayName || person.username}`,
      overlay: { text: overlays[index]!, position: "bottom", colour: "white" },
      ...(index === 2 ? { poll: { question: "Coming?", options: ["Yes", "Maybe"] } } : {}),
    });
  }
}
