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
        if (item.width === 0) continue;
        if (item.right > width + 0.5 || item.left < -0.5) found.push(`${link.textContent?.trim()} is off screen`);
        else if (item.right > box.right + 0.5 || item.left < box.left - 0.5)
          found.push(`${link.textContent?.trim()} sticks out of its bar`);
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

      await bottomBar.getByRole("link", { name: "Menu" }).click();
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

  test("the Post button in the bottom bar opens the composer", { tag: "@phone-only" }, async ({ page }) => {
    await logInFromTopBar(page, "chioma");
    await page.getByRole("navigation", { name: "Primary, phone layout" }).getByRole("link", { name: "Post" }).click();
    // The page's own heading, not only the address: the home page's composer has the same name until /compose renders.
    await expect(page.getByRole("heading", { name: "New post" })).toBeVisible();
    const composer = page.getByRole("form", { name: "New post" });
    await composer.getByLabel("What's happening?").fill("Posted from a phone");
    await composer.getByRole("button", { name: "Post", exact: true }).click();
    await expect(page).toHaveURL(/\/chioma\/status\/\d+$/);
    await expectNoSidewaysOverflow(page);
  });

  test("the home composer is one line until it is focused", { tag: "@phone-only" }, async ({ page }) => {
    await logInFromTopBar(page, "farah");
    const composer = page.getByRole("form", { name: "New post" });
    const line = composer.getByLabel("What's happening?");
    expect((await composer.boundingBox())!.height).toBeLessThan(90);
    await expect(composer.getByRole("button", { name: "Post", exact: true })).toHaveCount(0);
    await line.focus();
    await expect(composer.getByRole("button", { name: "Post", exact: true })).toBeVisible();
    await composer.getByRole("button", { name: "Add to thread" }).click();
    await expect(composer.getByLabel("Post 2 of the thread")).toBeFocused();
  });

  test("the menu page works without JavaScript", { tag: "@phone-only" }, async ({ browser }) => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      extraHTTPHeaders: clientAddressHeader(),
      viewport: { width: 412, height: 915 },
    });
    const page = await context.newPage();
    await page.goto("/");
    await page.getByRole("navigation", { name: "Primary, phone layout" }).getByRole("link", { name: "Menu" }).click();
    await page.getByRole("navigation", { name: "Everywhere" }).getByRole("link", { name: "Home" }).click();
    await expect(page.getByRole("heading", { name: "Latest posts" })).toBeVisible();
    await context.close();
  });
});

test("a visitor's rail and top bar fit at every width from 640 to 1279 px, with the ways in on screen", async ({ page }) => {
  for (const width of [640, 800, 1024, 1279]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/");
    await expectNoSidewaysOverflow(page);
    await expect(page.getByRole("link", { name: "Log in" }).filter({ visible: true })).toHaveCount(1);
  }
});

test.describe("accessibility with the WCAG 2.2 AA rules", () => {
  for (const path of ["/", "/menu", "/login", "/signup", "/lena", "/tags/birds"]) {
    test(`${path} for a visitor has no violations @phone`, async ({ page }) => {
      // axe over a long page takes 20-30 s when the 2-core machine is loaded by other work.
      test.setTimeout(90_000);
      await page.goto(path);
      await expect(page.locator("main")).toBeVisible();
      expect(await strictAccessibilityViolations(page)).toEqual([]);
    });
  }

  test("the main pages for a signed-in person have no violations @phone", async ({ page }) => {
    // Fifteen pages through axe, on a 2-core machine shared with other work.
    test.setTimeout(300_000);
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
      "/compose",
    ];
    paths.push(
      "/settings/profile",
      "/settings/privacy",
      "/settings/reading",
      "/settings/filters",
      "/settings/notifications",
      "/settings/account",
    );
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
