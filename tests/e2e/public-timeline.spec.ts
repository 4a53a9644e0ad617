import { expect, seriousAccessibilityViolations, test } from "./fixtures.ts";

test.describe("the public timeline", () => {
  test("shows the demo community's latest posts, rendered on the server @phone", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Latest posts" })).toBeVisible();
    const posts = page.getByRole("article");
    await expect(posts).toHaveCount(20);
    await expect(posts.first()).toContainText("@");
    await expect(page.getByRole("link", { name: "Older posts" })).toBeVisible();
  });

  test("loads scripts that browsers may keep for a year and that come without source maps", async ({ page, request }) => {
    const scripts: { url: string; cacheControl?: string }[] = [];
    page.on("response", (response) => {
      if (/^\/assets\/.+\.js$/.test(new URL(response.url()).pathname))
        scripts.push({ url: response.url(), cacheControl: response.headers()["cache-control"] });
    });
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Latest posts" })).toBeVisible();
    expect(scripts.length).toBeGreaterThan(0);
    for (const { cacheControl } of scripts) expect(cacheControl).toBe("public, max-age=31536000, immutable");
    const script = scripts[0]!.url;
    expect(await (await request.get(script)).text()).not.toContain("sourceMappingURL");
    expect((await request.get(`${script}.map`)).status()).toBe(404);
  });

  test.describe("without JavaScript", () => {
    test.use({ javaScriptEnabled: false });

    test("pages to older posts and back through real links", async ({ page }) => {
      // Posts are told apart by id: their text includes a relative time, which changes when a minute passes.
      const postIds = () =>
        page.getByRole("article").evaluateAll((articles) => articles.map((article) => article.getAttribute("aria-labelledby")));
      await page.goto("/");
      const firstPage = await postIds();
      await page.getByRole("link", { name: "Older posts" }).click();
      await expect(page).toHaveURL(/\?max_id=\d+$/);
      const secondPage = await postIds();
      expect(secondPage).toHaveLength(20);
      expect(secondPage.some((id) => firstPage.includes(id))).toBe(false);

      // Keep going to the oldest page: it is the first one with fewer than 20 posts and no link onwards.
      const older = page.getByRole("link", { name: "Older posts" });
      for (let pages = 2; (await older.count()) > 0; pages += 1) {
        expect(pages).toBeLessThan(10);
        await older.click();
      }
      expect(await page.getByRole("article").count()).toBeLessThan(20);

      await page.goto("/");
      await page.getByRole("link", { name: "Older posts" }).click();
      await page.getByRole("link", { name: "Newer posts" }).click();
      await expect(page).toHaveURL(/\?min_id=\d+$/);
      expect(await postIds()).toEqual(firstPage);
    });

    test("switches the colour theme with a plain form post", async ({ page }) => {
      await page.goto("/");
      await page.getByRole("button", { name: "Dark" }).first().click();
      await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
      await expect(page.getByRole("button", { name: "Dark" }).first()).toHaveAttribute("aria-pressed", "true");
    });
  });

  test("pages client-side when JavaScript is on", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("link", { name: "Older posts" }).click();
    await expect(page).toHaveURL(/\?max_id=\d+$/);
    await expect(page.getByRole("article")).toHaveCount(20);
  });

  test("switches the theme in place when JavaScript is on", async ({ page }) => {
    await page.goto("/");
    // The theme changes before the server answers (optimistic UI); the reload must wait for the answer's cookie.
    const saved = page.waitForResponse((response) => new URL(response.url()).pathname.startsWith("/resources/theme"));
    await page.getByRole("button", { name: "Light" }).first().click();
    await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
    await saved;
    await page.reload();
    await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  });

  test("can be used from the keyboard: the skip link jumps to the main column", async ({ page }) => {
    await page.goto("/");
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    await expect(skip).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(page.locator("main")).toBeFocused();
  });
});

test.describe("accessibility", () => {
  for (const theme of ["light", "dark"] as const) {
    test(`the timeline has no serious or critical axe violations in the ${theme} theme @phone`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: theme });
      await page.goto("/");
      await expect(page.getByRole("article").first()).toBeVisible();
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
    });
  }

  test.describe("on the 404 page", () => {
    test.use({ expectedConsoleErrors: [/status of 404 \(Not Found\)/] });

    test("there are no serious or critical axe violations", async ({ page }) => {
      const response = await page.goto("/this/does/not/exist");
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
    });
  });
});
