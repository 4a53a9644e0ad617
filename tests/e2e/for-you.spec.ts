import type { Page } from "@playwright/test";
import { expect, seriousAccessibilityViolations, signedInAs, test } from "./fixtures.ts";

/** The For-you card holding a text, paging on through "Older posts" until it is found. */
async function cardWith(page: Page, text: string) {
  const card = page.locator("section[aria-label='Posts'] > div").filter({ hasText: text });
  for (let pages = 0; (await card.count()) === 0; pages += 1) {
    expect(pages, `"${text}" is in the For-you feed`).toBeLessThan(20);
    await page.getByRole("link", { name: "Older posts" }).click();
  }
  return card;
}

test("For you: switch tabs, see a ranked post with why it is shown, and tune the feed without JavaScript", async ({ browser }) => {
  test.setTimeout(90_000);
  const text = `Spotted a kingfisher by the canal ${Date.now()}`;

  // Alice posts; everyone in the demo community follows her.
  const alice = await signedInAs(browser, "alice");
  const composer = alice.getByRole("form", { name: "New post" });
  await composer.getByLabel("What's happening?").fill(text);
  await composer.getByRole("button", { name: "Post", exact: true }).click();
  await expect(alice).toHaveURL(/\/alice\/status\/\d+$/);

  // Kofi, without JavaScript, switches to For you: the tab is remembered, and Alice's post says why it is there.
  const kofi = await signedInAs(browser, "kofi", { javaScriptEnabled: false });
  await kofi.goto("/");
  await kofi.getByRole("navigation", { name: "Timelines" }).getByRole("link", { name: "For you" }).click();
  await expect(kofi.getByRole("heading", { level: 1, name: "For you" })).toBeVisible();
  await kofi.goto("/");
  await expect(kofi.getByRole("link", { name: "For you" })).toHaveAttribute("aria-current", "page");
  const card = await cardWith(kofi, text);
  await expect(card).toContainText("From @alice, whom you follow");

  // "Show less like this" hides it and offers an undo in its place; the undo brings it back.
  const where = kofi.url();
  await card.getByRole("button", { name: "Show less like this" }).click();
  expect(kofi.url().split("#")[0]).toBe(where.split("#")[0]);
  await expect(kofi.getByText("Thanks. You'll see fewer posts like this.")).toBeVisible();
  await expect(kofi.getByText(text)).toHaveCount(0);
  await kofi.getByRole("button", { name: "Undo" }).click();
  await expect(kofi.getByText(text)).toBeVisible();

  // Back to Following, which is remembered in turn.
  await kofi.getByRole("link", { name: "Following" }).click();
  await kofi.goto("/");
  await expect(kofi.getByRole("heading", { level: 1, name: "Following" })).toBeVisible();

  // With JavaScript, the For-you cards pass the accessibility checks.
  const withScripts = await signedInAs(browser, "kofi");
  await withScripts.goto("/?feed=for-you");
  await expect(withScripts.getByRole("button", { name: "Show less like this" }).first()).toBeVisible();
  expect(await seriousAccessibilityViolations(withScripts)).toEqual([]);
});
