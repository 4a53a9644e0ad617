import { expect, seriousAccessibilityViolations, signedInAs, test } from "./fixtures.ts";

test("a post is reported, an admin removes it from /admin, and its author sees why and appeals", async ({ browser }) => {
  // Three people sign in and two pages are checked with axe: past 30 s on a busy 2-core machine.
  test.setTimeout(180_000);
  const text = `Nobody here can play chess ${Date.now()}`;

  const kofi = await signedInAs(browser, "kofi");
  const composer = kofi.getByRole("form", { name: "New post" });
  await composer.getByLabel("What's happening?").fill(text);
  await composer.getByRole("button", { name: "Post", exact: true }).click();
  await expect(kofi).toHaveURL(/\/kofi\/status\/\d+$/);
  const postUrl = new URL(kofi.url()).pathname;

  // Hana reports it from the post's menu.
  const hana = await signedInAs(browser, "hana");
  await hana.goto(postUrl);
  const post = hana.getByRole("article").filter({ hasText: text });
  await post.getByTitle("More").click();
  await post.getByRole("link", { name: "Report this post" }).click();
  await expect(hana.getByRole("heading", { name: "Report @kofi" })).toBeVisible();
  await hana.getByRole("radio", { name: /Harassment/ }).check();
  await hana.getByLabel("Anything the moderators should know? (optional)").fill("Picks on people in every thread");
  expect(await seriousAccessibilityViolations(hana)).toEqual([]);
  await hana.getByRole("button", { name: "Send report" }).click();
  await expect(hana.getByText("Thank you: your report went to the moderators.")).toBeVisible();

  // Alice, an admin, finds it in /admin and removes the post with a reason.
  const alice = await signedInAs(browser, "alice");
  await alice.goto("/admin");
  const report = alice.getByRole("listitem").filter({ hasText: "Picks on people in every thread" });
  await expect(report.getByText(text)).toBeVisible();
  await report.getByLabel("Action").selectOption("remove_post");
  await report.getByLabel(/^Reason/).fill("Insults other members");
  await report.getByRole("button", { name: "Apply" }).click();
  await expect(alice.getByText("Done, and recorded in the audit log.")).toBeVisible();
  await expect(alice.getByText("Picks on people in every thread")).toHaveCount(0);

  // Hana no longer sees the post; Kofi sees what happened and appeals, once.
  await hana.goto(postUrl);
  await expect(hana.getByText(text)).toHaveCount(0);
  await kofi.goto("/settings/moderation");
  await expect(kofi.getByText("Post removed")).toBeVisible();
  await expect(kofi.getByText("Insults other members")).toBeVisible();
  expect(await seriousAccessibilityViolations(kofi)).toEqual([]);
  await kofi.getByLabel("Appeal: why is this wrong?").fill("It was about a chess club joke");
  await kofi.getByRole("button", { name: "Send appeal" }).click();
  await expect(kofi.getByText("Your appeal was sent.")).toBeVisible();
  await expect(kofi.getByText("You appealed; a moderator will answer.")).toBeVisible();
  await expect(kofi.getByRole("button", { name: "Send appeal" })).toHaveCount(0);

  for (const page of [kofi, hana, alice]) await page.context().close();
});
