import type { Page } from "@playwright/test";
import { expect, seriousAccessibilityViolations, signedInAs, test } from "./fixtures.ts";

/**
 * Posts are told apart by their rows' ids (a repost's own, not its original's): their text includes a relative time,
 * which changes when a minute passes.
 */
const postIds = (page: Page) => page.getByRole("article").evaluateAll((articles) => articles.map((article) => article.id));

test("pins a post from its menu and sees it on top of the profile, marked Pinned", async ({ browser }) => {
  // Two browsers, five pages and three form posts: more than the default 30 s on a loaded 2-core machine.
  test.setTimeout(90_000);
  const page = await signedInAs(browser, "hana");
  await page.goto("/hana");
  const posts = page.getByRole("article");
  await expect(posts.first()).toBeVisible();
  // Her third post of her own (not a repost), so that pinning moves it.
  const third = posts.filter({ has: page.getByText("Your post: actions") }).nth(2);
  const chosen = await third.getAttribute("id");
  await third.locator('summary[title="More"]').click();
  await third.getByRole("button", { name: "Pin to your profile" }).click();

  await expect(page).toHaveURL(/\/hana$/);
  const top = page.getByRole("article").first();
  await expect(top).toHaveAttribute("id", chosen!);
  await expect(top.getByText("Pinned", { exact: true })).toBeVisible();
  // Shown once: above the rest, not again in its place.
  expect((await postIds(page)).filter((id) => id === chosen)).toHaveLength(1);

  // A visitor sees it pinned too.
  const visitor = await browser.newPage();
  await visitor.goto("/hana");
  await expect(visitor.getByRole("article").first()).toHaveAttribute("id", chosen!);
  await visitor.close();

  // The tabs are links; Likes is hers alone.
  await page.getByRole("link", { name: "Media" }).click();
  await expect(page).toHaveURL(/\/hana\?tab=media$/);
  await expect(page.getByRole("link", { name: "Media" })).toHaveAttribute("aria-current", "page");
  await page.getByRole("link", { name: "Likes" }).click();
  await expect(page.getByText("Only you can see").first()).toBeVisible();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  await page.goto("/hana");
  await page.getByRole("article").first().locator('summary[title="More"]').click();
  await page.getByRole("article").first().getByRole("button", { name: "Unpin from your profile" }).click();
  await expect(page.getByText("Pinned", { exact: true })).toHaveCount(0);
});

test.describe("the home feed's older posts", () => {
  test("without JavaScript: Load older posts opens the next page, with other posts", async ({ browser }) => {
    const page = await signedInAs(browser, "kofi", { javaScriptEnabled: false });
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Following" })).toBeVisible();
    const first = await postIds(page);
    expect(first).toHaveLength(20);
    await page.getByRole("link", { name: "Load older posts" }).click();
    await expect(page).toHaveURL(/\/\?max_id=\d+$/);
    const second = await postIds(page);
    expect(second.length).toBeGreaterThan(0);
    expect(second.some((id) => first.includes(id))).toBe(false);
  });

  test("with JavaScript: scrolling to the end loads the older posts below, in place", async ({ browser }) => {
    const page = await signedInAs(browser, "kofi");
    await page.goto("/");
    await expect(page.getByRole("article")).toHaveCount(20);
    await page.getByRole("link", { name: "Load older posts" }).scrollIntoViewIfNeeded();
    await expect.poll(async () => (await postIds(page)).length).toBeGreaterThan(20);
    await expect(page).toHaveURL(/\/$/);
    const ids = await postIds(page);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
