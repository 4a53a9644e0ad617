import { expect, signedInAs, test } from "./fixtures.ts";

test("following someone brings their new posts into the Following feed", async ({ browser }) => {
  test.setTimeout(120_000);
  const reader = await signedInAs(browser, "hana");
  await reader.goto("/dev");
  // The demo graph is random: start from not following, whatever it drew.
  const unfollow = reader.getByRole("button", { name: "Unfollow" });
  if (await unfollow.isVisible()) await unfollow.click();
  await reader.getByRole("button", { name: "Follow", exact: true }).click();
  await expect(unfollow).toBeVisible();

  const text = `Deployed on a Friday and lived ${Date.now()}`;
  const author = await signedInAs(browser, "dev");
  await author.goto("/compose");
  const composer = author.getByRole("form", { name: "New post" });
  await composer.getByLabel("What's happening?").fill(text);
  await composer.getByRole("button", { name: "Post", exact: true }).click();
  await expect(author).toHaveURL(/\/dev\/status\/\d+$/);

  // Fan-out runs on the queue, so the post reaches the reader's feed moments after it is published.
  await expect(async () => {
    await reader.goto("/?feed=following");
    await expect(reader.getByRole("heading", { level: 1, name: "Following" })).toBeVisible();
    await expect(reader.getByText(text)).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
});
