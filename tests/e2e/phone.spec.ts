import type { Page } from "@playwright/test";
import { clientAddressHeader, expect, strictAccessibilityViolations, test } from "./fixtures.ts";

/**
 * The web app on a phone (the "phone" project: Pixel 7, 412 CSS px wide). Tests tagged @phone-only make sense at that
 * size alone; the accessibility checks (@phone) run at both sizes.
 */

async function logInFromTopBar(page: Page, username: string) {
  await page.goto("/");
  await page.getByRole("banner").getByRole("link", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  await page.getByLabel("Username or email").fill(username);
  await page.getByLabel("Password", { exact: true }).fill("perch-demo-password");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("banner").getByText(`@${username}`)).toBeVisible();
}

/** Every navigation landmark and the page itself fit the screen's width: nothing hides off to the side. */
async function expectNoSidewaysOverflow(page: Page) {
  const overflowing = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const found: string[] = [];
    if (document.documentElement.scrollWidth > width) found.push(`the page (${document.documentElement.scrollWidth}px)`);
    for (const nav of document.querySelectorAll("nav, header")) {
      const box = nav.getBoundingClientRect();
      if (box.width === 0) continue;
      if (nav.scrollWidth > nav.clientWidth) found.push(`${nav.getAttribute("aria-label") ?? nav.tagName} scrolls sideways`);
      for (const link of nav.querySelectorAll("a, button")) {
        const item = link.getBoundingClientRect();
        if (item.width > 0 && (item.right > width + 0.5 || item.left < -0.5)) found.push(`${link.textContent?.trim()} is off screen`);
      }
    }
    return found;
  });
  expect(overflowing).toEqual([]);
}

test.describe("on a phone", () => {
  test("a visitor logs in from the top bar", { tag: "@phone-only" }, async ({ page }) => {
    await page.goto("/");
    const topBar = page.getByRole("banner");
    await expect(topBar.getByRole("link", { name: "Sign up" })).toBeVisible();
    await expectNoSidewaysOverflow(page);
    await logInFromTopBar(page, "lena");
    await expect(page.getByRole("heading", { name: "Following" })).toBeVisible();
  });

  test(
    "a signed-in person reaches Settings and logs out, with at most five items in the bottom bar",
    { tag: "@phone-only" },
    async ({ page }) => {
      await logInFromTopBar(page, "jun");
      const bottomBar = page.getByRole("navigation", { name: "Primary, phone layout" });
      await expect(bottomBar.getByRole("link")).toHaveCount(5);
      await expectNoSidewaysOverflow(page);

      await bottomBar.getByRole("link", { name: "More" }).click();
      await expect(page.getByRole("heading", { name: "Menu" })).toBeVisible();
      await expectNoSidewaysOverflow(page);
      await page.getByRole("navigation", { name: "Everywhere" }).getByRole("link", { name: "Settings" }).click();
      await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
      await page.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Privacy" }).click();
      await expect(page).toHaveURL(/\/settings\/privacy$/);
      await expectNoSidewaysOverflow(page);

      // The account menu is also behind the avatar in the top bar.
      await page
        .getByRole("banner")
        .getByRole("link", { name: /account menu/ })
        .click();
      await page.getByRole("button", { name: "Log out" }).click();
      await expect(page.getByText("You have been logged out.")).toBeVisible();
      await expect(page.getByRole("banner").getByRole("link", { name: "Log in" })).toBeVisible();
    },
  );

  test("the menu page works without JavaScript", { tag: "@phone-only" }, async ({ browser }) => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      extraHTTPHeaders: clientAddressHeader(),
      viewport: { width: 412, height: 915 },
    });
    const page = await context.newPage();
    await page.goto("/");
    await page.getByRole("navigation", { name: "Primary, phone layout" }).getByRole("link", { name: "More" }).click();
    await page.getByRole("navigation", { name: "Everywhere" }).getByRole("link", { name: "Home" }).click();
    await expect(page.getByRole("heading", { name: "Latest posts" })).toBeVisible();
    await context.close();
  });
});

test.describe("accessibility with the WCAG 2.2 AA rules", () => {
  for (const path of ["/", "/menu", "/login", "/signup", "/lena", "/tags/birds"]) {
    test(`${path} for a visitor has no violations @phone`, async ({ page }) => {
      await page.goto(path);
      await expect(page.locator("main")).toBeVisible();
      expect(await strictAccessibilityViolations(page)).toEqual([]);
    });
  }

  test("the main pages for a signed-in person have no violations @phone", async ({ page }) => {
    test.setTimeout(90_000);
    await logInFromTopBar(page, "lena");
    const paths = [
      "/",
      "/menu",
      "/lena",
      "/lena/followers",
      "/friends",
      "/lists",
      "/bookmarks",
      "/follow-requests",
      "/drafts",
      "/scheduled",
    ];
    paths.push("/settings/profile", "/settings/privacy", "/settings/account");
    for (const path of paths) {
      await page.goto(path);
      await expect(page.locator("main")).toBeVisible();
      expect({ path, violations: await strictAccessibilityViolations(page) }).toEqual({ path, violations: [] });
    }
    await page.goto("/lena");
    await page
      .getByRole("article")
      .first()
      .getByRole("link", { name: /^\d+[smhd]$|^now$|^[A-Z][a-z]{2} \d+/ })
      .first()
      .click();
    await expect(page).toHaveURL(/\/status\/\d+$/);
    expect(await strictAccessibilityViolations(page)).toEqual([]);
  });
});
