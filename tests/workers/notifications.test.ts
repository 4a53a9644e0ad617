import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { notifications } from "#db/schema/index.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import type { User } from "#domain/accounts/users.ts";
import { block, mute } from "#domain/graph/blocks.ts";
import { acceptFollowRequest, follow } from "#domain/graph/follows.ts";
import { acceptFriendship, requestFriendship } from "#domain/graph/friends.ts";
import { updatePreferences } from "#domain/notifications/preferences.ts";
import { favourite } from "#domain/posts/engagement.ts";
import { updatePrivacy } from "#domain/profiles/settings.ts";
import { deliverEvents, testDomain } from "./support.ts";

const ctx = testDomain();
let count = 0;
const person = () => makeUser(ctx, { username: `notified${(count += 1)}` });

/** What a person was told, oldest first, as (type, from whom). */
async function toldTo(user: User) {
  await deliverEvents();
  const rows = await ctx.db
    .select({ type: notifications.type, fromUserId: notifications.fromUserId, postId: notifications.postId })
    .from(notifications)
    .where(eq(notifications.userId, user.id))
    .orderBy(notifications.id);
  return rows;
}

describe("notifications", () => {
  it("tell an author who liked their post, but never about their own doing", async () => {
    const author = await person();
    const fan = await person();
    const post = await makePost(ctx, author, { text: "Like me" });
    await favourite(ctx, author.id, post.id);
    await favourite(ctx, fan.id, post.id);
    expect(await toldTo(author)).toEqual([{ type: "favourite", fromUserId: fan.id, postId: post.id }]);
  });

  it("say nothing between people when either blocks the other", async () => {
    const author = await person();
    const blocked = await person();
    const blocker = await person();
    await block(ctx, author.id, blocked.id);
    await block(ctx, blocker.id, author.id);
    await makePost(ctx, author, { text: `Hello @${blocked.username} and @${blocker.username}` });
    await makePost(ctx, blocked, { text: `Still here @${author.username}` });
    await makePost(ctx, blocker, { text: `Go away @${author.username}` });
    expect(await toldTo(blocked)).toEqual([]);
    expect(await toldTo(blocker)).toEqual([]);
    expect(await toldTo(author)).toEqual([]);
  });

  it("say nothing from someone muted with notifications, and still tell of a mute without them", async () => {
    const author = await person();
    const quiet = await person();
    const listening = await person();
    await mute(ctx, quiet.id, author.id, { notifications: true });
    await mute(ctx, listening.id, author.id, { notifications: false });
    await makePost(ctx, author, { text: `Hi @${quiet.username} and @${listening.username}` });
    expect(await toldTo(quiet)).toEqual([]);
    expect((await toldTo(listening)).map((row) => row.type)).toEqual(["mention"]);
  });

  it("say nothing about a post the recipient may not see: a followers-only quote by someone they do not follow", async () => {
    const quoted = await person();
    const quoter = await person();
    const original = await makePost(ctx, quoted, { text: "Quote me" });
    await makePost(ctx, quoter, { text: "Only my followers see this", quoteOfId: original.id, visibility: "private" });
    expect(await toldTo(quoted)).toEqual([]);

    await follow(ctx, quoted.id, quoter.id);
    const visible = await makePost(ctx, quoter, { text: "Now you follow me", quoteOfId: original.id, visibility: "private" });
    expect(await toldTo(quoted)).toEqual([{ type: "quote", fromUserId: quoter.id, postId: visible.id }]);
  });

  it("respect a kind the recipient turned off, and only that kind", async () => {
    const author = await person();
    const fan = await person();
    await updatePreferences(ctx, author.id, { favourite: "off" });
    const post = await makePost(ctx, author, { text: "No likes please" });
    await favourite(ctx, fan.id, post.id);
    await makePost(ctx, fan, { text: `But mentions are fine @${author.username}` });
    expect((await toldTo(author)).map((row) => row.type)).toEqual(["mention"]);
  });

  it("tell of a follow, and of a request to follow a locked account, but not again when it is accepted", async () => {
    const open = await person();
    const locked = await person();
    const follower = await person();
    await updatePrivacy(ctx, locked.id, { locked: true });
    await follow(ctx, follower.id, open.id);
    await follow(ctx, follower.id, locked.id);
    expect(await toldTo(open)).toEqual([{ type: "follow", fromUserId: follower.id, postId: null }]);
    expect(await toldTo(locked)).toEqual([{ type: "follow_request", fromUserId: follower.id, postId: null }]);

    await acceptFollowRequest(ctx, locked.id, follower.id);
    expect(await toldTo(locked)).toEqual([{ type: "follow_request", fromUserId: follower.id, postId: null }]);
    const [row] = await ctx.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, locked.id), eq(notifications.type, "follow")));
    expect(row).toBeUndefined();
  });

  it("tell of a friend request, and its sender of the acceptance", async () => {
    const asker = await person();
    const asked = await person();
    await follow(ctx, asker.id, asked.id);
    await follow(ctx, asked.id, asker.id);
    await requestFriendship(ctx, asker.id, asked.id);
    expect(await toldTo(asked)).toEqual([
      { type: "follow", fromUserId: asker.id, postId: null },
      { type: "friend_request", fromUserId: asker.id, postId: null },
    ]);
    await acceptFriendship(ctx, asked.id, asker.id);
    expect((await toldTo(asker)).map((row) => row.type)).toEqual(["follow", "friend_accept"]);
  });
});
