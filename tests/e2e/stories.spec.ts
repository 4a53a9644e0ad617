import type { Browser, Page } from "@playwright/test";
import { identiconPng } from "../../db/seed/artwork.ts";
import { clientAddressHeader, expect, strictAccessibilityViolations, test } from "./fixtures.ts";

const picture = async (name: string) => ({
  name: `${name}.png`,
  mimeType: "image/png",
  buffer: Buffer.from(await identiconPng(name, 320)),
});

/**
 * A demo user's own browser, signed in, as `signedInAs` does, but waiting longer for the sign-in: these tests open
 * several browsers, and on the shared 2-core machine a sign-in (password hashing) can take longer than 5 seconds.
 */
async function signedInAs(browser: Browser, username: string, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ extraHTTPHeaders: clientAddressHeader(), ...options });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Username or email").fill(username);
  await page.getByLabel("Password", { exact: true }).fill("perch-demo-password");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("banner").getByText(`@${username}`)).toBeVisible({ timeout: 30_000 });
  return page;
}

/** Posts a story from /stories/new (one item per file) and waits for its first item's page. */
async function postStory(page: Page, files: string[], overlay: string) {
  await page.goto("/stories/new");
  await page.getByLabel("Pictures or videos").setInputFiles(await Promise.all(files.map(picture)));
  await page.getByLabel("Alt text").fill("A pattern of squares");
  await page.getByLabel("Text", { exact: true }).fill(overlay);
  await page.getByRole("button", { name: "Share to your story" }).click();
  await expect(page).toHaveURL(/\/stories\/\w+\/\d+$/, { timeout: 30_000 });
}

test.describe("stories", () => {
  // Several pages through axe and two browsers, on a 2-core machine shared with other work (at a load average of 28
  // the first test took over 3 minutes).
  test.setTimeout(300_000);

  test("posted with a text overlay, viewed through the tray, replied to, its viewers listed and kept in a highlight @phone", async ({
    browser,
  }, testInfo) => {
    const overlay = `Sunrise over the lake (${testInfo.project.name})`;
    const alice = await signedInAs(browser, "alice");
    // Auto-advance would move on while the test types: people who prefer reduced motion get none.
    await alice.emulateMedia({ reducedMotion: "reduce" });
    await alice.goto("/stories/new");
    expect(await strictAccessibilityViolations(alice)).toEqual([]);
    await postStory(alice, [`e2e-story-${testInfo.project.name}`], overlay);
    await expect(alice.getByText(overlay)).toBeVisible();
    const itemPath = new URL(alice.url()).pathname;

    // Kofi follows Alice: her story is in his tray, unseen, and opens full screen.
    const kofi = await signedInAs(browser, "kofi");
    await kofi.emulateMedia({ reducedMotion: "reduce" });
    await kofi.goto("/");
    const tray = kofi.getByRole("navigation", { name: "Stories" });
    await tray.getByRole("link", { name: /^Alice Nakamura\s*, new story$/ }).click();
    await expect(kofi).toHaveURL(itemPath);
    await expect(kofi.getByRole("region", { name: "Story by Alice Nakamura" })).toBeVisible();
    await expect(kofi.getByText(overlay)).toBeVisible();
    await expect(kofi.getByRole("img", { name: "A pattern of squares" })).toBeVisible();
    expect(await strictAccessibilityViolations(kofi)).toEqual([]);

    // His reply goes to Alice as a message quoting the story.
    await kofi.getByLabel("Reply to Alice Nakamura").fill(`Beautiful colours (${testInfo.project.name})`);
    await kofi.getByRole("button", { name: "Send", exact: true }).click();
    await expect(kofi.getByRole("status")).toHaveText("Sent to the author as a message", { timeout: 15_000 });

    // Alice sees who viewed it; Kofi may not.
    await alice.getByRole("link", { name: "Viewers" }).click();
    await expect(alice.getByRole("list", { name: "Viewers" }).getByText("Kofi Mensah")).toBeVisible();
    expect(await strictAccessibilityViolations(alice)).toEqual([]);
    const refused = await kofi.request.get(`${itemPath}/viewers`);
    expect(refused.status()).toBe(404);

    // The reply is in her messages (inbox or requests, as her settings put it), quoting the story.
    await expect(async () => {
      for (const list of ["/messages", "/messages?tab=requests"]) {
        await alice.goto(list);
        const conversation = alice.getByRole("list", { name: "Conversations" }).getByRole("link", { name: /Kofi Mensah/ });
        if ((await conversation.count()) === 0) continue;
        await conversation.click();
        break;
      }
      await expect(alice.getByText(`Beautiful colours (${testInfo.project.name})`, { exact: true })).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await expect(alice.getByRole("link", { name: "Replied to your story" }).last()).toHaveAttribute("href", itemPath);

    // She keeps the item in a new highlight, shown on her profile.
    await alice.goto(itemPath);
    const title = `Lake ${testInfo.project.name}`;
    await alice.getByLabel("Highlight", { exact: true }).selectOption("");
    await alice.getByLabel("New highlight's name").fill(title);
    await alice.getByRole("button", { name: "Keep in highlight" }).click();
    await expect(alice.getByRole("status")).toHaveText("Kept in your highlight", { timeout: 15_000 });
    await alice.goto("/alice");
    await alice.getByRole("navigation", { name: "@alice's highlights" }).getByRole("link", { name: title }).click();
    await expect(alice.getByText(overlay)).toBeVisible();
  });

  test("the viewer without JavaScript is a page per item with Previous and Next links @phone", async ({ browser }, testInfo) => {
    // Someone with no story yet in each project, so that hers is items 1 and 2.
    const author = await signedInAs(browser, testInfo.project.name === "phone" ? "elena" : "lena", { javaScriptEnabled: false });
    const overlay = `Two birds (${testInfo.project.name})`;
    await postStory(author, [`e2e-first-${testInfo.project.name}`, `e2e-second-${testInfo.project.name}`], overlay);
    const first = new URL(author.url()).pathname;

    // (axe needs JavaScript in the page: the viewer's page is checked by the test above.)
    const jun = await signedInAs(browser, "jun", { javaScriptEnabled: false });
    await jun.goto(first);
    const items = jun.getByRole("navigation", { name: "Story items" });
    await expect(jun.getByRole("list", { name: "Item 1 of 2" })).toBeVisible();
    await expect(items.getByRole("link", { name: "Previous" })).toHaveCount(0);
    await items.getByRole("link", { name: "Next" }).click();
    await expect(jun.getByRole("list", { name: "Item 2 of 2" })).toBeVisible();
    await expect(jun.getByText(overlay)).toBeVisible();
    await expect(items.getByRole("link", { name: "Next" })).toHaveCount(0);
    await items.getByRole("link", { name: "Previous" }).click();
    await expect(jun).toHaveURL(first);
    await items.getByRole("link", { name: "Next" }).click();
    await items.getByRole("link", { name: "Done" }).click();
    await expect(jun).toHaveURL("/");
  });

  // The forms without JavaScript are tested in the Workers pool (story-settings.pages.test.ts); axe needs it here.
  test("story settings: close friends, hiding, the archive, with no WCAG 2.2 AA violations @phone", async ({ browser }) => {
    const farah = await signedInAs(browser, "farah");
    await farah.goto("/settings");
    await farah.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Stories" }).click();
    await expect(farah).toHaveURL("/settings/stories");
    expect(await strictAccessibilityViolations(farah)).toEqual([]);

    const closeFriends = farah.getByRole("region", { name: "Close friends" });
    await closeFriends.getByLabel("Username").fill("@nobody-by-that-name");
    await closeFriends.getByRole("button", { name: "Add to close friends" }).click();
    await expect(closeFriends.getByText("There is no @nobody-by-that-name")).toBeVisible();
    await expect(closeFriends.getByLabel("Username")).toHaveValue("@nobody-by-that-name");
    await closeFriends.getByLabel("Username").fill("hana");
    await closeFriends.getByRole("button", { name: "Add to close friends" }).click();
    await expect(closeFriends.getByRole("button", { name: "Remove @hana" })).toBeVisible();
    await closeFriends.getByRole("button", { name: "Remove @hana" }).click();
    await expect(closeFriends.getByText("Nobody yet.")).toBeVisible();

    const hidden = farah.getByRole("region", { name: "Hide my story from" });
    await hidden.getByLabel("Username").fill("gus");
    await hidden.getByRole("button", { name: "Hide my story from them" }).click();
    await expect(hidden.getByRole("button", { name: "Show again @gus" })).toBeVisible();

    const archive = farah.getByRole("region", { name: "Archive" });
    await archive.getByLabel("Keep my expired stories in my archive").uncheck();
    await archive.getByRole("button", { name: "Save" }).click();
    await expect(farah.getByRole("status")).toHaveText("Your archive is off.");
    await expect(archive.getByLabel("Keep my expired stories in my archive")).not.toBeChecked();
    await archive.getByLabel("Keep my expired stories in my archive").check();
    await archive.getByRole("button", { name: "Save" }).click();
    await expect(archive.getByLabel("Keep my expired stories in my archive")).toBeChecked();
    expect(await strictAccessibilityViolations(farah)).toEqual([]);
  });
});
