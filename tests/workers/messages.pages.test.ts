import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { conversations, users } from "#db/schema/index.ts";
import { identiconPng } from "#db/seed/artwork.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { deletePost } from "#domain/posts/removal.ts";
import { block } from "#domain/graph/blocks.ts";
import { follow } from "#domain/graph/follows.ts";
import { noteSeen, updateChatSettings } from "#domain/messages/settings.ts";
import { asUser, eventually, fetchWorker, getPage, ORIGIN, postForm, sessionOf, testDomain } from "./support.ts";

const ctx = testDomain();
let count = 0;

async function signedIn() {
  count += 1;
  const user = await makeUser(ctx, { username: `pager${count}`, password: "a long enough password", displayName: `Pager ${count}` });
  const cookie = sessionOf(
    await postForm("/login", { identifier: user.username, password: "a long enough password" }, { ip: `192.0.2.${200 + count}` }),
  );
  return { user, cookie };
}

describe("the /messages pages, without JavaScript", () => {
  it("start a conversation from a profile, send with a plain form, show it escaped, badge and list it for the other", async () => {
    const ana = await signedIn();
    const ben = await signedIn();
    await follow(ctx, ben.user.id, ana.user.id);
    const started = await postForm("/messages", { recipient: ben.user.id }, { cookie: ana.cookie });
    expect(started.status).toBe(302);
    const path = started.headers.get("Location")!;
    expect(path).toMatch(/^\/messages\/\d+$/);
    const sent = await postForm(
      path,
      { intent: "send", clientId: "page-1", text: "<script>alert(1)</script> hi Ben" },
      { cookie: ana.cookie },
    );
    expect(sent.status).toBe(302);
    // The same form sent twice (a double submit) stores one message.
    await postForm(path, { intent: "send", clientId: "page-1", text: "<script>alert(1)</script> hi Ben" }, { cookie: ana.cookie });

    const home = await getPage("/", ben.cookie);
    expect(home.html).toMatch(/href="\/messages"[^]*?data-unread-badge[^>]*>1<span class="sr-only"> unread<\/span>/);
    const list = await getPage("/messages", ben.cookie);
    expect(list.html).toContain("Pager");
    const { response, html } = await getPage(path, ben.cookie);
    expect(response.status).toBe(200);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; hi Ben");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html.match(/hi Ben<\/span><\/p>/g)).toHaveLength(1);
    expect((await getPage("/messages", ben.cookie)).html).not.toContain("99+");
  });

  it("keep what was typed when a message is refused, and answer 404 to non-members", async () => {
    const ana = await signedIn();
    const ben = await signedIn();
    const eve = await signedIn();
    await follow(ctx, ben.user.id, ana.user.id);
    const path = (await postForm("/messages", { recipient: ben.user.id }, { cookie: ana.cookie })).headers.get("Location")!;
    const refused = await postForm(path, { intent: "send", clientId: "x", text: "   " }, { cookie: ana.cookie });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("A message cannot be empty");
    expect((await getPage(path, eve.cookie)).response.status).toBe(404);
    expect((await postForm(path, { intent: "send", clientId: "y", text: "let me in" }, { cookie: eve.cookie })).status).toBe(404);
  });

  it("send files with a plain multipart form: pictures with their alt text, documents as named downloads", async () => {
    const ana = await signedIn();
    const ben = await signedIn();
    await follow(ctx, ben.user.id, ana.user.id);
    const path = (await postForm("/messages", { recipient: ben.user.id }, { cookie: ana.cookie })).headers.get("Location")!;
    const form = new FormData();
    form.set("intent", "send");
    form.set("clientId", "files-1");
    form.set("text", "");
    form.append("media", new File([(await identiconPng("page", 48)) as Uint8Array<ArrayBuffer>], "sunset.png", { type: "image/png" }));
    form.append("media", new File(["Shopping: bread, figs\n"], "list.txt", { type: "text/plain" }));
    form.append("alt", "Orange sky over the bay");
    form.append("alt", "");
    expect((await postForm(path, form, { cookie: ana.cookie })).status).toBe(302);

    const { html } = await getPage(path, ben.cookie);
    const image = html.match(/<img src="(\/media\/chats\/[^"]+\/small)" alt="Orange sky over the bay"/);
    expect(image).toBeTruthy();
    expect(html).toMatch(/<a href="\/media\/chats\/[^"]+\/original" download="list.txt"[^>]*>.*list\.txt.*Text, 22 bytes/);
    expect((await fetchWorker(image![1]!, { headers: { Cookie: ben.cookie } })).status).toBe(200);
    expect((await fetchWorker(image![1]!)).status).toBe(404);
  });

  it("keep the files already uploaded when a send is refused, and send them on the next try", async () => {
    const ana = await signedIn();
    const ben = await signedIn();
    await follow(ctx, ben.user.id, ana.user.id);
    const path = (await postForm("/messages", { recipient: ben.user.id }, { cookie: ana.cookie })).headers.get("Location")!;
    const form = new FormData();
    form.set("intent", "send");
    form.set("clientId", "files-2");
    form.set("text", "x".repeat(5000));
    form.append("media", new File(["Agenda\n"], "agenda.txt", { type: "text/plain" }));
    const refused = await postForm(path, form, { cookie: ana.cookie });
    expect(refused.status).toBe(422);
    const page = await refused.text();
    const kept = page.match(/name="keepMedia"[^>]*value="(\d+)"/);
    expect(kept).toBeTruthy();
    expect(page).toContain("agenda.txt (7 bytes)");
    const unsupported = new FormData();
    unsupported.set("intent", "send");
    unsupported.set("clientId", "files-3");
    unsupported.set("text", "");
    unsupported.append(
      "media",
      new File([new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff])], "tool.exe"),
    );
    const refusedType = await postForm(path, unsupported, { cookie: ana.cookie });
    expect(refusedType.status).toBe(415);
    expect(await refusedType.text()).toContain("a PDF or a plain-text file");
    const retry = await postForm(
      path,
      { intent: "send", clientId: "files-2", text: "Here it is", keepMedia: kept![1]! },
      { cookie: ana.cookie },
    );
    expect(retry.status).toBe(302);
    expect((await getPage(path, ben.cookie)).html).toContain('download="agenda.txt"');
  });

  it("send a post into a conversation from its menu, shown as a card until the post is gone", async () => {
    const ana = await signedIn();
    const ben = await signedIn();
    await follow(ctx, ben.user.id, ana.user.id);
    const path = (await postForm("/messages", { recipient: ben.user.id }, { cookie: ana.cookie })).headers.get("Location")!;
    const conversationId = path.split("/").pop()!;
    const shared = await makePost(ctx, ben.user, { text: "Herons at the weir this morning" });
    const postPage = await getPage(`/${ben.user.username}/status/${shared.id}`, ana.cookie);
    expect(postPage.html).toContain(`href="/messages/share?post=${shared.id}"`);

    const share = `/messages/share?post=${shared.id}`;
    const picker = await getPage(share, ana.cookie);
    expect(picker.response.status).toBe(200);
    expect(picker.html).toContain("Herons at the weir this morning");
    expect(picker.html).toContain(`value="${conversationId}"`);
    const unchosen = await postForm(share, { post: shared.id, clientId: "share-1", text: "Look" }, { cookie: ana.cookie });
    expect(unchosen.status).toBe(422);
    const again = await unchosen.text();
    expect(again).toContain("Choose a conversation");
    expect(again).toContain(">Look</textarea>");
    const sent = await postForm(
      share,
      { post: shared.id, clientId: "share-1", text: "Look", conversation: conversationId },
      { cookie: ana.cookie },
    );
    expect(sent.status).toBe(302);
    expect(sent.headers.get("Location")).toBe(path);

    const seen = await getPage(path, ben.cookie);
    expect(seen.html).toContain(`href="/${ben.user.username}/status/${shared.id}"`);
    expect(seen.html).toContain("Open the post");
    await deletePost(asUser(ben.user), shared.id);
    expect((await getPage(path, ana.cookie)).html).toContain("This post is unavailable");
    expect((await getPage(share, ana.cookie)).response.status).toBe(404);
  });

  it("link mentions and addresses in messages, edit one's own with a plain form, and search the conversation", async () => {
    const ana = await signedIn();
    const ben = await signedIn();
    await follow(ctx, ben.user.id, ana.user.id);
    const path = (await postForm("/messages", { recipient: ben.user.id }, { cookie: ana.cookie })).headers.get("Location")!;
    const send = (clientId: string, text: string) => postForm(path, { intent: "send", clientId, text }, { cookie: ana.cookie });
    await send("linked", `@${ben.user.username} see https://example.com/otters today`);
    await send("plain", "Lunch at noon?");
    const page = (await getPage(path, ben.cookie)).html;
    expect(page).toContain(`href="/${ben.user.username}"`);
    expect(page).toContain('href="https://example.com/otters"');

    const [message] = [...page.matchAll(/id="m-(\d+)"/g)].map((match) => match[1]!).slice(-1);
    const form = (await getPage(`${path}?edit=${message}`, ana.cookie)).html;
    expect(form).toContain("Edit your message");
    expect(form).toMatch(/<textarea[^>]*id="edit-text"[^>]*>Lunch at noon\?<\/textarea>/);
    expect((await getPage(`${path}?edit=${message}`, ben.cookie)).html, "only its sender edits a message").not.toContain(
      "Edit your message",
    );
    const refused = await postForm(
      `${path}?edit=${message}`,
      { intent: "edit", messageId: message!, text: "x".repeat(4001) },
      { cookie: ana.cookie },
    );
    expect(refused.status).toBe(422);
    const again = await refused.text();
    expect(again).toMatch(/id="edit-text-error"/);
    expect(again).toContain("x".repeat(4001));
    expect((await postForm(path, { intent: "edit", messageId: message!, text: "Lunch at one?" }, { cookie: ana.cookie })).status).toBe(302);
    const edited = (await getPage(path, ben.cookie)).html;
    expect(edited).toContain("Lunch at one?");
    expect(edited).toContain("Edited");

    const found = (await getPage(`${path}?q=${encodeURIComponent("LUNCH")}`, ben.cookie)).html;
    expect(found).toContain("Messages with “LUNCH”");
    const results = found.match(/<section aria-labelledby="search-results-heading"[^]*?<\/section>/)![0];
    expect(results).toContain("Lunch at one?");
    expect(results).not.toContain("otters");
    expect(results).toContain(`href="${path}#m-${message}"`);
    const otters = (await getPage(`${path}?q=otters`, ben.cookie)).html;
    expect(otters).toContain("Messages with “otters”");
    const [linked] = [...page.matchAll(/id="m-(\d+)"/g)].map((match) => match[1]!);
    // An older match opens the history page that ends with it.
    const jump = otters.match(new RegExp(`href="(${path}\\?max_id=\\d+)#m-${linked}"`))![1]!;
    const around = (await getPage(jump, ben.cookie)).html;
    expect(around).toContain(`id="m-${linked}"`);
    expect(around).not.toContain(`id="m-${message}"`);
    expect((await getPage(`${path}?q=penguins`, ben.cookie)).html).toContain("No messages found for “penguins”");
  });

  it("offer a request's recipient accept, delete, block and report; blocking declines it and stops the sender", async () => {
    const ana = await signedIn();
    const ben = await signedIn();
    const path = (await postForm("/messages", { recipient: ben.user.id }, { cookie: ana.cookie })).headers.get("Location")!;
    await postForm(path, { intent: "send", clientId: "hello", text: "Hello stranger" }, { cookie: ana.cookie });
    await ctx.db.update(users).set({ avatarKey: "avatars/pagetest/400.webp" }).where(eq(users.id, ana.user.id));
    const requests = (await getPage("/messages?tab=requests", ben.cookie)).html;
    expect(requests).toContain(path);
    expect(requests, "a conversation between two shows the other person's avatar").toContain('src="/media/avatars/pagetest/400.webp"');
    const request = (await getPage(path, ben.cookie)).html;
    expect(request).toContain(`Message request from ${ana.user.displayName}`);
    expect(request).toContain(`href="/${ana.user.username}/report"`);
    expect(request).toContain(`Block @${ana.user.username}`);

    const blocked = await postForm(path, { intent: "block" }, { cookie: ben.cookie });
    expect(blocked.status).toBe(302);
    expect(blocked.headers.get("Location")).toBe("/messages?tab=requests");
    expect((await getPage(path, ben.cookie)).response.status, "declined: no longer his").toBe(404);
    const again = await postForm(path, { intent: "send", clientId: "again", text: "Hello?" }, { cookie: ana.cookie });
    expect(again.status, "a blocked sender cannot write into it any more").toBe(403);
    expect(
      await ctx.db.query.blocks.findFirst({
        where: (blocks, { and, eq }) => and(eq(blocks.blockerId, ben.user.id), eq(blocks.blockedId, ana.user.id)),
      }),
    ).toBeDefined();
    expect(
      (await postForm("/messages", { recipient: ben.user.id }, { cookie: ana.cookie })).status,
      "a blocked sender cannot start another: to them the account is not there",
    ).toBe(404);
  });

  it("shows whether the other person is here now, else when they were last in chat, unless they hide their presence", async () => {
    const ana = await signedIn();
    const ben = await signedIn();
    await follow(ctx, ben.user.id, ana.user.id);
    const path = (await postForm("/messages", { recipient: ben.user.id }, { cookie: ana.cookie })).headers.get("Location")!;
    await noteSeen(ctx, ben.user.id, new Date("2026-12-01T10:00:00Z"));
    const shown = await getPage(path, ana.cookie);
    expect(shown.html).toContain("Last in chat: ");
    expect(shown.html).toContain('dateTime="2026-12-01T10:00:00.000Z"');

    // Ben's page open in the room: Ana's page says he is here, even without JavaScript.
    const socket = await fetchWorker(`${path.replace("/messages/", "/api/v1/perch/chats/")}/stream`, {
      headers: { Upgrade: "websocket", Cookie: ben.cookie, Origin: ORIGIN },
    });
    expect(socket.status).toBe(101);
    socket.webSocket!.accept();
    const active = (await getPage(path, ana.cookie)).html;
    expect(active).toContain('data-presence="active"');
    expect(active).not.toContain("Last in chat: ");
    socket.webSocket!.close(1000, "page left");
    await eventually(async () => expect((await getPage(path, ana.cookie)).html).toContain("Last in chat: "));

    await updateChatSettings(ctx, ben.user.id, { showPresence: false });
    expect((await getPage(path, ana.cookie)).html).not.toContain("Last in chat: ");
  });

  it("make a group from /messages, then rename, invite, promote, remove, mute and leave it with plain forms", async () => {
    const ana = await signedIn();
    const ben = await signedIn();
    const carl = await signedIn();
    // Ben follows Ana, so he joins at once; Carl's invitation waits as a request.
    await follow(ctx, ben.user.id, ana.user.id);
    const refused = await postForm("/messages", { intent: "group", name: "Book club", usernames: "nobody_here" }, { cookie: ana.cookie });
    expect(refused.status).toBe(422);
    const refusedHtml = await refused.text();
    expect(refusedHtml).toContain("No one is called @nobody_here");
    expect(refusedHtml).toContain('value="Book club"');

    const made = await postForm(
      "/messages",
      { intent: "group", name: "Book club", usernames: `@${ben.user.username}, ${carl.user.username}` },
      { cookie: ana.cookie },
    );
    expect(made.status).toBe(302);
    const path = made.headers.get("Location")!;
    const settings = `${path}/settings`;
    expect((await getPage(path, ana.cookie)).html).toContain(`href="${settings}"`);
    const page = await getPage(settings, ana.cookie);
    expect(page.html).toContain(`@${ben.user.username}`);
    expect(page.html).toContain(`@${carl.user.username}`);
    expect(page.html).toContain("Invited");

    expect((await postForm(settings, { intent: "rename", name: "Readers" }, { cookie: ana.cookie })).status).toBe(200);
    expect((await getPage(path, ana.cookie)).html).toContain("Readers");
    expect((await postForm(settings, { intent: "admin", userId: ben.user.id }, { cookie: ana.cookie })).status).toBe(200);
    expect((await postForm(settings, { intent: "remove", userId: carl.user.id }, { cookie: ana.cookie })).status).toBe(200);
    const after = await getPage(settings, ana.cookie);
    expect(after.html).not.toContain(`@${carl.user.username}`);
    expect(after.html).toMatch(new RegExp(`@${ben.user.username}</span> <span[^>]*>· <!-- -->Admin`));

    // An admin may not hand the group over: the owner's right, said inline.
    const handover = await postForm(settings, { intent: "transfer", userId: ben.user.id }, { cookie: ben.cookie });
    expect(handover.status).toBe(403);
    expect(await handover.text()).toContain('role="alert"');

    const muted = await postForm(settings, { intent: "mute" }, { cookie: ben.cookie });
    expect(await muted.text()).toContain("Muted: no badges or notifications.");
    const left = await postForm(settings, { intent: "leave" }, { cookie: ben.cookie });
    expect(left.headers.get("Location")).toBe("/messages");
    expect((await getPage(path, ben.cookie)).response.status).toBe(404);
  });

  it("toggle one's own reaction with pressed buttons, and delete for me on any message, for everyone only on one's own", async () => {
    const ana = await signedIn();
    const ben = await signedIn();
    await follow(ctx, ben.user.id, ana.user.id);
    const path = (await postForm("/messages", { recipient: ben.user.id }, { cookie: ana.cookie })).headers.get("Location")!;
    await postForm(path, { intent: "send", clientId: "toggle-1", text: "From Ana" }, { cookie: ana.cookie });
    await postForm(path, { intent: "send", clientId: "toggle-2", text: "Also from Ana" }, { cookie: ana.cookie });
    const ids = [...(await getPage(path, ana.cookie)).html.matchAll(/id="m-(\d+)"/g)].map((match) => match[1]!);
    const [first, second] = ids.slice(-2) as [string, string];
    /** The part of a page that is one message: from its anchor to the next. */
    const messageIn = (html: string, id: string) => html.slice(html.indexOf(`id="m-${id}"`)).split(/id="m-\d+"/)[1] ?? "";
    const reactButton = (html: string) => html.match(/<button[^>]*aria-label="React 👍"[^>]*>/)?.[0] ?? "";

    expect((await postForm(path, { intent: "react", messageId: first, emoji: "👍" }, { cookie: ben.cookie })).status).toBe(302);
    const benSees = messageIn((await getPage(path, ben.cookie)).html, first);
    expect(reactButton(benSees)).toContain('aria-pressed="true"');
    expect(benSees).toMatch(
      /<input type="hidden" name="intent" value="unreact"\/><input type="hidden" name="messageId" value="\d+"\/><input type="hidden" name="emoji" value="👍"/,
    );
    const anaSees = messageIn((await getPage(path, ana.cookie)).html, first);
    expect(reactButton(anaSees)).toContain('aria-pressed="false"');
    expect(anaSees).toContain("👍 1");

    // Pressing it again takes it back.
    expect((await postForm(path, { intent: "unreact", messageId: first, emoji: "👍" }, { cookie: ben.cookie })).status).toBe(302);
    const afterUnreact = messageIn((await getPage(path, ben.cookie)).html, first);
    expect(reactButton(afterUnreact)).toContain('aria-pressed="false"');
    expect(afterUnreact).not.toContain("👍 1");

    // Delete for me on everyone's messages; for everyone only on one's own.
    expect(messageIn((await getPage(path, ben.cookie)).html, first)).toContain(">Delete for me</button>");
    expect(messageIn((await getPage(path, ben.cookie)).html, first)).not.toContain("Delete for everyone");
    const own = messageIn((await getPage(path, ana.cookie)).html, first);
    expect(own).toContain(">Delete for me</button>");
    expect(own).toContain(">Delete for everyone</button>");

    await postForm(path, { intent: "delete", messageId: first, forEveryone: "false" }, { cookie: ana.cookie });
    const anaAfter = (await getPage(path, ana.cookie)).html;
    expect(anaAfter).not.toContain("From Ana");
    expect(anaAfter).toContain("Also from Ana");
    expect((await getPage(path, ben.cookie)).html).toContain("From Ana");
    await postForm(path, { intent: "delete", messageId: second, forEveryone: "false" }, { cookie: ben.cookie });
    const benAfter = (await getPage(path, ben.cookie)).html;
    expect(benAfter).not.toContain("Also from Ana");
    expect(benAfter).not.toContain("This message was deleted");
    expect((await getPage(path, ana.cookie)).html).toContain("Also from Ana");
    // Someone else's message is not theirs to delete for everyone.
    const refused = await postForm(path, { intent: "delete", messageId: first, forEveryone: "true" }, { cookie: ben.cookie });
    expect(refused.status).toBe(403);
  });

  it("list archived conversations in an Archived tab, and move one back with the settings page's plain form", async () => {
    const ana = await signedIn();
    const ben = await signedIn();
    await follow(ctx, ben.user.id, ana.user.id);
    const path = (await postForm("/messages", { recipient: ben.user.id }, { cookie: ana.cookie })).headers.get("Location")!;
    const listed = (html: string) => html.includes(`href="${path}"`);
    const tab = (html: string, label: string) => html.match(new RegExp(`<a[^>]*>${label}</a>`))?.[0] ?? "";
    const tabs = (await getPage("/messages", ana.cookie)).html;
    expect(tabs).toContain('<nav aria-label="Which conversations"');
    expect(tab(tabs, "Archived")).toContain('href="/messages?tab=archived"');
    expect(tab(tabs, "Archived")).not.toContain("aria-current");
    expect(tab(tabs, "Inbox")).toContain('aria-current="page"');
    expect(listed(tabs)).toBe(true);
    const empty = (await getPage("/messages?tab=archived", ana.cookie)).html;
    expect(listed(empty)).toBe(false);
    expect(empty).toContain("No archived conversations.");

    expect((await postForm(`${path}/settings`, { intent: "archive" }, { cookie: ana.cookie })).headers.get("Location")).toBe("/messages");
    const archived = (await getPage("/messages?tab=archived", ana.cookie)).html;
    expect(tab(archived, "Archived")).toContain('aria-current="page"');
    expect(tab(archived, "Inbox")).not.toContain("aria-current");
    expect(listed(archived)).toBe(true);
    expect(listed((await getPage("/messages", ana.cookie)).html)).toBe(false);
    // Only the one who archived it: the other still has it in the inbox.
    expect(listed((await getPage("/messages", ben.cookie)).html)).toBe(true);
    expect(listed((await getPage("/messages?tab=archived", ben.cookie)).html)).toBe(false);

    await postForm(`${path}/settings`, { intent: "unarchive" }, { cookie: ana.cookie });
    expect(listed((await getPage("/messages?tab=archived", ana.cookie)).html)).toBe(false);
    expect(listed((await getPage("/messages", ana.cookie)).html)).toBe(true);
    // An unknown tab is the inbox.
    expect(listed((await getPage("/messages?tab=everything", ana.cookie)).html)).toBe(true);
  });

  it("let anyone join a group by its invite link, except someone a member blocks; other groups' links are not found", async () => {
    const owner = await signedIn();
    const joiner = await signedIn();
    const blocked = await signedIn();
    await block(ctx, owner.user.id, blocked.user.id);
    const made = await postForm(
      "/messages",
      { intent: "group", name: "Birders", usernames: joiner.user.username, access: "link" },
      { cookie: owner.cookie },
    );
    const id = made.headers.get("Location")!.split("/").pop()!;
    expect((await getPage(`/messages/${id}/settings`, owner.cookie)).html).toContain(`/messages/join/${id}`);
    const stranger = await signedIn();
    const page = await getPage(`/messages/join/${id}`, stranger.cookie);
    expect(page.response.status).toBe(200);
    expect(page.html).toContain("Birders");
    const joined = await postForm(`/messages/join/${id}`, {}, { cookie: stranger.cookie });
    expect(joined.headers.get("Location")).toBe(`/messages/${id}`);
    expect((await getPage(`/messages/${id}`, stranger.cookie)).response.status).toBe(200);
    expect((await postForm(`/messages/join/${id}`, {}, { cookie: blocked.cookie })).status).toBe(404);

    const closed = await postForm(
      "/messages",
      { intent: "group", name: "Private", usernames: joiner.user.username },
      { cookie: owner.cookie },
    );
    const closedId = closed.headers.get("Location")!.split("/").pop()!;
    expect((await getPage(`/messages/join/${closedId}`, stranger.cookie)).response.status).toBe(404);
  });
});

describe("a group's picture on its settings page, without JavaScript", () => {
  const pictureForm = (file: File | null, remove = false) => {
    const form = new FormData();
    form.set("intent", "picture");
    // A browser sends an empty, unnamed file when none was chosen.
    form.set("picture", file ?? new File([], "", { type: "application/octet-stream" }));
    if (remove) form.set("remove-picture", "1");
    return form;
  };
  const png = async (seed: string) =>
    new File([(await identiconPng(seed, 120)) as Uint8Array<ArrayBuffer>], `${seed}.png`, { type: "image/png" });
  const pictureKeyOf = async (id: string) =>
    (await ctx.db.query.conversations.findFirst({ where: eq(conversations.id, id), columns: { pictureKey: true } }))?.pictureKey;

  it("lets the owner upload and remove it with a multipart form, says what is wrong beside the chooser, and refuses members", async () => {
    const ana = await signedIn();
    const ben = await signedIn();
    await follow(ctx, ben.user.id, ana.user.id);
    const made = await postForm("/messages", { intent: "group", name: "Painters", usernames: ben.user.username }, { cookie: ana.cookie });
    const path = made.headers.get("Location")!;
    const id = path.split("/").pop()!;
    const settings = `${path}/settings`;

    const owners = (await getPage(settings, ana.cookie)).html;
    expect(owners).toMatch(/enctype="multipart\/form-data"/i);
    expect(owners).toMatch(/<input[^>]*name="picture"[^>]*type="file"/);
    const members = (await getPage(settings, ben.cookie)).html;
    expect(members).toContain("This group has no picture.");
    expect(members).not.toMatch(/name="picture"/);

    // A member who is not an admin is refused by the domain, whatever the form says.
    const refused = await postForm(settings, pictureForm(await png("ben")), { cookie: ben.cookie });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('role="alert"');
    expect(await pictureKeyOf(id)).toBeNull();

    // Not an image by its bytes, whatever it is called: said beside the chooser; the page's other forms are as they were.
    const notImage = await postForm(settings, pictureForm(new File(["just words"], "fake.png", { type: "image/png" })), {
      cookie: ana.cookie,
    });
    expect(notImage.status).toBe(415);
    const notImageHtml = await notImage.text();
    expect(notImageHtml).toMatch(/<input[^>]*aria-invalid="true"[^>]*name="picture"|<input[^>]*name="picture"[^>]*aria-invalid="true"/);
    expect(notImageHtml).toContain("Use a JPEG, PNG, GIF, WebP or AVIF image");
    expect(notImageHtml).toMatch(/role="alert"[^>]*>The picture was not saved.</);
    expect(notImageHtml).not.toMatch(/role="alert"[^>]*>Use a JPEG/);
    expect(notImageHtml).toContain('value="Painters"');
    const nothing = await postForm(settings, pictureForm(null), { cookie: ana.cookie });
    expect(nothing.status).toBe(422);
    expect(await nothing.text()).toContain("Choose a picture, or tick Remove");
    expect(await pictureKeyOf(id)).toBeNull();

    const saved = await postForm(settings, pictureForm(await png("painters")), { cookie: ana.cookie });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Picture saved.");
    const key = await pictureKeyOf(id);
    expect(key).toMatch(/^group-pictures\/[0-9a-f]{32}\/400\.webp$/);
    const small = `/media/${key!.replace("/400.webp", "/96.webp")}`;
    expect((await fetchWorker(small)).headers.get("Content-Type")).toBe("image/webp");
    // The list and the conversation's header show it beside the group's name (so it is decorative there).
    expect((await getPage("/messages", ben.cookie)).html).toContain(`<img src="${small}" alt=""`);
    expect((await getPage(path, ben.cookie)).html).toContain(`<img src="${small}" alt=""`);
    expect((await getPage(settings, ben.cookie)).html).toContain(`src="/media/${key}" alt="Painters"`);

    const removed = await postForm(settings, pictureForm(null, true), { cookie: ana.cookie });
    expect(await removed.text()).toContain("Picture removed.");
    expect(await pictureKeyOf(id)).toBeNull();
  });

  it("has no picture section in a one-to-one conversation", async () => {
    const ana = await signedIn();
    const ben = await signedIn();
    await follow(ctx, ben.user.id, ana.user.id);
    const path = (await postForm("/messages", { recipient: ben.user.id }, { cookie: ana.cookie })).headers.get("Location")!;
    const { html } = await getPage(`${path}/settings`, ana.cookie);
    expect(html).not.toContain("picture-heading");
    expect(html).not.toMatch(/name="picture"/);
  });
});
