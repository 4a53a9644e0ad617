import { expect, seriousAccessibilityViolations, signedInAs, strictAccessibilityViolations, test } from "./fixtures.ts";

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

  // Alice, an admin, finds it in /admin/reports and removes the post with a reason.
  const alice = await signedInAs(browser, "alice");
  await alice.goto("/admin/reports");
  const report = alice.getByRole("listitem").filter({ hasText: "Picks on people in every thread" });
  await report.getByRole("link", { name: /@kofi, reported by @hana/ }).click();
  await expect(alice.getByText(text).first()).toBeVisible();
  await alice.getByLabel("Action").selectOption("remove_post");
  await alice.getByLabel(/^Reason/).fill("Insults other members");
  await alice.getByRole("button", { name: "Apply" }).click();
  await expect(alice.getByText("Done, and recorded in the audit log.")).toBeVisible();
  await alice.goto("/admin/reports");
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

test("a reported account limited by an admin vanishes from the public timeline for a stranger", async ({ browser }) => {
  test.setTimeout(180_000);
  const text = `Hourly forecast, limited edition ${Date.now()}`;
  const gus = await signedInAs(browser, "gus");
  const composer = gus.getByRole("form", { name: "New post" });
  await composer.getByLabel("What's happening?").fill(text);
  await composer.getByRole("button", { name: "Post", exact: true }).click();
  await expect(gus).toHaveURL(/\/gus\/status\/\d+$/);
  const postUrl = new URL(gus.url()).pathname;

  const stranger = await (await browser.newContext()).newPage();
  await stranger.goto("/");
  await expect(stranger.getByText(text)).toBeVisible();

  const hana = await signedInAs(browser, "hana");
  await hana.goto(postUrl);
  const post = hana.getByRole("article").filter({ hasText: text });
  await post.getByTitle("More").click();
  await post.getByRole("link", { name: "Report this post" }).click();
  await hana.getByRole("radio", { name: /Spam/ }).check();
  await hana.getByLabel("Anything the moderators should know? (optional)").fill("Posts the same forecast everywhere");
  await hana.getByRole("button", { name: "Send report" }).click();
  await expect(hana.getByText("Thank you: your report went to the moderators.")).toBeVisible();

  const alice = await signedInAs(browser, "alice");
  await alice.goto("/admin/reports");
  await alice
    .getByRole("listitem")
    .filter({ hasText: "Posts the same forecast everywhere" })
    .getByRole("link", { name: /@gus, reported by @hana/ })
    .click();
  await alice.getByRole("button", { name: "Assign to me" }).click();
  await expect(alice.getByText("The report is yours.")).toBeVisible();
  await alice.getByLabel("Action").selectOption("limit");
  await alice.getByLabel(/^Reason/).fill("Repetitive posts");
  await alice.getByRole("button", { name: "Apply" }).click();
  await expect(alice.getByText("Done, and recorded in the audit log.")).toBeVisible();

  await stranger.goto("/");
  await expect(stranger.getByRole("article").first()).toBeVisible();
  await expect(stranger.getByText(text)).toHaveCount(0);
  await alice.goto("/admin/audit?action=limit");
  await expect(alice.getByRole("cell", { name: "Repetitive posts" })).toBeVisible();

  for (const page of [gus, hana, alice, stranger]) await page.context().close();
});

test("a filter hides a matching post behind a warning", async ({ browser }) => {
  test.setTimeout(120_000);
  const word = `quokkas${Date.now()}`;
  const kofi = await signedInAs(browser, "kofi");
  const composer = kofi.getByRole("form", { name: "New post" });
  await composer.getByLabel("What's happening?").fill(`All about ${word} today`);
  await composer.getByRole("button", { name: "Post", exact: true }).click();
  await expect(kofi).toHaveURL(/\/kofi\/status\/\d+$/);

  const hana = await signedInAs(browser, "hana");
  await hana.goto("/settings/filters");
  await hana.getByLabel("Title").fill("Marsupials");
  await hana.getByLabel("Words and phrases").fill(word);
  await hana.getByRole("checkbox", { name: "Profiles" }).check();
  await hana.getByRole("radio", { name: /Warn/ }).check();
  await hana.getByRole("button", { name: "Save filter" }).click();
  // Leaving before the answer comes would cancel the save.
  await expect(hana.getByText("Filter saved.")).toBeVisible();
  await hana.goto("/kofi");
  const warning = hana.getByText("Filtered: Marsupials");
  await expect(warning).toBeVisible();
  await expect(hana.getByText(`All about ${word} today`)).toBeHidden();
  await warning.click();
  await expect(hana.getByText(`All about ${word} today`)).toBeVisible();
  for (const page of [kofi, hana]) await page.context().close();
});

test("the admin pages pass axe @phone", async ({ browser }) => {
  // Seven pages through axe: about 30 s each on a loaded 2-core machine.
  test.setTimeout(420_000);
  const alice = await signedInAs(browser, "alice");
  for (const path of [
    "/admin",
    "/admin/reports",
    "/admin/queue",
    "/admin/audit",
    "/admin/settings",
    "/admin/emoji",
    "/admin/email-blocks",
  ]) {
    await alice.goto(path);
    await expect(alice.getByRole("navigation", { name: "Admin" })).toBeVisible();
    expect([path, await strictAccessibilityViolations(alice)]).toEqual([path, []]);
  }
  await alice.context().close();
});
