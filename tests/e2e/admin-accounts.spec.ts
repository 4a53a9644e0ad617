import { expect, signedInAs, strictAccessibilityViolations, test } from "./fixtures.ts";

test("an admin finds an account from /admin's nav and makes an invite link @phone", async ({ browser }) => {
  // Two pages checked with axe on a busy 2-core machine.
  test.setTimeout(120_000);
  const alice = await signedInAs(browser, "alice");
  await alice.goto("/admin");
  await alice.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Accounts" }).click();
  await expect(alice.getByRole("heading", { name: "Accounts", level: 1 })).toBeVisible();

  await alice.getByLabel("Username, display name or email").fill("kofi");
  await alice.getByRole("button", { name: "Search" }).click();
  await expect(alice).toHaveURL(/q=kofi/);
  expect(await strictAccessibilityViolations(alice)).toEqual([]);

  await alice.getByRole("button", { name: "Make an invite link" }).click();
  await expect(alice.getByText("Invite link made: it is listed below.")).toBeVisible();
  await expect(alice.getByRole("listitem").filter({ hasText: "/signup?invite=" }).first()).toBeVisible();

  await alice.getByRole("link", { name: "@kofi" }).click();
  await expect(alice.getByRole("heading", { name: "@kofi", level: 1 })).toBeVisible();
  await expect(alice.getByRole("table", { name: "Log-in history" })).toBeVisible();
  expect(await strictAccessibilityViolations(alice)).toEqual([]);
});
