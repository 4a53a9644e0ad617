import AxeBuilder from "@axe-core/playwright";
import { expect, test as base, type Browser, type Page } from "@playwright/test";

/**
 * Every browser test fails if the page logs an error or throws: a CSP violation, a hydration mismatch or a failed
 * request for one of our own assets all show up here first.
 */
/**
 * Each browser context acts from its own address, as separate people would: the per-address limits on log-in (10 a
 * minute) would otherwise add up across the whole suite. Locally nothing sets cf-connecting-ip; Cloudflare always
 * overwrites it in production.
 */
export function clientAddressHeader(): Record<string, string> {
  const byte = () => Math.floor(Math.random() * 250) + 1;
  return { "cf-connecting-ip": `10.${byte()}.${byte()}.${byte()}` };
}

export const test = base.extend<{ pageErrors: string[]; expectedConsoleErrors: RegExp[] }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  extraHTTPHeaders: async ({}, use) => use(clientAddressHeader()),
  /** Console errors a test causes on purpose, such as the browser reporting the 404 status of a 404 page. */
  expectedConsoleErrors: [[], { option: true }],
  pageErrors: [
    async ({ page, expectedConsoleErrors }, use) => {
      const errors: string[] = [];
      page.on("console", (message) => {
        const text = message.text();
        if (message.type() === "error" && !expectedConsoleErrors.some((pattern) => pattern.test(text))) errors.push(text);
      });
      page.on("pageerror", (error) => errors.push(error.message));
      await use(errors);
      expect(errors, "the page logged errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Runs axe against the page and returns the violations a person would be blocked by. */
export async function seriousAccessibilityViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({ id: violation.id, help: violation.help, targets: violation.nodes.map((node) => node.target.join(" ")) }));
}

/**
 * Runs axe with the WCAG 2.2 AA rules (target size among them) and returns every violation, whatever its impact:
 * the pages people use most are held to zero.
 */
export async function strictAccessibilityViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  return results.violations.map((violation) => ({
    id: violation.id,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(" ")),
  }));
}

/** A browser of one's own for a demo user, signed in. */
export async function signedInAs(browser: Browser, username: string, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ extraHTTPHeaders: clientAddressHeader(), ...options });
  const page = await context.newPage();
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  await page.getByLabel("Username or email").fill(username);
  await page.getByLabel("Password", { exact: true }).fill("perch-demo-password");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("banner").getByText(`@${username}`)).toBeVisible();
  return page;
}
