import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages, storyItems, storyReplies } from "#db/schema/index.ts";
import { identiconPng } from "#db/seed/artwork.ts";
import { makeUser } from "#db/seed/factories.ts";
import { follow } from "#domain/graph/follows.ts";
import { block } from "#domain/graph/blocks.ts";
import { listConversations } from "#domain/messages/conversations.ts";
import { history } from "#domain/messages/messages.ts";
import { updatePrivacy } from "#domain/profiles/settings.ts";
import { createHighlight } from "#domain/stories/highlights.ts";
import { replyToStory } from "#domain/stories/replies.ts";
import { deliverStoryReply } from "#workers/background/story-replies.ts";
import { callApi, deliverEvents, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let count = 0;

async function person() {
  count += 1;
  const user = await makeUser(ctx, { username: `replier${count}`, password: PASSWORD });
  return { ...user, token: await tokenFor(user.id, ["read", "write", "follow"]) };
}

const PASSWORD = "a long enough password";
const signIn = async (user: { username: string }) =>
  sessionOf(await postForm("/login", { identifier: user.username, password: PASSWORD }, { ip: `192.0.2.${100 + count}` }));

/** One picture posted to the author's story through the API, as a client would; the new item's id. */
async function storyItem(author: { token: string }): Promise<string> {
  const form = new FormData();
  form.set("file", new File([(await identiconPng(`reply ${count}`, 64)) as Uint8Array<ArrayBuffer>], "story.png"));
  const upload = await callApi("/api/v2/media", author.token, { method: "POST", body: form });
  const posted = await callApi("/api/v1/perch/stories", author.token, {
    method: "POST",
    body: JSON.stringify({ media_ids: [upload.body.id] }),
    headers: { "Content-Type": "application/json" },
  });
  expect(posted.response.status).toBe(200);
  return posted.body[0].id;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: { kind: string; code: string }) => ({ kind: error.kind, code: error.code }),
  );

const newestFirst = async (userId: string, conversationId: string) => (await history(ctx, userId, conversationId, { limit: 20 })).items;

describe("replies to a story", () => {
  it("reach the author as direct messages quoting the item, in their inbox when they follow the replier", async () => {
    const author = await person();
    const fan = await person();
    await follow(ctx, author.id, fan.id);
    const itemId = await storyItem(author);
    const reply = await replyToStory(ctx, fan.id, itemId, { kind: "reply", text: "Lovely light!" });
    await replyToStory(ctx, fan.id, itemId, { kind: "reaction", text: "🔥" });
    // Waiting to be sent, the reply is sealed like a message body, never stored in clear.
    const waiting = await ctx.db.query.storyReplies.findFirst({ where: eq(storyReplies.id, reply.replyId) });
    expect(waiting?.text).not.toContain("Lovely");
    await deliverEvents();

    const [inbox] = await listConversations(ctx, author.id, "inbox");
    expect(inbox).toMatchObject({ conversation: { id: reply.conversationId, kind: "direct" }, unread: 2 });
    const [reaction, text] = await newestFirst(author.id, reply.conversationId);
    expect(text).toMatchObject({ senderId: fan.id, text: "Lovely light!", story: { itemId, visible: { highlightId: null } } });
    expect(text!.story!.visible!.thumbnailKey).toBeTruthy();
    expect(reaction).toMatchObject({ text: "🔥", story: { itemId } });
    expect(await ctx.db.select().from(storyReplies).where(eq(storyReplies.fromUserId, fan.id))).toEqual([]);

    // The chat API carries the quote too.
    const listed = await callApi(`/api/v1/perch/chats/${reply.conversationId}/messages`, author.token);
    expect(listed.body[1]).toMatchObject({
      text: "Lovely light!",
      story: { item_id: itemId, available: true, url: `/stories/${author.username}/${itemId}` },
    });
    expect(listed.body[1].story.thumbnail_url).toMatch(/^\/media\//);
  });

  it("are sent once however often the event is delivered", async () => {
    const author = await person();
    const fan = await person();
    const itemId = await storyItem(author);
    const reply = await replyToStory(ctx, fan.id, itemId, { kind: "reply", text: "Once" });
    const event = { replyId: reply.replyId, itemId, authorId: author.id, fromUserId: fan.id };
    const first = await deliverStoryReply(ctx, event);
    expect(first).toBeTruthy();
    expect(await deliverStoryReply(ctx, event)).toBeNull();
    await deliverEvents();
    expect(await ctx.db.select().from(messages).where(eq(messages.conversationId, reply.conversationId))).toHaveLength(1);
  });

  it("land in Requests from someone the author does not follow, and are refused when the author takes no messages from them", async () => {
    const author = await person();
    const stranger = await person();
    const itemId = await storyItem(author);
    const reply = await replyToStory(ctx, stranger.id, itemId, { kind: "reply", text: "Hi from a stranger" });
    await deliverEvents();
    expect((await listConversations(ctx, author.id, "inbox")).map((row) => row.conversation.id)).not.toContain(reply.conversationId);
    expect(await listConversations(ctx, author.id, "requests")).toEqual([
      expect.objectContaining({ conversation: expect.objectContaining({ id: reply.conversationId }), unread: 1 }),
    ]);

    const picky = await person();
    await updatePrivacy(ctx, picky.id, { messagePolicy: "following" });
    const pickyItem = await storyItem(picky);
    expect(await failure(replyToStory(ctx, stranger.id, pickyItem, { kind: "reaction", text: "❤️" }))).toEqual({
      kind: "forbidden",
      code: "messages_refused",
    });
    const refused = await callApi(`/api/v1/perch/stories/${pickyItem}/reply`, stranger.token, {
      method: "POST",
      body: JSON.stringify({ text: "Let me in" }),
      headers: { "Content-Type": "application/json" },
    });
    expect(refused.response.status).toBe(403);
    expect(refused.body.error).toMatch(/does not accept messages/);
  });

  it("are dropped when a block comes between the reply and its delivery", async () => {
    const author = await person();
    const fan = await person();
    await follow(ctx, author.id, fan.id);
    const itemId = await storyItem(author);
    const reply = await replyToStory(ctx, fan.id, itemId, { kind: "reply", text: "Too late" });
    await block(ctx, author.id, fan.id);
    await deliverEvents();
    expect(await ctx.db.select().from(messages).where(eq(messages.conversationId, reply.conversationId))).toEqual([]);
    expect(await ctx.db.query.storyReplies.findFirst({ where: eq(storyReplies.id, reply.replyId) })).toBeUndefined();
  });

  it("quote 'Story unavailable' after expiry, unless a highlight keeps the item", async () => {
    const author = await person();
    const fan = await person();
    await follow(ctx, author.id, fan.id);
    const fleeting = await storyItem(author);
    const kept = await storyItem(author);
    const first = await replyToStory(ctx, fan.id, fleeting, { kind: "reply", text: "Gone soon" });
    await replyToStory(ctx, fan.id, kept, { kind: "reply", text: "Keep this one" });
    await deliverEvents();
    const highlight = await createHighlight(ctx, author.id, { title: "Best", itemIds: [kept] });
    await ctx.db
      .update(storyItems)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(storyItems.authorId, author.id));

    for (const reader of [author, fan]) {
      const [keptReply, fleetingReply] = await newestFirst(reader.id, first.conversationId);
      expect(fleetingReply).toMatchObject({ text: "Gone soon", story: { itemId: fleeting, visible: null } });
      expect(keptReply).toMatchObject({ text: "Keep this one", story: { itemId: kept, visible: { highlightId: highlight.id } } });
    }

    // The conversation page shows both quotes to the author.
    const cookie = await signIn(author);
    const page = await getPage(`/messages/${first.conversationId}`, cookie);
    expect(page.html).toContain("Replied to your story");
    expect(page.html).toContain("Story unavailable");
    expect(page.html).toContain(`/highlights/${highlight.id}?item=${kept}`);
  });
});
