import { and, eq, inArray, or, sql } from "drizzle-orm";
import { follows, posts, users } from "#db/schema/index.ts";
import { chunks } from "../chunks.ts";
import type { DomainContext } from "../context.ts";
import type { DomainEvent } from "../events/catalogue.ts";
import { votersOf } from "../posts/polls.ts";
import type { Post } from "../posts/posts.ts";
import type { Notification } from "./inbox.ts";
import { notify, type NotificationIntent } from "./notify.ts";

/**
 * Who hears about each kind of event, as Mastodon's LocalNotificationWorker decides it; notify() then filters and
 * writes. Each function is an event handler's body, and safe to run twice for the same event.
 */

/**
 * A new post tells the people it named, the author of the post it quotes, and the followers who rang the bell for its
 * author (a `status` notification). The names come from the event: by the time it is handled, an edit may have
 * changed the post (and told the newly named itself). Someone both named and following with the bell hears once, of
 * the mention (notify() keeps each person's first intent).
 */
export async function notifyAboutNewPost(ctx: DomainContext, event: DomainEvent<"post.created">): Promise<Notification[]> {
  const { postId, authorId, mentioned } = event.payload;
  const post = await ctx.db.query.posts.findFirst({
    where: eq(posts.id, postId),
    columns: { quoteOfId: true, quoteDetached: true, inReplyToAuthorId: true, reblogOfId: true, visibility: true },
  });
  if (!post) return [];
  const quoted =
    post.quoteOfId && !post.quoteDetached
      ? await ctx.db.query.posts.findFirst({ where: eq(posts.id, post.quoteOfId), columns: { authorId: true } })
      : undefined;
  const intents: NotificationIntent[] = [
    ...(quoted ? [{ recipientId: quoted.authorId, type: "quote" as const, actorId: authorId, postId }] : []),
    ...(await mentionIntents(ctx, mentioned, authorId, postId)),
    ...(announcesToBell(post, authorId) ? await bellIntents(ctx, authorId, postId) : []),
  ];
  return notify(ctx, event.id, intents, event.occurredAt);
}

/**
 * As Mastodon's FeedInsertWorker: the bell rings for an author's own posts and threads, not for reposts, replies to
 * others, or direct posts (which reach only the people they name). Who may see the post is notify()'s question.
 */
function announcesToBell(post: Pick<Post, "inReplyToAuthorId" | "reblogOfId" | "visibility">, authorId: string): boolean {
  if (post.reblogOfId || post.visibility === "direct") return false;
  return !post.inReplyToAuthorId || post.inReplyToAuthorId === authorId;
}

/** "status" intents for everyone who follows the author with the bell on (a partial index holds just them). */
async function bellIntents(ctx: DomainContext, authorId: string, postId: string): Promise<NotificationIntent[]> {
  const listeners = await ctx.db
    .select({ id: follows.followerId })
    .from(follows)
    // A literal, not a bound value, so SQLite can match the partial index's condition.
    .where(and(eq(follows.followeeId, authorId), sql`${follows.notify} = 1`));
  return listeners.map((listener) => ({ recipientId: listener.id, type: "status" as const, actorId: authorId, postId }));
}

/**
 * An edit tells the people it newly names, and everyone who reposted or quoted the post that it changed (an
 * "update", as on Mastodon).
 */
export async function notifyAboutEdit(ctx: DomainContext, event: DomainEvent<"post.edited">): Promise<Notification[]> {
  const { postId, authorId, newlyMentioned } = event.payload;
  const sharers = await ctx.db
    .select({ id: posts.authorId })
    .from(posts)
    .where(or(eq(posts.reblogOfId, postId), and(eq(posts.quoteOfId, postId), eq(posts.quoteDetached, false))));
  const intents: NotificationIntent[] = [
    ...(await mentionIntents(ctx, newlyMentioned, authorId, postId)),
    ...sharers.map((sharer) => ({ recipientId: sharer.id, type: "update" as const, actorId: authorId, postId })),
  ];
  return notify(ctx, event.id, intents, event.occurredAt);
}

/** "mention" intents for the accounts a post names (unknown names name no one). */
async function mentionIntents(ctx: DomainContext, usernames: string[], actorId: string, postId: string): Promise<NotificationIntent[]> {
  const intents: NotificationIntent[] = [];
  for (const names of chunks([...new Set(usernames.map((name) => name.toLowerCase()))], 90)) {
    const found = await ctx.db
      .select({ id: users.id })
      .from(users)
      .where(inArray(sql`lower(${users.username})`, names));
    intents.push(...found.map((user) => ({ recipientId: user.id, type: "mention" as const, actorId, postId })));
  }
  return intents;
}

/** Voters whose votes a new question erased are told the post changed. */
export function notifyAboutPollReset(ctx: DomainContext, event: DomainEvent<"poll.reset">): Promise<Notification[]> {
  const { postId, authorId, voterIds } = event.payload;
  const intents = voterIds.map((recipientId) => ({ recipientId, type: "update" as const, actorId: authorId, postId }));
  return notify(ctx, event.id, intents, event.occurredAt);
}

/** The author of a post hears that someone liked, reacted to or reposted it. */
export async function notifyAboutEngagement(
  ctx: DomainContext,
  event: DomainEvent<"post.favourited" | "post.reacted" | "post.reblogged">,
): Promise<Notification[]> {
  const type = ({ "post.favourited": "favourite", "post.reacted": "reaction", "post.reblogged": "reblog" } as const)[event.type];
  const post = await ctx.db.query.posts.findFirst({ where: eq(posts.id, event.payload.postId), columns: { authorId: true } });
  if (!post) return [];
  return notify(
    ctx,
    event.id,
    [{ recipientId: post.authorId, type, actorId: event.payload.actorId, postId: event.payload.postId }],
    event.occurredAt,
  );
}

/** Someone followed you, or asked to (accepting their request tells you nothing new). */
export async function notifyAboutFollow(
  ctx: DomainContext,
  event: DomainEvent<"follow.created" | "follow.requested">,
): Promise<Notification[]> {
  if (event.type === "follow.created" && event.payload.fromRequest) return [];
  const intent: NotificationIntent =
    event.type === "follow.created"
      ? { recipientId: event.payload.followeeId, type: "follow", actorId: event.payload.followerId }
      : { recipientId: event.payload.targetId, type: "follow_request", actorId: event.payload.requesterId };
  return notify(ctx, event.id, [intent], event.occurredAt);
}

/** A poll ended: its voters and its author hear the result is in. */
export async function notifyAboutEndedPoll(ctx: DomainContext, event: DomainEvent<"poll.ended">): Promise<Notification[]> {
  const { pollId, postId, authorId } = event.payload;
  const recipients = [authorId, ...(await votersOf(ctx, pollId))];
  const intents = recipients.map((recipientId) => ({ recipientId, type: "poll" as const, actorId: authorId, postId }));
  return notify(ctx, event.id, intents, event.occurredAt);
}

/** Someone asked to be friends, or accepted the friendship you asked for (Perch's friends, beside follows). */
export async function notifyAboutFriendship(
  ctx: DomainContext,
  event: DomainEvent<"friendship.requested" | "friendship.created">,
): Promise<Notification[]> {
  const intent: NotificationIntent =
    event.type === "friendship.requested"
      ? { recipientId: event.payload.recipientId, type: "friend_request", actorId: event.payload.senderId }
      : { recipientId: event.payload.friendId, type: "friend_accept", actorId: event.payload.userId };
  return notify(ctx, event.id, [intent], event.occurredAt);
}

/**
 * A new report tells every moderator and admin (Mastodon's admin.report), the reporter named as its sender. Safe to
 * run twice: notify() writes one notification per person per event.
 */
export async function notifyModeratorsOfReport(ctx: DomainContext, event: DomainEvent<"report.created">): Promise<Notification[]> {
  const { reportId, reporterId } = event.payload;
  const moderators = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(inArray(users.role, ["moderator", "admin"]));
  return notify(
    ctx,
    event.id,
    moderators.map((moderator) => ({ recipientId: moderator.id, type: "admin.report" as const, actorId: reporterId, subjectId: reportId })),
    event.occurredAt,
  );
}

/**
 * A sign-up tells every moderator and admin (Mastodon's admin.sign_up), the new account named as its sender; one
 * waiting for approval is theirs to answer on /admin/accounts.
 */
export async function notifyModeratorsOfSignUp(ctx: DomainContext, event: DomainEvent<"account.signed_up">): Promise<Notification[]> {
  const { userId } = event.payload;
  const moderators = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(inArray(users.role, ["moderator", "admin"]));
  return notify(
    ctx,
    event.id,
    moderators.map((moderator) => ({ recipientId: moderator.id, type: "admin.sign_up" as const, actorId: userId })),
    event.occurredAt,
  );
}

/**
 * A moderation action tells the account it was taken against (Mastodon's moderation_warning), naming the account
 * itself as the sender: moderators stay anonymous, and an automatic action has no moderator.
 */
export async function notifyOfModerationAction(ctx: DomainContext, event: DomainEvent<"moderation.action_taken">): Promise<Notification[]> {
  const { actionId, accountId } = event.payload;
  return notify(
    ctx,
    event.id,
    [{ recipientId: accountId, type: "moderation_warning", actorId: accountId, subjectId: actionId }],
    event.occurredAt,
  );
}
