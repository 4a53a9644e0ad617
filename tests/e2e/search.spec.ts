import { expect, seriousAccessibilityViolations, signedInAs, test } from "./fixtures.ts";

test("search from the navigation, switch tabs, and find the demo's posts, pictures, people and hashtags", async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await signedInAs(browser, "jun");
  await page.goto("/");
  await page.getByRole("navigation", { name: "Primary", exact: true }).getByRole("link", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/search$/);
  const box = page.getByRole("searchbox", { name: "Search" });
  await box.fill("Torino");
  await box.press("Enter");
  await expect(page).toHaveURL(/\/search\?q=Torino/);
  await expect(page.getByRole("article").filter({ hasText: "Two evenings in Torino." })).toBeVisible();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  const tabs = page.getByRole("navigation", { name: "Search results" });
  await tabs.getByRole("link", { name: "Latest" }).click();
  await expect(tabs.getByRole("link", { name: "Latest" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("article").filter({ hasText: "Two evenings in Torino." })).toBeVisible();
  await tabs.getByRole("link", { name: "Media" }).click();
  // One tile per post, showing its first picture, as on Instagram.
  await expect(page.getByRole("list", { name: "Media matching Torino" }).getByRole("img", { name: /Torino at dusk/ })).toBeVisible();

  await box.fill("elena");
  await box.press("Enter");
  await expect(page).toHaveURL(/q=elena/);
  await tabs.getByRole("link", { name: "People" }).click();
  await expect(page.getByRole("list", { name: "People matching elena" }).getByText("@elena")).toBeVisible();

  await box.fill("#photo");
  await box.press("Enter");
  await expect(page).toHaveURL(/q=%23photo/);
  await tabs.getByRole("link", { name: "Tags" }).click();
  await expect(page.getByRole("list", { name: "Hashtags matching #photo" }).getByText("#photography")).toBeVisible();

  // A bad operator is explained beside the box, with what was typed kept (operators narrow posts: the Top tab).
  await tabs.getByRole("link", { name: "Top" }).click();
  await expect(page).toHaveURL(/tab=top/);
  await box.fill("birds since:2026-13-45");
  await box.press("Enter");
  await expect(page.getByText("since: takes a date as YYYY-MM-DD")).toBeVisible();
  await expect(box).toHaveValue("birds since:2026-13-45");
});

test("the composer suggests people after @ and inserts one with the keyboard", async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await signedInAs(browser, "jun");
  await page.goto("/compose");
  const text = page.getByLabel("What's happening?");
  await text.click();
  await text.pressSequentially("Running with @ele");
  const list = page.getByRole("listbox", { name: "Suggestions" });
  await expect(list.getByRole("option").first()).toContainText("@elena");
  await expect(text).toHaveAttribute("aria-activedescendant", /option-0$/);
  await text.press("Enter");
  await expect(text).toHaveValue("Running with @elena ");
  await expect(list).toBeHidden();
  await text.pressSequentially("and #run");
  await expect(list.getByRole("option").first()).toContainText("#running");
  await text.press("Escape");
  await expect(list).toBeHidden();
  await expect(text).toHaveValue("Running with @elena and #run");
});
