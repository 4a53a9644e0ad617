import { expect, signedInAs, test } from "./fixtures.ts";

/**
 * Pages get better with the socket (issue 14): two people in two browsers, nobody reloads. Everyone in the demo follows
 * alice, so bruno's home hears her posts.
 */
test("B likes A's post: A's badge and the post's like count update live; B posts: A is offered 'Show 1 new post'", async ({ browser }) => {
  test.setTimeout(120_000);
  const bruno = await signedInAs(browser, "bruno");
  const alice = await signedInAs(browser, "alice");

  // Bruno reads his notifications (the badge clears), writes a post and stays on its page.
  await bruno.goto("/notifications");
  await bruno.goto("/compose");
  const composer = bruno.getByRole("form", { name: "New post" });
  await composer.getByLabel("What's happening?").fill("Live counts, please");
  await composer.getByRole("button", { name: "Post", exact: true }).click();
  await expect(bruno).toHaveURL(/\/bruno\/status\/\d+$/);
  const postUrl = new URL(bruno.url()).pathname;
  const badge = bruno.locator("[data-unread-badge]").filter({ visible: true });
  await expect(badge).toHaveCount(0);
  await expect(bruno.getByRole("button", { name: "Like, 0 likes" }).first()).toBeVisible();
  // The page's sockets are open once the shell has said it listens; give them a moment after hydration.
  await bruno.waitForLoadState("networkidle");

  await alice.goto(postUrl);
  await alice.getByRole("button", { name: "Like, 0 likes" }).first().click();
  await expect(alice.getByRole("button", { name: "Like, 1 like" }).first()).toHaveAttribute("aria-pressed", "true");

  await expect(badge).toHaveText(/^1\s*unread$/, { timeout: 20_000 });
  await expect(bruno.getByRole("button", { name: "Like, 1 like" }).first()).toBeVisible({ timeout: 20_000 });

  // Bruno goes home (Following); Alice posts; the notice comes without a reload.
  await bruno.goto("/?feed=following");
  await bruno.waitForLoadState("networkidle");
  await alice.goto("/compose");
  const aliceComposer = alice.getByRole("form", { name: "New post" });
  await aliceComposer.getByLabel("What's happening?").fill("Fresh from Alice, live");
  await aliceComposer.getByRole("button", { name: "Post", exact: true }).click();
  await expect(alice).toHaveURL(/\/alice\/status\/\d+$/);

  const notice = bruno.getByRole("button", { name: "Show 1 new post" });
  await expect(notice).toBeVisible({ timeout: 20_000 });
  await notice.click();
  await expect(bruno.getByText("Fresh from Alice, live")).toBeVisible();
});

test("A messages B while B is on /messages: B's Messages badge and the conversation's unread count come without a reload", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const farah = await signedInAs(browser, "farah");
  const alice = await signedInAs(browser, "alice");

  // Alice opens her conversation with farah (who follows her, so it reaches her inbox) and reads it to the end.
  await alice.goto("/farah");
  await alice.getByRole("button", { name: "Message", exact: true }).click();
  await expect(alice).toHaveURL(/\/messages\/[^/]+$/);
  const path = new URL(alice.url()).pathname;

  await farah.goto("/messages");
  await farah.waitForLoadState("networkidle");
  const badge = farah
    .getByRole("navigation", { name: "Primary" })
    .getByRole("link", { name: /Messages/ })
    .locator("[data-unread-badge]");
  const before = Number((await badge.count()) ? (await badge.innerText()).replace(/\D/g, "") : 0);
  await farah.evaluate(() => Object.assign(window, { stillHere: true }));

  const box = alice.getByLabel("Message", { exact: true });
  await box.fill("Are you around for coffee?");
  await alice.getByRole("button", { name: "Send", exact: true }).click();

  await expect(badge).toHaveText(new RegExp(`^${before + 1}\\s*unread$`), { timeout: 20_000 });
  const row = farah.getByRole("list", { name: "Conversations" }).getByRole("link", { name: /Alice Nakamura/ });
  await expect(row).toHaveAttribute("href", path);
  await expect(row.getByText(/unread/)).toBeVisible();
  expect(await farah.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
});
