import { describe, expect, it } from "vitest";
import { makeFollow, makePost, makeUser } from "#db/seed/factories.ts";
import { readMarkers } from "#domain/markers.ts";
import { deliverEvents, fetchWorker, getPage, postForm, sessionOf, testDomain } from "./support.ts";

/** The signed-in home page's paging: "Load older posts", the read position kept in the home marker, and "N new posts". */
const ctx = testDomain();
const PASSWORD = "a long enough password";
let count = 0;

async function signedIn() {
  count += 1;
  const user = await makeUser(ctx, { username: `pager${count}`, password: PASSWORD });
  const cookie = sessionOf(await postForm("/login", { identifier: user.username, password: PASSWORD }, { ip: `203.0.113.${count}` }));
  return { user, cookie };
}

const homeMarker = async (userId: string) => (await readMarkers(ctx, userId, ["home"]))[0]?.lastReadId;

/** The page's markup, without the loader's data that follows it for hydration. */
const markup = (html: string) => html.slice(0, html.indexOf("window.__remixContext"));

describe("the home marker, written by the home page", () => {
  it("moves to the newest post shown, never back, and the next visit counts what came in since", async () => {
    const me = await signedIn();
    const friend = await makeUser(ctx, { username: "pager_friend" });
    await makeFollow(ctx, me.user, friend);
    await makePost(ctx, friend, { text: "Friend's first" });
    const second = await makePost(ctx, friend, { text: "Friend's second" });
    await deliverEvents();
    expect(await homeMarker(me.user.id)).toBeUndefined();

    const visit = markup((await getPage("/", me.cookie)).html);
    expect(visit).toContain("Friend&#x27;s second");
    expect(visit).not.toContain("since your last visit");
    expect(await homeMarker(me.user.id)).toBe(second.id);

    // An older page moves nothing back.
    await getPage(`/?max_id=${second.id}`, me.cookie);
    expect(await homeMarker(me.user.id)).toBe(second.id);

    await makePost(ctx, friend, { text: "Friend's third" });
    const fourth = await makePost(ctx, friend, { text: "Friend's fourth" });
    await deliverEvents();
    const back = markup((await getPage("/", me.cookie)).html);
    expect(back).toContain("2 new posts since your last visit");
    // The divider sits between what is new and what was shown before.
    const divider = back.indexOf("You have seen the posts below");
    expect(divider).toBeGreaterThan(back.indexOf("Friend&#x27;s third"));
    expect(divider).toBeLessThan(back.indexOf("Friend&#x27;s second"));
    expect(await homeMarker(me.user.id)).toBe(fourth.id);

    const again = markup((await getPage("/", me.cookie)).html);
    expect(again).not.toContain("since your last visit");
    expect(again).not.toContain("You have seen the posts below");
  });

  it("is not written by the Latest tab", async () => {
    const me = await signedIn();
    await makePost(ctx, me.user, { text: "Mine" });
    await getPage("/?feed=latest", me.cookie);
    expect(await homeMarker(me.user.id)).toBeUndefined();
  });
});

describe("what arriving home costs and counts", () => {
  /** D1 round trips of a response, from Server-Timing's "db" entry (a statement or a batch is one). */
  const roundTrips = (response: Response) => Number(response.headers.get("Server-Timing")?.match(/db;dur=[\d.]+;desc="(\d+)x"/)?.[1]);

  it("reads the marker once; moving it is one write more; only a marker below the whole page needs its own count", async () => {
    const me = await signedIn();
    for (let index = 1; index <= 3; index += 1) await makePost(ctx, me.user, { text: `Early note ${index}.` });
    await getPage("/", me.cookie);
    const nothingNew = roundTrips((await getPage("/", me.cookie)).response);
    expect(nothingNew).toBeGreaterThan(0);

    await makePost(ctx, me.user, { text: "One more note." });
    const withinPage = await getPage("/", me.cookie);
    expect(markup(withinPage.html)).toContain("1 new post since your last visit");
    expect(roundTrips(withinPage.response) - nothingNew).toBe(1);

    for (let index = 1; index <= 45; index += 1) await makePost(ctx, me.user, { text: `Flood note ${index}.` });
    const belowPage = await getPage("/", me.cookie);
    expect(markup(belowPage.html)).toContain("40+ new posts since your last visit");
    // Not on this page: the first post seen before is further down.
    expect(markup(belowPage.html)).not.toContain("You have seen the posts below");
    // The marker write, and the count: the home read and what it shows, in two batches, and the reader's filters
    // read again for it (filters/apply.ts).
    expect(roundTrips(belowPage.response) - nothingNew).toBe(4);
  });
});

describe("paging the home page without JavaScript", () => {
  it("ends each page with a Load older posts link that opens the next page, to the end", async () => {
    const me = await signedIn();
    for (let index = 1; index <= 25; index += 1) await makePost(ctx, me.user, { text: `Numbered note ${index}.` });
    const first = markup((await getPage("/", me.cookie)).html);
    expect(first).toContain("Numbered note 25.");
    expect(first).toContain("Numbered note 6.");
    expect(first).not.toContain("Numbered note 5.");
    const older = first.match(/<a[^>]*href="(\/\?max_id=\d+)"[^>]*>Load older posts<\/a>/)?.[1];
    expect(older).toBeDefined();
    const second = markup((await getPage(older!.replaceAll("&amp;", "&"), me.cookie)).html);
    expect(second).toContain("Numbered note 5.");
    expect(second).toContain("Numbered note 1.");
    expect(second).not.toContain("Numbered note 6.");
    expect(second).not.toContain("Load older posts");
  });

  it("answers the pager's data request for the older page, with a next link free of Remix's ?index", async () => {
    const me = await signedIn();
    for (let index = 1; index <= 45; index += 1) await makePost(ctx, me.user, { text: `Scrolled note ${index}.` });
    const first = markup((await getPage("/", me.cookie)).html);
    const older = first.match(/href="\/\?max_id=(\d+)"/)![1]!;
    // What the pager's fetcher asks for: the index route's data, as Remix's single fetch names it.
    const response = await fetchWorker(`/_root.data?index&max_id=${older}`, { headers: { Cookie: me.cookie } });
    expect(response.status).toBe(200);
    const data = await response.text();
    expect(data).toContain("Scrolled note 25.");
    expect(data).toContain("Scrolled note 6.");
    expect(data).not.toContain("Scrolled note 26.");
    expect(data).toMatch(/"\/\?max_id=\d+"/);
    expect(data).not.toContain("index=");
  });
});

describe("the new-posts count the page asks for when the reader comes back", () => {
  it("counts the posts above the newest one shown, hidden ones excluded, and refuses a malformed id", async () => {
    const me = await signedIn();
    const shown = await makePost(ctx, me.user, { text: "Seen already" });
    await makePost(ctx, me.user, { text: "New one" });
    await makePost(ctx, me.user, { text: "Newer one" });
    const response = await fetchWorker(`/resources/home-news?since=${shown.id}`, { headers: { Cookie: me.cookie } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ newPosts: 2, more: false });
    const bad = await fetchWorker("/resources/home-news?since=yesterday", { headers: { Cookie: me.cookie } });
    expect(bad.status).toBe(400);
    expect((await fetchWorker(`/resources/home-news?since=${shown.id}`)).status).toBe(302);
  });
});
