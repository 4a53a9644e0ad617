import { identiconPng } from "../../db/seed/artwork.ts";
import { expect, signedInAs, test } from "./fixtures.ts";

/**
 * The core actions with JavaScript off, as plain forms and links: the collapsed composer leads to /compose, "Add to
 * thread" and a refused form are server round trips that keep what was typed and the chosen files, and a like comes
 * back to the post it was on.
 */
test.describe("without JavaScript", () => {
  test("a two-post thread from the collapsed composer, through Add to thread", async ({ browser }) => {
    const page = await signedInAs(browser, "kofi", { javaScriptEnabled: false });
    await page.getByRole("link", { name: "What's happening?" }).click();
    await expect(page).toHaveURL(/\/compose$/);
    const composer = page.getByRole("form", { name: "New post" });
    await composer.getByLabel("What's happening?").fill("A thread without scripts, part one");
    await composer.getByRole("button", { name: "Add to thread" }).click();
    await expect(composer.getByLabel("What's happening?")).toHaveValue("A thread without scripts, part one");
    await composer.getByLabel("Post 2 of the thread").fill("And part two");
    await composer.getByRole("button", { name: "Post thread" }).click();
    await expect(page).toHaveURL(/\/kofi\/status\/\d+$/);
    await expect(page.getByText("A thread without scripts, part one")).toBeVisible();
    await expect(page.getByRole("region", { name: "Replies" }).getByText("And part two")).toBeVisible();
    await page.context().close();
  });

  test("a like comes back to the same post, not the top of the page", async ({ browser }) => {
    const page = await signedInAs(browser, "hana", { javaScriptEnabled: false });
    await page.goto("/?feed=latest");
    // A post well down the page that hana has not liked yet.
    const target = page
      .getByRole("article")
      .filter({ has: page.getByRole("button", { name: /^Like, /, pressed: false }) })
      .nth(6);
    const id = await target.getAttribute("id");
    await target.getByRole("button", { name: /^Like, / }).click();
    await expect(page).toHaveURL(new RegExp(`/\\?feed=latest#${id}$`));
    await expect(page.locator(`#${id}`).getByRole("button", { name: /^Like, / })).toHaveAttribute("aria-pressed", "true");
    // The browser scrolled to the post: it is on screen, the page is not at its top.
    await expect(page.locator(`#${id}`)).toBeInViewport();
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    await page.context().close();
  });

  test("a refused post keeps the chosen image, with its preview and its description, and posts it next time", async ({ browser }) => {
    const page = await signedInAs(browser, "elena", { javaScriptEnabled: false });
    await page.goto("/compose");
    const composer = page.getByRole("form", { name: "New post" });
    await composer.getByLabel("What's happening?").fill("x".repeat(510));
    await composer.getByLabel("Images or a video").setInputFiles({
      name: "kept.png",
      mimeType: "image/png",
      buffer: Buffer.from(await identiconPng("e2e-kept", 160)),
    });
    await composer.getByRole("button", { name: "Post", exact: true }).click();
    await expect(composer.getByRole("alert").first()).toHaveText("Your post is 10 characters over the limit of 500");
    const attached = composer.getByRole("group", { name: "Attached" });
    await expect(attached.getByRole("listitem")).toHaveCount(1);
    expect(await attached.locator("img").evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0);
    await attached.getByLabel("Description of attachment 1 (alt text)").fill("A kept pattern");
    await composer.getByLabel("What's happening?").fill("Now short enough, with the image kept");
    await composer.getByRole("button", { name: "Post", exact: true }).click();
    await expect(page).toHaveURL(/\/elena\/status\/\d+$/);
    await expect(page.getByRole("img", { name: "A kept pattern" })).toBeVisible();
    await page.context().close();
  });
});
