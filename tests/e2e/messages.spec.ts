import type { Browser, Page } from "@playwright/test";
import { identiconPng } from "../../db/seed/artwork.ts";
import { expect, signedInAs, strictAccessibilityViolations, test } from "./fixtures.ts";

/**
 * Messages between two people in two browsers (issue 15). Everyone in the demo follows alice, so what she sends lands
 * in the other's inbox, not in Requests. With JavaScript the conversation is live: nobody reloads. Without it, every
 * action is a plain form.
 */

/** A signed-in browser of its own whose page errors (and console errors) fail the test, as the page fixture's do. */
async function person(browser: Browser, username: string, options: { javaScriptEnabled?: boolean } = {}) {
  const page = await signedInAs(browser, username, options);
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return { page, errors };
}

/** The one-to-one conversation with someone, opened from their profile's Message button. */
async function openConversationWith(page: Page, username: string): Promise<string> {
  await page.goto(`/${username}`);
  await page.getByRole("button", { name: "Message", exact: true }).click();
  await expect(page).toHaveURL(/\/messages\/[^/]+$/);
  return new URL(page.url()).pathname;
}

const messageItem = (page: Page, text: string) =>
  page.getByRole("list", { name: "Messages" }).getByRole("listitem").filter({ hasText: text });

test.describe("messages with JavaScript", () => {
  test("A messages B: each sees the other active, B sees it live within a second, sees A typing, A sees Seen; reactions and deletions follow; a refused send offers Retry; a file arrives live @phone", async ({
    browser,
  }, testInfo) => {
    test.setTimeout(120_000);
    const alice = await person(browser, "alice");
    const bruno = await person(browser, "bruno");
    const path = await openConversationWith(alice.page, "bruno");
    await bruno.page.goto(path);
    await expect(bruno.page.getByRole("heading", { level: 1, name: "Alice Nakamura" })).toBeVisible();
    // Both rooms' sockets are open: the list says so once the socket is.
    await expect(alice.page.locator('ol[data-live="on"]')).toBeVisible({ timeout: 15_000 });
    await expect(bruno.page.locator('ol[data-live="on"]')).toBeVisible({ timeout: 15_000 });
    await expect(alice.page.getByText("Active now", { exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(bruno.page.getByText("Active now", { exact: true })).toBeVisible({ timeout: 15_000 });
    // A reload would clear this: its survival shows nothing reloaded.
    await bruno.page.evaluate(() => Object.assign(window, { stillHere: true }));

    const text = `Live hello from alice (${testInfo.project.name} ${Date.now()})`;
    const box = alice.page.getByLabel("Message", { exact: true });
    await box.pressSequentially("Live hel");
    await expect(bruno.page.getByText("Alice Nakamura is typing…")).toBeVisible({ timeout: 10_000 });
    await box.fill(text);
    await alice.page.getByRole("button", { name: "Send", exact: true }).click();
    const sent = Date.now();
    // The sender's message is shown at once (sending, then stored), and the box is empty for the next one.
    await expect(messageItem(alice.page, text)).toBeVisible();
    await expect(box).toHaveValue("");
    await expect(messageItem(bruno.page, text)).toBeVisible({ timeout: 1_000 });
    const arrivedAfter = Date.now() - sent;
    testInfo.annotations.push({ type: "live arrival", description: `${arrivedAfter} ms` });
    expect(await bruno.page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    await expect(bruno.page.getByText("Alice Nakamura is typing…")).toBeHidden();
    await expect(messageItem(alice.page, text).getByText("Sending…")).toBeHidden();

    // Bruno had it on screen: his read marker moved, and alice is told.
    await expect(messageItem(alice.page, text).getByText("Seen", { exact: true })).toBeVisible({ timeout: 15_000 });

    // Bruno reacts; alice sees the reaction without reloading. Alice deletes it for everyone; bruno sees the marker.
    await messageItem(bruno.page, text).getByRole("button", { name: "React 👍" }).click();
    await expect(messageItem(alice.page, text).getByLabel("Reactions")).toHaveText("👍 1", { timeout: 15_000 });
    const id = await messageItem(alice.page, text).getAttribute("id");
    await messageItem(alice.page, text).getByRole("button", { name: "Delete for everyone" }).click();
    await expect(bruno.page.locator(`#${id}`).getByText("This message was deleted")).toBeVisible({ timeout: 15_000 });
    expect(await bruno.page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);

    expect(await strictAccessibilityViolations(bruno.page)).toEqual([]);

    // A send the room refuses (a reply to a message not in this conversation) shows why, with Retry, keeping the text.
    const refused = `Refused reply (${testInfo.project.name} ${Date.now()})`;
    await alice.page.locator("#reply-to").evaluate((select) => {
      select.insertAdjacentHTML("beforeend", '<option value="0000000000000000">not in this conversation</option>');
      (select as unknown as { value: string }).value = "0000000000000000";
    });
    await box.fill(refused);
    await alice.page.getByRole("button", { name: "Send", exact: true }).click();
    const failed = messageItem(alice.page, refused);
    await expect(failed.getByText("Not sent: The message replied to is not in this conversation")).toBeVisible({ timeout: 10_000 });
    await failed.getByRole("button", { name: "Retry" }).click();
    await expect(failed.getByText("Not sent: The message replied to is not in this conversation")).toBeVisible({ timeout: 10_000 });
    await failed.getByRole("button", { name: "Discard" }).click();
    await expect(failed).toHaveCount(0);
    await expect(messageItem(bruno.page, refused)).toHaveCount(0);

    // A file goes up with the form (the socket carries text only), and reaches bruno live, as a named download.
    const fileName = `notes-${Date.now()}.txt`;
    await alice.page
      .getByLabel("Attach files")
      .setInputFiles({ name: fileName, mimeType: "text/plain", buffer: Buffer.from("Bring a torch\n") });
    await alice.page.getByRole("button", { name: "Send", exact: true }).click();
    await expect(bruno.page.getByRole("link", { name: new RegExp(fileName) })).toBeVisible({ timeout: 15_000 });
    await expect(bruno.page.getByRole("link", { name: new RegExp(fileName) })).toHaveAttribute("download", fileName);
    expect(await bruno.page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    expect([...alice.errors, ...bruno.errors]).toEqual([]);
    await alice.page.context().close();
    await bruno.page.context().close();
  });
});

test.describe("messages without JavaScript", () => {
  test("send, reply to a message, react, edit, search, delete for everyone and send a picture, all as plain forms @phone", async ({
    browser,
  }, testInfo) => {
    test.setTimeout(120_000);
    const alice = await person(browser, "alice", { javaScriptEnabled: false });
    const chioma = await person(browser, "chioma", { javaScriptEnabled: false });
    const stamp = `${testInfo.project.name} ${Date.now()}`;

    const path = await openConversationWith(alice.page, "chioma");
    const first = `Plain form hello (${stamp})`;
    await alice.page.getByLabel("Message", { exact: true }).fill(first);
    await alice.page.getByRole("button", { name: "Send", exact: true }).click();
    await expect(messageItem(alice.page, first)).toBeVisible();

    await chioma.page.goto(path);
    await expect(messageItem(chioma.page, first)).toBeVisible();
    const reply = `A plain reply (${stamp})`;
    await chioma.page.getByLabel("Message", { exact: true }).fill(reply);
    await chioma.page.getByLabel("Reply to").selectOption({ label: `Alice Nakamura: ${first.slice(0, 40)}` });
    await chioma.page.getByRole("button", { name: "Send", exact: true }).click();
    await expect(messageItem(chioma.page, reply).getByRole("link", { name: "In reply to an earlier message" })).toBeVisible();
    await messageItem(chioma.page, first).getByRole("button", { name: "React 👍" }).click();
    await expect(messageItem(chioma.page, first).getByLabel("Reactions")).toHaveText("👍 1");

    // Her own message edited, and the conversation searched, still as a plain form and a GET.
    await messageItem(chioma.page, reply)
      .getByRole("link", { name: /^Edit your message/ })
      .click();
    const edited = `An edited reply (${stamp})`;
    await chioma.page.getByLabel("Edit your message", { exact: true }).fill(edited);
    await chioma.page.getByRole("button", { name: "Save edit" }).click();
    await expect(messageItem(chioma.page, edited).getByText("Edited", { exact: true })).toBeVisible();
    await chioma.page.getByRole("searchbox", { name: "Search this conversation" }).fill("edited reply");
    await chioma.page.getByRole("button", { name: "Search", exact: true }).click();
    await expect(chioma.page.getByRole("heading", { name: "Messages with “edited reply”" })).toBeVisible();

    await alice.page.goto(path);
    await expect(messageItem(alice.page, edited)).toBeVisible();
    const id = await messageItem(alice.page, first).getAttribute("id");
    await messageItem(alice.page, first).getByRole("button", { name: "Delete for everyone" }).click();
    await expect(alice.page.locator(`#${id}`).getByText("This message was deleted")).toBeVisible();

    // A picture with its description, sent with the same plain form; only members can load it.
    await alice.page.getByLabel("Attach files").setInputFiles({
      name: "tile.png",
      mimeType: "image/png",
      buffer: Buffer.from(await identiconPng(`e2e-chat ${stamp}`, 96)),
    });
    await alice.page.getByText("Describe the files (alt text)").click();
    await alice.page.getByLabel("Description of file 1").fill(`A purple tile (${stamp})`);
    await alice.page.getByRole("button", { name: "Send", exact: true }).click();
    await expect(alice.page.getByRole("img", { name: `A purple tile (${stamp})` })).toBeVisible();
    // The sender may cover a picture; without JavaScript the cover opens all the same.
    await alice.page.getByLabel("Attach files").setInputFiles({
      name: "covered.png",
      mimeType: "image/png",
      buffer: Buffer.from(await identiconPng(`e2e-covered ${stamp}`, 96)),
    });
    await alice.page.getByText("Describe the files (alt text)").click();
    await alice.page.getByLabel("Description of file 1").fill(`A covered tile (${stamp})`);
    await alice.page.getByLabel("Mark the files sensitive").check();
    await alice.page.getByRole("button", { name: "Send", exact: true }).click();
    // The newest message is the last: each project's run leaves its own in this conversation.
    await expect(alice.page.getByText("Sensitive content — Show").last()).toBeVisible();

    await chioma.page.reload();
    const covered = chioma.page.getByRole("img", { name: `A covered tile (${stamp})` });
    await expect(covered).toBeHidden();
    await chioma.page.getByText("Sensitive content — Show").last().click();
    await expect(covered).toBeVisible();
    await expect(chioma.page.locator(`#${id}`).getByText("This message was deleted")).toBeVisible();
    await expect(chioma.page.getByText(first)).toHaveCount(0);
    const picture = chioma.page.getByRole("img", { name: `A purple tile (${stamp})` });
    await expect(picture).toBeVisible();
    expect(await picture.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth)).toBe(96);
    // axe runs in the page, so it needs JavaScript: the same person's page, checked in a browser that has it.
    const checker = await (await browser.newContext({ storageState: await chioma.page.context().storageState() })).newPage();
    for (const view of [path, `${path}?q=${encodeURIComponent("edited reply")}`]) {
      await checker.goto(view);
      expect([view, await strictAccessibilityViolations(checker)]).toEqual([view, []]);
    }
    await checker.context().close();
    expect([...alice.errors, ...chioma.errors]).toEqual([]);
    await alice.page.context().close();
    await chioma.page.context().close();
  });
});

test.describe("sending a post in a message", () => {
  test("from a post's menu to a conversation, shown there as a card @phone", async ({ browser }, testInfo) => {
    test.setTimeout(90_000);
    const alice = await person(browser, "alice");
    const path = await openConversationWith(alice.page, "bruno");
    await alice.page.goto("/bruno");
    const post = alice.page.getByRole("article").first();
    await post.getByTitle("More").click();
    await post.getByRole("link", { name: "Send in a message" }).click();
    await expect(alice.page.getByRole("heading", { level: 1, name: "Send in a message" })).toBeVisible();
    expect(await strictAccessibilityViolations(alice.page)).toEqual([]);
    const note = `Have you seen this? (${testInfo.project.name} ${Date.now()})`;
    await alice.page.getByRole("radio", { name: "Bruno Costa" }).check();
    await alice.page.getByLabel("Add a message").fill(note);
    await alice.page.getByRole("button", { name: "Send", exact: true }).click();
    await expect(alice.page).toHaveURL(new RegExp(`${path}$`));
    await expect(messageItem(alice.page, note).getByRole("link", { name: /Open the post/ })).toBeVisible();
    expect(alice.errors).toEqual([]);
    await alice.page.context().close();
  });
});

test.describe("messages and moderation", () => {
  test("a message with a blocked word leaves the other member's open page and shows held to its sender; a member reports a message from its page", async ({
    browser,
  }) => {
    test.setTimeout(180_000);
    const word = `grebulon${Date.now()}`;
    const alice = await person(browser, "alice");
    await alice.page.goto("/admin/settings");
    const words = alice.page.getByRole("textbox", { name: /Blocked words/ });
    await words.fill(`${await words.inputValue()}\n${word}`.trim());
    await alice.page.locator("form", { has: words }).getByRole("button", { name: "Save" }).click();
    await expect(alice.page.getByText("Moderation settings saved.")).toBeVisible();

    const ivan = await person(browser, "ivan");
    const path = await openConversationWith(alice.page, "ivan");
    await ivan.page.goto(path);
    await expect(alice.page.locator('ol[data-live="on"]')).toBeVisible({ timeout: 15_000 });
    await expect(ivan.page.locator('ol[data-live="on"]')).toBeVisible({ timeout: 15_000 });

    const plain = `Plain words for a report (${word.slice(-6)})`;
    const held = `Buy ${word} now`;
    for (const text of [plain, held]) {
      await alice.page.getByLabel("Message", { exact: true }).fill(text);
      await alice.page.getByRole("button", { name: "Send", exact: true }).click();
      await expect(messageItem(alice.page, text)).toBeVisible();
    }
    await expect(messageItem(ivan.page, held)).toBeVisible({ timeout: 5_000 });
    // The moderation queue holds it: it goes from the other member's open page, and its sender sees why.
    await expect(messageItem(ivan.page, held)).toHaveCount(0, { timeout: 30_000 });
    await expect(messageItem(alice.page, held).getByText(/Held for review/)).toBeVisible({ timeout: 30_000 });
    await ivan.page.reload();
    await expect(messageItem(ivan.page, plain)).toBeVisible();
    await expect(messageItem(ivan.page, held)).toHaveCount(0);

    await messageItem(ivan.page, plain)
      .getByRole("link", { name: /Report/ })
      .click();
    await expect(ivan.page.getByRole("heading", { name: "Report a message" })).toBeVisible();
    await expect(ivan.page.getByText(plain)).toBeVisible();
    expect(await strictAccessibilityViolations(ivan.page)).toEqual([]);
    await ivan.page.getByRole("radio", { name: /Harassment/ }).check();
    await ivan.page.getByLabel(/Anything the moderators should know/).fill("Not welcome");
    await ivan.page.getByRole("button", { name: "Send report" }).click();
    await expect(ivan.page).toHaveURL(new RegExp(`${path}$`));
    await expect(ivan.page.getByText("your report went to the moderators")).toBeVisible();

    await alice.page.goto("/admin/queue");
    await expect(alice.page.getByRole("region", { name: /Held chat messages/ }).getByText(held)).toBeVisible();
    expect([...alice.errors, ...ivan.errors]).toEqual([]);
    await alice.page.context().close();
    await ivan.page.context().close();
  });
});
