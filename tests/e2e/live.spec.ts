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
