import { identiconPng } from "../../db/seed/artwork.ts";
import { expect, seriousAccessibilityViolations, signedInAs, test } from "./fixtures.ts";

test("a person edits their profile with a new avatar and sees it resized", async ({ browser }) => {
  const page = await signedInAs(browser, "chioma");
  await page.goto("/settings/profile");
  await page
    .getByLabel("Avatar", { exact: true })
    .setInputFiles({ name: "me.png", mimeType: "image/png", buffer: Buffer.from(await identiconPng("e2e-avatar", 640)) });
  await expect(page.getByRole("img", { name: "Avatar preview" })).toBeVisible();
  await expect(page.getByText("Avatar saved.")).toBeVisible();
  await page.getByLabel("Display name").fill("Chioma O.");
  await page.getByLabel("Location").fill("Lagos");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Profile saved.")).toBeVisible();

  await page.goto("/chioma");
  await expect(page.getByRole("heading", { level: 1, name: "Chioma O." })).toBeVisible();
  await expect(page.getByText("Lagos")).toBeVisible();
  const avatar = page.getByRole("img", { name: "Chioma O.'s avatar" });
  await expect(avatar).toHaveAttribute("src", /\/media\/avatars\/[0-9a-f]{64}\/400\.webp$/);
  expect(await avatar.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(400);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await page.context().close();
});

test("a follow request to a locked account is accepted, and the follower sees the follow", async ({ browser }) => {
  // Two people sign in (a password hash each) and axe checks a page: past 30 s on a busy 2-core machine.
  test.setTimeout(90_000);
  const dev = await signedInAs(browser, "dev");
  await dev.goto("/ivan");
  await expect(dev.getByText("private account", { exact: true })).toBeVisible();
  await dev.getByRole("button", { name: "Request to follow" }).click();
  await expect(dev.getByRole("button", { name: "Cancel follow request" })).toBeVisible();

  const ivan = await signedInAs(browser, "ivan");
  await ivan.getByRole("link", { name: "Requests" }).first().click();
  await expect(ivan.getByRole("heading", { name: "Follow requests" })).toBeVisible();
  await ivan.getByRole("button", { name: "Accept @dev" }).click();
  await expect(ivan.getByRole("button", { name: "Accept @dev" })).toHaveCount(0);
  expect(await seriousAccessibilityViolations(ivan)).toEqual([]);

  await dev.reload();
  await expect(dev.getByRole("button", { name: "Unfollow" })).toBeVisible();
  await dev.goto("/ivan/followers");
  await expect(dev.getByRole("link", { name: /@dev/ })).toBeVisible();
  await dev.context().close();
  await ivan.context().close();
});

test.describe("blocking", () => {
  // The blocked person's visit answers 404, which the browser reports in the console.
  test.use({ expectedConsoleErrors: [/status of 404 \(Not Found\)/] });

  test("a person blocks another, whose view of the profile disappears", async ({ browser }) => {
    const farah = await signedInAs(browser, "farah");
    await farah.goto("/elena");
    await expect(farah.getByRole("heading", { level: 1, name: "Elena Rossi" })).toBeVisible();

    const elena = await signedInAs(browser, "elena");
    await elena.goto("/farah");
    await elena.getByRole("button", { name: "Block" }).click();
    await expect(elena.getByRole("button", { name: "Unblock @farah" })).toBeVisible();

    await farah.reload();
    await expect(farah.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(farah.getByText("There is no one here by that name.")).toBeVisible();
    await farah.context().close();
    await elena.context().close();
  });
});
