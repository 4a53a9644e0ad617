import { identiconPng } from "../../db/seed/artwork.ts";
import { expect, seriousAccessibilityViolations, signedInAs, test } from "./fixtures.ts";

const picture = async (name: string) => ({
  name: `${name}.png`,
  mimeType: "image/png",
  buffer: Buffer.from(await identiconPng(name, 320)),
});

test("a post with two images and a poll: voted on, replied to, quoted, liked without JavaScript, edited", async ({ browser }) => {
  test.setTimeout(180_000);

  // Lena composes: two described images and a poll.
  const lena = await signedInAs(browser, "lena");
  const composer = lena.getByRole("form", { name: "New post" });
  await composer.getByLabel("What's happening?").fill("Which bird should I look for this weekend? #birds");
  await composer.getByLabel("Images or a video").setInputFiles([await picture("e2e-robin"), await picture("e2e-wren")]);
  await composer.getByLabel("Describe e2e-robin.png (alt text)").fill("A robin on a fence post");
  await composer.getByLabel("Describe e2e-wren.png (alt text)").fill("A wren in a hedge");
  await composer.getByText("Add a poll").click();
  await composer.getByLabel("Choice 1").fill("Robin");
  await composer.getByLabel("Choice 2").fill("Wren");
  expect(await seriousAccessibilityViolations(lena)).toEqual([]);
  await composer.getByRole("button", { name: "Post", exact: true }).click();
  await expect(lena).toHaveURL(/\/lena\/status\/\d+$/);
  const postUrl = new URL(lena.url()).pathname;
  await expect(lena.getByRole("img", { name: "A robin on a fence post" })).toBeVisible();
  await expect(lena.getByRole("img", { name: "A wren in a hedge" })).toBeVisible();

  // It is on her profile.
  await lena.goto("/lena");
  const onProfile = lena.getByRole("article").filter({ hasText: "Which bird should I look for this weekend?" });
  await expect(onProfile.getByRole("img", { name: "A wren in a hedge" })).toBeVisible();

  // Jun votes, then replies; Lena answers the reply, making a thread.
  const jun = await signedInAs(browser, "jun");
  await jun.goto(postUrl);
  await jun.getByRole("radio", { name: "Wren" }).check();
  await jun.getByRole("button", { name: "Vote" }).click();
  await expect(jun.getByText("100% (1 vote)")).toBeVisible();
  // The post is the first article: "More like this" below may hold the demo poll, which jun voted in too.
  await expect(jun.getByRole("article").first().getByText("✓ your vote")).toBeVisible();
  await jun.getByLabel("Reply to @lena").fill("Wren, they are loud for their size.");
  await jun.getByRole("button", { name: "Reply", exact: true }).click();
  const replies = jun.getByRole("region", { name: "Replies" });
  await expect(replies.getByText("Wren, they are loud for their size.")).toBeVisible();

  await lena.goto(postUrl);
  await lena
    .getByRole("region", { name: "Replies" })
    .getByRole("link", { name: /^\d+[smhd]$|^now$/ })
    .first()
    .click();
  await lena.getByLabel("Reply to @jun").fill("Good point, wren it is.");
  await lena.getByRole("button", { name: "Reply", exact: true }).click();
  await expect(lena.getByRole("region", { name: "Replies" }).getByText("Good point, wren it is.")).toBeVisible();
  await lena.goto(postUrl);
  await expect(lena.getByRole("region", { name: "Replies" }).getByText("Good point, wren it is.")).toBeVisible();

  // Jun quotes it.
  await jun.goto(postUrl);
  // Quote sits with Repost in one menu, as on X.
  await jun.locator("summary", { hasText: "Repost or quote" }).first().click();
  await jun.getByRole("link", { name: "Quote" }).first().click();
  await expect(jun.getByText("Quoting @lena")).toBeVisible();
  await jun.getByRole("form", { name: "New post" }).getByLabel("What's happening?").fill("Help Lena pick a bird!");
  await jun.getByRole("form", { name: "New post" }).getByRole("button", { name: "Post", exact: true }).click();
  await expect(jun).toHaveURL(/\/jun\/status\/\d+$/);
  await expect(jun.getByRole("blockquote").getByText("Which bird should I look for this weekend?")).toBeVisible();

  // Dev likes it with JavaScript off: a plain form post that comes back to the page.
  const dev = await signedInAs(browser, "dev", { javaScriptEnabled: false });
  await dev.goto(postUrl);
  await dev.getByRole("button", { name: "Like, 0 likes" }).first().click();
  // Back on the same page, at the same post (its anchor), not at the top.
  await expect(dev).toHaveURL(new RegExp(`${postUrl}#post-\\d+$`));
  await expect(dev.getByRole("button", { name: "Like, 1 like" }).first()).toHaveAttribute("aria-pressed", "true");

  // Lena edits it, and the history keeps what it said before.
  await lena.goto(postUrl);
  await lena.locator("summary", { hasText: "Your post: actions" }).first().click();
  await lena.getByRole("link", { name: "Edit", exact: true }).click();
  await lena.getByLabel("Text", { exact: true }).fill("Which bird should I look for this weekend? Robin or wren? #birds");
  await lena.getByLabel("Description of attachment 2 (alt text)").fill("A wren singing in a hedge");
  expect(await seriousAccessibilityViolations(lena)).toEqual([]);
  await lena.getByRole("button", { name: "Save changes" }).click();
  await expect(lena).toHaveURL(new RegExp(`${postUrl}$`));
  await expect(lena.getByRole("img", { name: "A wren singing in a hedge" }).first()).toBeVisible();
  // The poll kept its votes: the edit left the question as it was.
  await expect(lena.getByText(/^1 person voted/).first()).toBeVisible();
  await lena
    .getByRole("link", { name: /^Edited/ })
    .first()
    .click();
  await expect(lena.getByRole("heading", { name: "Edit history" })).toBeVisible();
  await expect(lena.getByText("Robin or wren?")).toBeVisible();
  await expect(lena.getByText("Original")).toBeVisible();
  expect(await seriousAccessibilityViolations(lena)).toEqual([]);

  for (const page of [lena, jun, dev]) await page.context().close();
});
