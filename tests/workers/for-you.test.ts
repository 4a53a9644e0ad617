import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { idAt } from "#db/ids.ts";
import { posts } from "#db/schema/index.ts";
import { makeFollow, makePost, makeUser } from "#db/seed/factories.ts";
import type { User } from "#domain/accounts/users.ts";
import type { DomainContext } from "#domain/context.ts";
import { block, mute } from "#domain/graph/blocks.ts";
import { createFilter } from "#domain/filters/filters.ts";
import { acceptFriendship, requestFriendship } from "#domain/graph/friends.ts";
import { setTagFollowed } from "#domain/graph/followed-tags.ts";
import type { PageRequest } from "#domain/pagination.ts";
import { dislike, favourite, reblog } from "#domain/posts/engagement.ts";
import { notInterested, showLess, undoNotInterested } from "#domain/ranking/feedback.ts";
import { forYouTimeline, reasonText } from "#domain/ranking/for-you.ts";
import { AUTHOR_CAP, DIVERSITY_WINDOW } from "#domain/ranking/scorer.ts";
import { callApi, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

const base = testDomain();
/** Ranks what is new on every read, as a reader coming back after a minute would see it. */
const ctx: DomainContext = { ...base, config: { ...base.config, FOR_YOU_REFRESH_SECONDS: 0 } };
const HOUR = 3_600_000;

let count = 0;
const user = (prefix: string) => makeUser(ctx, { username: `${prefix}${(count += 1)}`, password: "a long enough password" });

const likers: User[] = [];
beforeAll(async () => {
  for (let n = 0; n < 10; n++) likers.push(await makeUser(ctx, { username: `fy_liker${n}` }));
});

let postsMade = 0;

/** A public post made `hoursAgo` hours ago, liked by `likes` accounts (at most 10). */
async function postWith(
  author: Pick<User, "id">,
  text: string,
  options: { hoursAgo?: number; likes?: number; visibility?: "public" | "unlisted" | "private" | "friends" } = {},
) {
  const at = Date.now() - (options.hoursAgo ?? 0) * HOUR - Math.floor(Math.random() * 1000);
  // Two posts can fall in the same millisecond: the sequence keeps their ids apart, as newId does.
  postsMade += 1;
  const post = await makePost(ctx, author, {
    text,
    id: idAt(at, postsMade),
    createdAt: new Date(at),
    visibility: options.visibility ?? "public",
  });
  for (const liker of likers.slice(0, options.likes ?? 0)) await favourite(ctx, liker.id, post.id);
  return post;
}

async function read(viewer: Pick<User, "id">, page: Partial<PageRequest> = {}, context = ctx) {
  return forYouTimeline(context, viewer.id, { limit: 20, ...page });
}

/** The texts of a page, keeping only those starting with `prefix` (other tests' popular posts are candidates too). */
const textsOf = (items: { post: { post: { text: string } } }[], prefix: string) =>
  items.map((item) => item.post.post.text).filter((text) => text.startsWith(prefix));

/** The texts of a viewer's whole For-you feed starting with `prefix`, best first, paging through it with max_id. */
async function allTexts(viewer: Pick<User, "id">, prefix: string): Promise<string[]> {
  const texts: string[] = [];
  let page = await read(viewer);
  for (;;) {
    texts.push(...textsOf(page.items, prefix));
    if (!page.older) return texts;
    page = await read(viewer, { max_id: page.older });
  }
}

/** Every post of a viewer's whole For-you feed, paging through it with max_id. */
async function wholeFeed(viewer: Pick<User, "id">, limit: number, context = ctx): Promise<string[]> {
  const ids: string[] = [];
  let page = await read(viewer, { limit }, context);
  for (;;) {
    ids.push(...page.items.map((item) => item.post.post.id));
    if (!page.older) return ids;
    page = await read(viewer, { limit, max_id: page.older }, context);
  }
}

async function entryIds(viewer: Pick<User, "id">): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT post_id FROM for_you_entries WHERE owner_id = ? ORDER BY id DESC")
    .bind(viewer.id)
    .all<{ post_id: string }>();
  return results.map((row) => row.post_id);
}

describe("ranking", () => {
  it("weighs recency against engagement: fresh and liked beats old and liked, and fresh but ignored", async () => {
    const viewer = await user("fy_viewer");
    const author = await user("fy_author");
    await postWith(author, "RE old popular", { hoursAgo: 30, likes: 10 });
    await postWith(author, "RE fresh quiet", { hoursAgo: 1, likes: 1 });
    const other = await user("fy_author");
    await postWith(other, "RE recent popular", { hoursAgo: 2, likes: 10 });
    const { items } = await read(viewer);
    expect(textsOf(items, "RE ")).toEqual(["RE recent popular", "RE fresh quiet", "RE old popular"]);
    expect(items.find((item) => item.post.post.text === "RE recent popular")!.reason).toBe("popular");
  });

  it("ranks a post the moderation pipeline scored low on quality below an older one it did not", async () => {
    const viewer = await user("fy_viewer");
    const low = await postWith(await user("fy_author"), "RQ newer, low quality", { hoursAgo: 1, likes: 5 });
    await postWith(await user("fy_author"), "RQ older, plain", { hoursAgo: 2, likes: 5 });
    expect(textsOf((await read(viewer)).items, "RQ ")).toEqual(["RQ newer, low quality", "RQ older, plain"]);
    await ctx.db.update(posts).set({ qualityScore: 0.2 }).where(eq(posts.id, low.id));
    const later = await user("fy_viewer");
    expect(textsOf((await read(later)).items, "RQ ")).toEqual(["RQ older, plain", "RQ newer, low quality"]);
  });

  it("puts an author the viewer often likes above a stranger with the same engagement, and says why", async () => {
    const viewer = await user("fy_viewer");
    const favourite_ = await user("fy_fav");
    const stranger = await user("fy_stranger");
    for (const n of [1, 2, 3]) await favourite(ctx, viewer.id, (await postWith(favourite_, `RL older ${n}`, { hoursAgo: 100 + n })).id);
    await postWith(stranger, "RL stranger", { hoursAgo: 1, likes: 2 });
    await postWith(favourite_, "RL favourite", { hoursAgo: 1, likes: 2 });
    const { items } = await read(viewer);
    expect(textsOf(items, "RL ")).toEqual(["RL favourite", "RL stranger"]);
    const top = items.find((item) => item.post.post.text === "RL favourite")!;
    expect(top.reason).toBe("frequent_interaction");
    expect(reasonText(top.reason, top.reasonSubject)).toBe(`You often like @${favourite_.username}'s posts`);
  });

  it("brings posts liked or reposted by people followed, and posts with a followed hashtag, each with its reason", async () => {
    const viewer = await user("fy_viewer");
    const friendOfViewer = await user("fy_followed");
    const reposter = await user("fy_followed");
    await makeFollow(ctx, viewer, friendOfViewer);
    await makeFollow(ctx, viewer, reposter);
    // Three authors, so the author cap holds none of their posts back.
    const liked = await postWith(await user("fy_far"), "SP liked by a followee", { hoursAgo: 1 });
    await favourite(ctx, friendOfViewer.id, liked.id);
    const reposted = await postWith(await user("fy_far"), "SP reposted by a followee", { hoursAgo: 1 });
    await reblog(ctx, reposter.id, reposted.id);
    await setTagFollowed(ctx, viewer.id, "fyherons", true);
    await postWith(await user("fy_far"), "SP about #fyherons", { hoursAgo: 1 });
    await postWith(friendOfViewer, "SP from a followee", { hoursAgo: 1 });
    const items = [];
    for (let page = await read(viewer); ; page = await read(viewer, { max_id: page.older! })) {
      items.push(...page.items);
      if (!page.older) break;
    }
    const reasons = Object.fromEntries(items.map((item) => [item.post.post.text, reasonText(item.reason, item.reasonSubject)]));
    expect(reasons["SP liked by a followee"]).toBe(`Liked by @${friendOfViewer.username}, whom you follow`);
    expect(reasons["SP reposted by a followee"]).toBe(`Reposted by @${reposter.username}, whom you follow`);
    expect(reasons["SP about #fyherons"]).toBe("From #fyherons, which you follow");
    expect(reasons["SP from a followee"]).toBe(`From @${friendOfViewer.username}, whom you follow`);
  });

  it("keeps at most two posts by one author in any page, and lowers a larger limit to the window", async () => {
    const viewer = await user("fy_viewer");
    const prolific = await user("fy_prolific");
    for (const n of [1, 2, 3, 4, 5]) await postWith(prolific, `DV prolific ${n}`, { hoursAgo: 1, likes: 3 });
    for (const n of [1, 2, 3]) await postWith(await user("fy_quiet"), `DV quiet ${n}`, { hoursAgo: 1 + n, likes: 1 });
    const wide = await read(viewer, { limit: 40 });
    expect(wide.items.length).toBeLessThanOrEqual(DIVERSITY_WINDOW);
    const ids = await entryIds(viewer);
    // Every window of consecutive entries, so every page whatever its cursor, has at most AUTHOR_CAP by one author.
    const authors = await Promise.all(
      ids.map(
        async (id) => (await env.DB.prepare("SELECT author_id FROM posts WHERE id = ?").bind(id).first<{ author_id: string }>())!.author_id,
      ),
    );
    for (let start = 0; start < authors.length; start++) {
      const window = authors.slice(start, start + DIVERSITY_WINDOW);
      expect(window.filter((author) => author === prolific.id).length).toBeLessThanOrEqual(AUTHOR_CAP);
    }
    expect(textsOf(wide.items, "DV prolific")).toHaveLength(2);
  });
});

describe("negative signals and what must never show", () => {
  it("leaves out what the viewer disliked, muted, blocked or cannot see, and what blocks them", async () => {
    const viewer = await user("fy_viewer");
    const followed = await user("fy_followed");
    await makeFollow(ctx, viewer, followed);
    const muted = await user("fy_neg");
    const blocked = await user("fy_neg");
    const blocker = await user("fy_neg");
    const closed = await user("fy_neg");
    const notFriend = await user("fy_neg");
    await makeFollow(ctx, viewer, notFriend);
    const disliked = await postWith(followed, "NG disliked", { hoursAgo: 1, likes: 3 });
    await dislike(ctx, viewer.id, disliked.id, true);
    await postWith(muted, "NG muted", { hoursAgo: 1, likes: 3 });
    await mute(ctx, viewer.id, muted.id);
    await postWith(blocked, "NG blocked", { hoursAgo: 1, likes: 3 });
    await block(ctx, viewer.id, blocked.id);
    await postWith(blocker, "NG blocker", { hoursAgo: 1, likes: 3 });
    await block(ctx, blocker.id, viewer.id);
    // Liked by someone the viewer follows, but for its author's followers only: not for the viewer.
    await makeFollow(ctx, followed, closed);
    const followersOnly = await postWith(closed, "NG followers only", { hoursAgo: 1, visibility: "private" });
    await favourite(ctx, followed.id, followersOnly.id);
    await postWith(notFriend, "NG friends only", { hoursAgo: 1, visibility: "friends" });
    await postWith(followed, "NG followers only from a followee", { hoursAgo: 1, visibility: "private" });
    await postWith(followed, "NG visible", { hoursAgo: 1, likes: 3 });
    const texts = await allTexts(viewer, "NG ");
    expect(texts).toEqual(expect.arrayContaining(["NG visible", "NG followers only from a followee"]));
    expect(texts).toHaveLength(2);
  });

  it("hides an already ranked post as soon as the viewer mutes or blocks its author", async () => {
    const viewer = await user("fy_viewer");
    const later = await user("fy_late");
    const blockedLater = await user("fy_late");
    await postWith(later, "LT to be muted", { hoursAgo: 1, likes: 2 });
    await postWith(blockedLater, "LT to be blocked", { hoursAgo: 1, likes: 2 });
    expect(textsOf((await read(viewer)).items, "LT ")).toHaveLength(2);
    await mute(ctx, viewer.id, later.id);
    await block(ctx, blockedLater.id, viewer.id);
    expect(textsOf((await read(viewer, {}, base)).items, "LT ")).toEqual([]);
  });

  it("applies the viewer's home filters: hide leaves a post out, warn covers it, other contexts do not act", async () => {
    const viewer = await user("fy_viewer");
    const token = await tokenFor(viewer.id);
    await postWith(await user("fy_wf"), "WF about turnips", { hoursAgo: 1, likes: 3 });
    await postWith(await user("fy_wf"), "WF about parsnips", { hoursAgo: 1, likes: 3 });
    await postWith(await user("fy_wf"), "WF about leeks", { hoursAgo: 1, likes: 3 });
    await createFilter(ctx, viewer.id, { title: "Roots", contexts: ["home"], action: "hide", keywords: [{ keyword: "turnips" }] });
    const warn = await createFilter(ctx, viewer.id, {
      title: "Parsnip talk",
      contexts: ["home"],
      action: "warn",
      keywords: [{ keyword: "parsnips" }],
    });
    await createFilter(ctx, viewer.id, {
      title: "Not here",
      contexts: ["public", "thread"],
      action: "hide",
      keywords: [{ keyword: "leeks" }],
    });
    const page = await read(viewer);
    expect(textsOf(page.items, "WF ").sort()).toEqual(["WF about leeks", "WF about parsnips"]);
    const covered = page.items.find((item) => item.post.post.text === "WF about parsnips")!;
    expect(covered.post.filtered?.map((match) => match.filter.id)).toEqual([warn.id]);
    expect(page.items.find((item) => item.post.post.text === "WF about leeks")!.post.filtered ?? []).toEqual([]);

    type Status = { content: string; filtered?: { filter: { title: string } }[] };
    const api = (await callApi("/api/v1/perch/timelines/for_you", token)).body as Status[];
    const mine = api.filter((status) => status.content.includes("WF about"));
    expect(mine.map((status) => status.content).some((content) => content.includes("turnips"))).toBe(false);
    expect(mine.find((status) => status.content.includes("parsnips"))?.filtered?.[0]?.filter.title).toBe("Parsnip talk");
  });

  it("ranks a post lower after 'show less like this' on its author's post or hashtag, and drops authors turned away", async () => {
    const viewer = await user("fy_viewer");
    const shunned = await user("fy_fb");
    const tagged = await user("fy_fb");
    const sameTag = await user("fy_fb");
    const plain = await user("fy_fb");
    const ignored = await user("fy_fb");
    const first = await postWith(shunned, "FB first by shunned", { hoursAgo: 3, likes: 1 });
    const tagPost = await postWith(tagged, "FB about #fyloud", { hoursAgo: 3, likes: 1 });
    await showLess(ctx, viewer.id, first.id);
    await showLess(ctx, viewer.id, tagPost.id);
    await notInterested(ctx, viewer.id, ignored.id);
    await postWith(shunned, "FB second by shunned", { hoursAgo: 1, likes: 3 });
    await postWith(sameTag, "FB more #fyloud", { hoursAgo: 1, likes: 3 });
    await postWith(ignored, "FB by ignored", { hoursAgo: 1, likes: 3 });
    await postWith(plain, "FB plain", { hoursAgo: 2, likes: 2 });
    expect(await allTexts(viewer, "FB ")).toEqual(["FB plain", "FB more #fyloud", "FB second by shunned"]);

    await undoNotInterested(ctx, viewer.id, ignored.id);
    await postWith(ignored, "FB back again", { hoursAgo: 1, likes: 3 });
    expect(await allTexts(viewer, "FB ")).toContain("FB back again");
  });
});

describe("pagination", () => {
  it("pages through the ranked feed without repeats or gaps while new posts arrive, and ranks the new ones on top", async () => {
    const viewer = await user("fy_viewer");
    const authors = await Promise.all(Array.from({ length: 12 }, () => user("fy_pg")));
    for (const [n, author] of authors.entries()) {
      await postWith(author, `PG a${n}`, { hoursAgo: 2 + n, likes: 1 });
      await postWith(author, `PG b${n}`, { hoursAgo: 3 + n, likes: 1 });
    }
    const first = await read(viewer, { limit: 7 });
    const ranked = await entryIds(viewer);
    const seen = first.items.map((item) => item.post.post.id);
    const arrivals: { id: string }[] = [];
    let page = first;
    while (page.older) {
      arrivals.push(await postWith(await user("fy_pg_new"), `PG new ${arrivals.length}`, { likes: 4 }));
      page = await read(viewer, { limit: 7, max_id: page.older });
      seen.push(...page.items.map((item) => item.post.post.id));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(ranked);
    expect(seen.filter((id) => arrivals.some((post) => post.id === id))).toEqual([]);

    const newer = await read(viewer, { limit: 20, min_id: first.items[0]!.post.post.id });
    expect(newer.items.map((item) => item.post.post.text).filter((text) => text.startsWith("PG new"))).toHaveLength(arrivals.length);
    expect(await wholeFeed(viewer, 20)).toEqual(await entryIds(viewer));
  });

  it("refuses a cursor that is not in the viewer's feed", async () => {
    const viewer = await user("fy_viewer");
    const post = await postWith(await user("fy_x"), "CU elsewhere", { hoursAgo: 1 });
    await expect(read(viewer, { max_id: post.id })).rejects.toMatchObject({ kind: "unprocessable" });
  });
});

describe("the API", () => {
  let viewer: User;
  let token: string;
  let followed: User;
  beforeAll(async () => {
    viewer = await user("fy_api");
    followed = await user("fy_api_followed");
    await makeFollow(ctx, viewer, followed);
    token = await tokenFor(viewer.id);
    for (const n of [1, 2, 3]) await postWith(followed, `AP ${n}`, { hoursAgo: n });
    feedbackPost = await postWith(followed, "AP feedback", { likes: 6 });
  });
  let feedbackPost: Awaited<ReturnType<typeof postWith>>;

  it("answers Status entities with the reason in perch.for_you, and a Link header that pages on", async () => {
    type Ranked = { id: string; content: string; perch: { visibility: string; for_you: { reason: string; text: string } } };
    const top = (await callApi("/api/v1/perch/timelines/for_you", token)).body as Ranked[];
    expect(top.find((status) => status.id === feedbackPost.id)?.perch).toEqual({
      visibility: "public",
      for_you: { reason: "following", subject: followed.username, text: `From @${followed.username}, whom you follow` },
    });

    const { response, body } = await callApi("/api/v1/perch/timelines/for_you?limit=2", token);
    expect(response.status).toBe(200);
    const statuses = body as Ranked[];
    expect(statuses.map((status) => status.id)).toEqual(top.slice(0, 2).map((status) => status.id));
    const next = new URL(response.headers.get("Link")!.match(/<([^>]+)>; rel="next"/)![1]!);
    expect(next.searchParams.get("max_id")).toBe(statuses[1]!.id);
    const more = (await callApi(next.pathname + next.search, token)).body as Ranked[];
    expect(more.map((status) => status.id)).toEqual(top.slice(2, 4).map((status) => status.id));
  });

  it("refuses bad input with Mastodon-style errors", async () => {
    const status = async (path: string, init?: RequestInit, as: string | null = token) => {
      const { response, body } = await callApi(path, as, init);
      expect(typeof (body as { error?: string }).error).toBe("string");
      return response.status;
    };
    expect(await status("/api/v1/perch/timelines/for_you?limit=0")).toBe(400);
    expect(await status("/api/v1/perch/timelines/for_you?max_id=abc")).toBe(400);
    expect(await status("/api/v1/perch/timelines/for_you?max_id=123456789012345678")).toBe(422);
    expect(await status("/api/v1/perch/timelines/for_you", undefined, null)).toBe(401);
    expect(await status("/api/v1/perch/statuses/123456789012345678/show_less", { method: "POST" })).toBe(404);
    const own = await postWith(viewer, "AP own", {});
    expect(await status(`/api/v1/perch/statuses/${own.id}/show_less`, { method: "POST" })).toBe(422);
    expect(await status(`/api/v1/perch/accounts/${viewer.id}/not_interested`, { method: "POST" })).toBe(422);
    expect(await status("/api/v1/perch/accounts/999/not_interested", { method: "POST" })).toBe(404);
  });

  it("takes feedback and its undo", async () => {
    const post = feedbackPost;
    const feed = async () => ((await callApi("/api/v1/perch/timelines/for_you?limit=20", token)).body as { id: string }[]).map((s) => s.id);
    expect(await feed()).toContain(post.id);
    const hide = await callApi(`/api/v1/perch/statuses/${post.id}/show_less`, token, { method: "POST" });
    expect(hide.body).toEqual({ status_id: post.id, show_less: true });
    expect(await feed()).not.toContain(post.id);
    await callApi(`/api/v1/perch/statuses/${post.id}/show_less`, token, { method: "DELETE" });
    expect(await feed()).toContain(post.id);
    const away = await callApi(`/api/v1/perch/accounts/${followed.id}/not_interested`, token, { method: "POST" });
    expect(away.body).toEqual({ account_id: followed.id, not_interested: true });
    expect(await feed()).not.toContain(post.id);
    await callApi(`/api/v1/perch/accounts/${followed.id}/not_interested`, token, { method: "DELETE" });
    expect(await feed()).toContain(post.id);
  });
});

describe("the home page", () => {
  it("remembers the For-you tab, shows each post's reason, and takes feedback with an undo without JavaScript", async () => {
    const reader = await user("fy_page");
    const cookie = sessionOf(
      await postForm("/login", { identifier: reader.username, password: "a long enough password" }, { ip: "192.0.2.91" }),
    );
    const author = await user("fy_page_author");
    await makeFollow(ctx, reader, author);
    const post = await postWith(author, "HP shown with a reason", { hoursAgo: 1, likes: 8 });

    const chosen = await getPage("/?feed=for-you", cookie);
    expect(chosen.html).toMatch(/aria-current="page"[^>]*>For you</);
    expect(chosen.html).toContain("HP shown with a reason");
    expect(chosen.html).toContain(`From @${author.username}, whom you follow`);
    const tab = chosen.response.headers
      .getSetCookie()
      .find((value) => value.startsWith("perch_feed="))!
      .split(";")[0]!;
    const both = `${cookie}; ${tab}`;
    expect((await getPage("/", both)).html).toMatch(/aria-current="page"[^>]*>For you</);

    const sent = await postForm(
      "/resources/for-you",
      { intent: "show-less", postId: post.id, authorId: author.id, redirectTo: "/?feed=for-you#x" },
      { cookie: both },
    );
    expect(sent.status).toBe(302);
    expect(sent.headers.get("Location")).toBe("/?feed=for-you#x");
    const hidden = await getPage("/", both);
    expect(hidden.html).toContain("You&#x27;ll see fewer posts like this.");
    expect(hidden.html).not.toContain("HP shown with a reason");

    await postForm("/resources/for-you", { intent: "undo-show-less", postId: post.id, redirectTo: "/" }, { cookie: both });
    expect((await getPage("/", both)).html).toContain("HP shown with a reason");

    const following = await getPage("/?feed=following", both);
    expect(following.html).toMatch(/aria-current="page"[^>]*>Following</);
  });

  it("lets friends-only posts of friends in", async () => {
    const viewer = await user("fy_friend");
    const friend = await user("fy_friend");
    await makeFollow(ctx, viewer, friend);
    await requestFriendship(ctx, viewer.id, friend.id);
    await acceptFriendship(ctx, friend.id, viewer.id);
    await postWith(friend, "FR for friends", { hoursAgo: 1, visibility: "friends" });
    expect(await allTexts(viewer, "FR ")).toEqual(["FR for friends"]);
  });
});
