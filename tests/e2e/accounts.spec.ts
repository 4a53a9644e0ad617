import type { Page } from "@playwright/test";
import { createOAuthAPIClient, createRestAPIClient } from "masto";
import { currentStep, totpCode } from "../../workers/domain/accounts/totp.ts";
import { baseURL } from "../../playwright.config.ts";
import { standInUser } from "./stand-in-github-user.ts";
import { expect, seriousAccessibilityViolations, test } from "./fixtures.ts";

/** Opens the newest email with this subject in the development mailbox and follows its link. */
async function followEmailLink(page: Page, to: string, subject: string) {
  await page.goto("/dev/mailbox");
  const email = page.getByRole("article").filter({ hasText: subject }).filter({ hasText: to }).first();
  await expect(email).toBeVisible();
  await email.getByRole("link").first().click();
}

async function logIn(page: Page, identifier: string, password: string) {
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  await page.getByLabel("Username or email").fill(identifier);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
}

test.describe("signing up and recovering", () => {
  // The wrong-password attempt below answers 401, which the browser reports in the console.
  test.use({ expectedConsoleErrors: [/status of 401 \(Unauthorized\)/] });

  test("a person signs up, confirms by email, resets their password, and turns on two-factor authentication", async ({ page }) => {
    const email = "wren@example.test";
    await page.goto("/signup");
    await page.getByLabel("Username").fill("wren");
    await page.getByLabel("Display name").fill("Wren Walker");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("first password 123");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
    await expect(page.getByText("Confirm your email address to start posting.")).toBeVisible();

    await followEmailLink(page, email, "Confirm your email");
    await page.getByRole("button", { name: "Confirm email address" }).click();
    await expect(page.getByRole("heading", { name: "You're all set" })).toBeVisible();

    await page.getByRole("button", { name: "Log out" }).click();
    await expect(page.getByText("You have been logged out.")).toBeVisible();

    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
    await page.getByLabel("Username or email").fill(email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByText("If that matches an account")).toBeVisible();
    await followEmailLink(page, email, "Reset your");
    await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
    await page.getByLabel("New password", { exact: true }).fill("second password 456");
    await page.getByLabel("Repeat the new password").fill("second password 456");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page.getByText("Your password has been changed")).toBeVisible();

    await logIn(page, "wren", "first password 123");
    await expect(page.getByText("do not match an account")).toBeVisible();
    await expect(page.getByLabel("Username or email")).toHaveValue("wren");
    await page.getByLabel("Password", { exact: true }).fill("second password 456");
    await page.getByRole("button", { name: "Log in", exact: true }).click();
    await expect(page.getByRole("banner").getByText("@wren")).toBeVisible();

    await page.goto("/settings/security");
    await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
    const secret = (await page.getByTestId("totp-secret").textContent())!;
    await expect(page.getByRole("img", { name: "QR code to add Perch to an authenticator app" })).toBeVisible();
    await page.getByLabel("Code from the app").fill(await totpCode(secret, currentStep()));
    await page.getByRole("button", { name: "Turn on" }).click();
    await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);

    await page.getByRole("button", { name: "Log out" }).click();
    await expect(page.getByText("You have been logged out.")).toBeVisible();
    await logIn(page, "wren@example.test", "second password 456");
    await expect(page.getByRole("heading", { name: "Enter your code" })).toBeVisible();
    // The code used to turn 2FA on cannot be replayed; the next time step's code is within the accepted window.
    await page.getByRole("textbox", { name: "Code" }).fill(await totpCode(secret, currentStep() + 1));
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("banner").getByText("@wren")).toBeVisible();
    await page.goto("/settings/security");
    await expect(page.getByRole("table")).toContainText("password+totp");
  });
});

test("a person signs in with GitHub (a local OAuth 2 server standing in for it)", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Continue with GitHub" }).click();
  await expect(page).toHaveURL(`${baseURL}/`);
  // The account box (desktop rail) or the top bar (phone) names the new account; only one of them is shown.
  await expect(page.getByText(`@${standInUser.login.replace(/-/g, "_")}`).filter({ visible: true })).toBeVisible();
  await page.goto("/settings/connections");
  await expect(page.getByText(`connected as ${standInUser.login}`)).toBeVisible();
});

test("a Mastodon client (masto) registers, is authorized by the user, and verifies its token", async ({ page }) => {
  const rest = createRestAPIClient({ url: baseURL });
  const app = await rest.v1.apps.create({ clientName: "masto e2e", redirectUris: "urn:ietf:wg:oauth:2.0:oob", scopes: "read write" });
  const query = new URLSearchParams({
    response_type: "code",
    client_id: app.clientId!,
    redirect_uri: "urn:ietf:wg:oauth:2.0:oob",
    scope: "read write",
  });
  await page.goto(`/oauth/authorize?${query}`);
  await page.getByLabel("Username or email").fill("alice");
  await page.getByLabel("Password", { exact: true }).fill("perch-demo-password");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Authorize masto e2e?" })).toBeVisible();
  await page.getByRole("button", { name: "Authorize" }).click();
  const code = (await page.getByTestId("authorization-code").textContent())!;

  const oauth = createOAuthAPIClient({ url: baseURL });
  const token = await oauth.token.create({
    grantType: "authorization_code",
    clientId: app.clientId!,
    clientSecret: app.clientSecret!,
    redirectUri: "urn:ietf:wg:oauth:2.0:oob",
    code,
    scope: "read write",
  });
  const me = await createRestAPIClient({ url: baseURL, accessToken: token.accessToken }).v1.accounts.verifyCredentials();
  expect(me.username).toBe("alice");
  expect(me.source.note).toContain("Runs this Perch");
});

test.describe("accessibility of the account pages", () => {
  for (const path of ["/login", "/signup", "/forgot-password"]) {
    test(`${path} has no serious or critical axe violations`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
    });
  }

  test("the settings pages have no serious or critical axe violations", async ({ page }) => {
    await logIn(page, "bruno", "perch-demo-password");
    await expect(page.getByRole("banner").getByText("@bruno")).toBeVisible();
    for (const section of ["account", "security", "connections", "apps", "reading", "filters"]) {
      await page.goto(`/settings/${section}`);
      await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
      expect(await seriousAccessibilityViolations(page), section).toEqual([]);
    }
  });
});
