import { expect, signedInAs, strictAccessibilityViolations, test } from "./fixtures.ts";

test("/explore passes axe's WCAG 2.2 AA rules @phone", async ({ browser }) => {
  const page = await signedInAs(browser, "jun");
  await page.goto("/explore");
  await expect(page.getByRole("heading", { name: "Who to follow" })).toBeVisible();
  expect(await strictAccessibilityViolations(page)).toEqual([]);
  await page.context().close();
});

/**
 * /explore as plain HTML: who to follow is a form per person, and the popular pictures open their posts. Run with
 * JavaScript off, as the page must work without it (axe itself needs scripts, so it runs above).
 */
test("follow a suggestion and open a popular picture on /explore without JavaScript", async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await signedInAs(browser, "jun", { javaScriptEnabled: false });
  await page.goto("/explore");
  await expect(page.getByRole("heading", { name: "Explore", level: 1 })).toBeVisible();

  const whoToFollow = page.getByRole("region", { name: "Who to follow" });
  const first = whoToFollow.getByRole("listitem").first();
  const handle = (await first.getByText(/^@\w+$/).textContent())!;
  await first.getByRole("button", { name: `Follow ${handle}` }).click();
  await expect(page).toHaveURL(/\/explore$/);
  await expect(whoToFollow.getByText(handle, { exact: true })).toHaveCount(0);
  await page.goto(`/${handle.slice(1)}`);
  await expect(page.getByRole("button", { name: /^(Unfollow|Following)/ })).toBeVisible();

  await page.goto("/explore");
  const pictures = page.getByRole("list", { name: "Posts with pictures and videos for you" });
  await pictures.getByRole("link").first().click();
  await expect(page).toHaveURL(/\/\w+\/status\/\d+$/);
  await expect(page.getByRole("img").first()).toBeVisible();
  await page.context().close();
});
