import type { Browser } from "@playwright/test";
import { identiconPng } from "../../db/seed/artwork.ts";
import { expect, signedInAs, strictAccessibilityViolations, test } from "./fixtures.ts";

/**
 * Groups on the pages (issue 15): a group made from /messages, its picture set on its settings page (with JavaScript
 * and without), and its invite link. Everyone in the demo follows alice, so the people she invites are in at once. The
 * settings page, its invite link and picture form, and the join page are held to WCAG 2.2 AA (target size among it)
 * at both sizes.
 */

/**
 * A signed-in browser of its own whose page errors (and console errors but those `expected`) fail the test, as the page
 * fixture's do.
 */
async function person(browser: Browser, username: string, expected: RegExp[] = []) {
  const page = await signedInAs(browser, username);
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !expected.some((pattern) => pattern.test(message.text()))) errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return { page, errors };
}

test.describe("a group's picture and invite link", () => {
  test("the owner makes a group and gives it a picture, shown in the list; a member sees it without the form; the join page @phone", async ({
    browser,
  }, testInfo) => {
    test.setTimeout(120_000);
    const name = `Kite flyers ${testInfo.project.name} ${Date.now()}`;
    // The browser reports the status of the refused upload below.
    const alice = await person(browser, "alice", [/status of 415/]);
    await alice.page.goto("/messages");
    await alice.page.getByText("New group").click();
    await alice.page.getByLabel("Group name").fill(name);
    await alice.page.getByLabel("People to invite").fill("bruno");
    await alice.page.getByLabel("Anyone with the link may join").check();
    await alice.page.getByRole("button", { name: "Create group" }).click();
    await expect(alice.page.getByRole("heading", { level: 1, name })).toBeVisible();
    const path = new URL(alice.page.url()).pathname;

    await alice.page.getByRole("link", { name: "Group settings and members" }).click();
    await expect(alice.page.getByRole("heading", { level: 1, name: "Conversation settings" })).toBeVisible();
    const joinLink = alice.page.getByRole("region", { name: "Invite link" }).getByRole("link");
    await expect(joinLink).toHaveText(/\/messages\/join\/\d+$/);
    const joinPath = new URL((await joinLink.getAttribute("href")) ?? "").pathname;
    expect(await strictAccessibilityViolations(alice.page)).toEqual([]);

    // A file that is not an image is refused beside the chooser (one merely named .png too: tests/workers).
    const chooser = alice.page.getByLabel("Group picture");
    await chooser.setInputFiles({ name: "kite.txt", mimeType: "text/plain", buffer: Buffer.from("not a picture at all") });
    await alice.page.getByRole("button", { name: "Save picture" }).click();
    await expect(alice.page.getByRole("alert")).toHaveText("The picture was not saved.");
    await expect(alice.page.getByText("Use a JPEG, PNG, GIF, WebP or AVIF image")).toBeVisible();
    await expect(chooser).toHaveAttribute("aria-invalid", "true");
    expect(await strictAccessibilityViolations(alice.page)).toEqual([]);

    await chooser.setInputFiles({ name: "kite.png", mimeType: "image/png", buffer: Buffer.from(await identiconPng(name, 240)) });
    await alice.page.getByRole("button", { name: "Save picture" }).click();
    await expect(alice.page.getByRole("status").filter({ hasText: "Picture saved." })).toBeVisible();
    await expect(alice.page.getByRole("img", { name: "Group picture preview" })).toHaveAttribute("src", /^\/media\/group-pictures\//);
    await expect(alice.page.getByLabel("Remove the current group picture")).toBeVisible();
    expect(await strictAccessibilityViolations(alice.page)).toEqual([]);

    // Without JavaScript the same form removes the picture and uploads another.
    const plain = await signedInAs(browser, "alice", { javaScriptEnabled: false });
    await plain.goto(`${path}/settings`);
    await plain.getByLabel("Remove the current group picture").check();
    await plain.getByRole("button", { name: "Save picture" }).click();
    await expect(plain.getByText("Picture removed.")).toBeVisible();
    await expect(plain.getByLabel("Remove the current group picture")).toHaveCount(0);
    await plain
      .getByLabel("Group picture")
      .setInputFiles({ name: "kite.png", mimeType: "image/png", buffer: Buffer.from(await identiconPng(`${name} again`, 240)) });
    await plain.getByRole("button", { name: "Save picture" }).click();
    await expect(plain.getByText("Picture saved.")).toBeVisible();
    await plain.context().close();

    // In the list, beside the group's name (decorative there), at the small size.
    await alice.page.goto("/messages");
    const row = alice.page.getByRole("link", { name });
    const listed = row.locator("img");
    await expect(listed).toHaveAttribute("src", /^\/media\/group-pictures\/[0-9a-f]{32}\/96\.webp$/);
    await expect(listed).toHaveAttribute("alt", "");
    expect(await listed.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth)).toBe(96);

    // Bruno, a member but not an admin, sees the picture and no form.
    const bruno = await person(browser, "bruno");
    await bruno.page.goto(`${path}/settings`);
    await expect(bruno.page.getByRole("img", { name })).toBeVisible();
    await expect(bruno.page.getByLabel("Group picture")).toHaveCount(0);
    await expect(bruno.page.getByRole("button", { name: "Save picture" })).toHaveCount(0);
    expect(await strictAccessibilityViolations(bruno.page)).toEqual([]);

    // Someone with the link, not yet in the group.
    const lena = await person(browser, "lena");
    await lena.page.goto(joinPath);
    await expect(lena.page.getByRole("heading", { level: 1, name: "Join a group" })).toBeVisible();
    await expect(lena.page.getByText(name)).toBeVisible();
    expect(await strictAccessibilityViolations(lena.page)).toEqual([]);
    await lena.page.getByRole("button", { name: "Join" }).click();
    await expect(lena.page).toHaveURL(new RegExp(`${path}$`));

    expect([...alice.errors, ...bruno.errors, ...lena.errors]).toEqual([]);
    for (const { page } of [alice, bruno, lena]) await page.context().close();
  });
});
