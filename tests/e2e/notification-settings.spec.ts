import type { Page } from "@playwright/test";
import { expect, strictAccessibilityViolations, test } from "./fixtures.ts";

async function logIn(page: Page, username: string) {
  await page.goto("/login");
  await page.getByLabel("Username or email").fill(username);
  await page.getByLabel("Password", { exact: true }).fill("perch-demo-password");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("banner").getByText(`@${username}`)).toBeVisible();
}

test.describe("notification settings and the bell", () => {
  // Two pages through axe, on a 2-core machine shared with other work.
  test.setTimeout(120_000);

  test("a person chooses how to hear of likes, with no WCAG 2.2 AA violations @phone", async ({ page }) => {
    await logIn(page, "bruno");
    await page.goto("/settings/notifications");
    await expect(page.getByRole("heading", { name: "How you hear about each kind" })).toBeVisible();
    expect(await strictAccessibilityViolations(page)).toEqual([]);
    await page.getByLabel("Likes").selectOption("digest");
    await page.getByRole("button", { name: "Save notification settings" }).click();
    await expect(page.getByRole("status")).toHaveText("Notification settings saved.");
    await page.reload();
    await expect(page.getByLabel("Likes")).toHaveValue("digest");
  });

  test("the bell on a followed profile is a toggle button @phone", async ({ page }) => {
    await logIn(page, "lena");
    await page.goto("/bruno");
    const follow = page.getByRole("button", { name: "Follow", exact: true });
    if (await follow.isVisible()) await follow.click();
    const bell = page.getByRole("button", { name: "Notify me of new posts from @bruno" });
    await expect(bell).toHaveAttribute("aria-pressed", "false");
    await bell.click();
    await expect(bell).toHaveAttribute("aria-pressed", "true");
    expect(await strictAccessibilityViolations(page)).toEqual([]);
    await bell.click();
    await expect(bell).toHaveAttribute("aria-pressed", "false");
  });
});
