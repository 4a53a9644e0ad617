import type { DomainContext } from "#domain/context.ts";
import type { DomainEvent, EventType } from "#domain/events/catalogue.ts";
import { deliverEmail } from "#domain/email.ts";
import {
  backfillFollow,
  backfillListMember,
  fanOutPost,
  rebuildFeeds,
  removeBlocked,
  removeFormerFriends,
  removeListMember,
  removeMuted,
  removeUnfollowed,
} from "#domain/home-feed/fan-out.ts";
import { fetchPreviewCardOf } from "#domain/links/preview-cards.ts";
import { removeDiscardedFiles } from "#domain/media/attachments.ts";
import { countViews } from "#domain/analytics/views.ts";
import {
  notifyAboutEdit,
  notifyAboutEndedPoll,
  notifyAboutEngagement,
  notifyAboutFollow,
  notifyAboutFriendship,
  notifyAboutNewPost,
  notifyAboutPollReset,
  notifyModeratorsOfReport,
  notifyModeratorsOfSignUp,
  notifyOfModerationAction,
} from "#domain/notifications/recipients.ts";
import type { Notification } from "#domain/notifications/inbox.ts";
import { emailNotifications } from "#domain/notifications/emails.ts";
import type { Delivery } from "#domain/moderation/pipeline.ts";
import { moderateMessage } from "#domain/moderation/message-moderation.ts";
import { moderatePost } from "#domain/moderation/post-moderation.ts";
import { moderateProfile } from "#domain/moderation/profile-moderation.ts";
import { forgetInterest, noteOpening, refreshInterest, refreshInterestAfterPost } from "#domain/recommendations/interests.ts";
import { embedPosts, forgetPost } from "#domain/recommendations/vectors.ts";
import { removeStoryFiles } from "#domain/stories/expiry.ts";
import { notifyAboutStoryMention } from "#domain/stories/notifications.ts";
import { fileDirectPost, unfileDeletedPost } from "#domain/posts/direct-conversations.ts";
import { createLogger } from "#workers/platform/logger.ts";
import { streamConversations } from "./conversation-updates.ts";
import { badgeRecipients, closeFormerMember, refreshChatSettings, streamMessageUpdate, streamReceipt } from "./chat-updates.ts";
import { closeConnectionsOf } from "./signed-out-connections.ts";
import { deliverStoryReply } from "./story-replies.ts";
import { streamCounts, streamDeletion, streamFiltersChanged, streamReplyCount, streamNotifications, streamPost } from "./live-updates.ts";

/** The queues that carry events; each is a lane with its own batch size and concurrency (wrangler.toml). */
export const EVENT_QUEUES = ["fanout", "notifications", "moderation", "embeddings"] as const;
export type EventQueue = (typeof EVENT_QUEUES)[number];

/**
 * One side effect of a kind of event: a door, like a page or an API route, that calls the domain. Every handler must
 * be idempotent: a queue delivers at least once, and the relay may send an event twice.
 */
export interface EventHandler {
  name: string;
  /** The lane it runs in: slow or heavy work stays out of the way of the rest. */
  queue: EventQueue;
  events: readonly EventType[];
  handle(ctx: DomainContext, event: DomainEvent, delivery: Delivery): Promise<unknown>;
}

function on<T extends EventType>(
  name: string,
  queue: EventQueue,
  events: readonly T[],
  handle: (ctx: DomainContext, event: DomainEvent<T>, delivery: Delivery) => Promise<unknown>,
): EventHandler {
  return { name, queue, events, handle: handle as EventHandler["handle"] };
}

/**
 * A notifying handler whose new notifications are then pushed to their recipients' live sockets. A redelivered event
 * writes no new rows, so it pushes nothing twice.
 */
function live<E extends DomainEvent>(notifyAbout: (ctx: DomainContext, event: E) => Promise<Notification[]>) {
  return async (ctx: DomainContext, event: E) => {
    const written = await notifyAbout(ctx, event);
    // What a notification policy held back waits in a request; it is not pushed.
    return streamNotifications(
      ctx,
      written.filter((row) => !row.filtered),
    );
  };
}

/**
 * Every side effect of every event, in one place: what happens after a change is committed. An event type with no
 * handler here is stored and relayed nowhere (the catalogue is ahead of the features that will listen).
 */
export const eventHandlers: readonly EventHandler[] = [
  on("fetch-preview-card", "fanout", ["post.created", "post.edited"], async (ctx, event) => {
    const result = await fetchPreviewCardOf(ctx, event.payload.postId);
    // A link that cannot be previewed is settled as failed for good: worth a line in the log, not a retry.
    if (result?.state === "failed") {
      const logger = createLogger(ctx.config.LOG_LEVEL, { component: "preview-cards" });
      logger.warn("No preview for a link", { postId: event.payload.postId, reason: result.reason });
    }
  }),
  on("remove-discarded-files", "fanout", ["media.discarded"], (ctx, event) => removeDiscardedFiles(ctx, event.payload)),
  on("fan-out-post", "fanout", ["post.created"], (ctx, event) => fanOutPost(ctx, event.payload.postId)),
  on("fan-out-repost", "fanout", ["post.reblogged"], (ctx, event) => fanOutPost(ctx, event.payload.reblogId)),
  on("fan-out-continued", "fanout", ["fanout.continued"], (ctx, { payload }) =>
    fanOutPost(ctx, payload.postId, { stage: payload.stage, after: payload.after }),
  ),
  on("rebuild-feeds", "fanout", ["reader.returned"], (ctx, { payload }) => rebuildFeeds(ctx, payload.userId)),
  on("backfill-list-member", "fanout", ["list.member_added"], (ctx, { payload }) =>
    backfillListMember(ctx, payload.listId, payload.userId),
  ),
  on("feed-list-member-removed", "fanout", ["list.member_removed"], (ctx, { payload }) =>
    removeListMember(ctx, payload.listId, payload.userId),
  ),
  // After the fan-out above (handlers of a queue run in this order): the live audience of a post is whom it reached.
  on("stream-post", "fanout", ["post.created"], (ctx, event) => streamPost(ctx, event.payload.postId, "update")),
  on("stream-repost", "fanout", ["post.reblogged"], (ctx, event) => streamPost(ctx, event.payload.reblogId, "update")),
  on("stream-edit", "fanout", ["post.edited"], (ctx, event) => streamPost(ctx, event.payload.postId, "status.update")),
  on("stream-deletion", "fanout", ["post.deleted"], (ctx, { payload }) => streamDeletion(ctx, payload.postId, payload.authorId)),
  on("stream-counts", "fanout", ["post.favourited", "post.unfavourited", "post.reblogged"], (ctx, { payload }) =>
    streamCounts(ctx, payload.postId),
  ),
  on("stream-reply-count", "fanout", ["post.created"], (ctx, { payload }) => streamReplyCount(ctx, payload.postId)),
  on("file-direct-post", "fanout", ["post.created"], async (ctx, { payload }) =>
    streamConversations(ctx, await fileDirectPost(ctx, payload.postId)),
  ),
  on("unfile-deleted-post", "fanout", ["post.deleted"], async (ctx, { payload }) =>
    streamConversations(ctx, await unfileDeletedPost(ctx, payload.postId)),
  ),
  // An unrepost or a deleted reply: the post it counted on has one fewer.
  on("stream-counts-after-deletion", "fanout", ["post.deleted"], async (ctx, { payload }) =>
    payload.parentId ? streamCounts(ctx, payload.parentId) : 0,
  ),
  on("backfill-follow", "fanout", ["follow.created"], (ctx, { payload }) => backfillFollow(ctx, payload.followerId, payload.followeeId)),
  on("feed-unfollow", "fanout", ["follow.removed"], (ctx, { payload }) => removeUnfollowed(ctx, payload.followerId, payload.followeeId)),
  on("feed-block", "fanout", ["block.created"], (ctx, { payload }) => removeBlocked(ctx, payload.blockerId, payload.blockedId)),
  on("feed-mute", "fanout", ["mute.created"], (ctx, { payload }) => removeMuted(ctx, payload.muterId, payload.mutedId)),
  on("feed-unfriend", "fanout", ["friendship.removed"], (ctx, { payload }) => removeFormerFriends(ctx, payload.userId, payload.friendId)),
  on("stream-filters-changed", "notifications", ["filters.changed"], (ctx, { payload }) => streamFiltersChanged(ctx, payload.userId)),
  on("chat-badges", "notifications", ["message.sent"], (ctx, { payload }) => badgeRecipients(ctx, payload)),
  on("chat-message-updated", "fanout", ["message.updated"], (ctx, { payload }) => streamMessageUpdate(ctx, payload)),
  on("chat-receipt", "notifications", ["conversation.read"], (ctx, { payload }) => streamReceipt(ctx, payload)),
  on("chat-member-left", "fanout", ["conversation.member_left"], (ctx, { payload }) => closeFormerMember(ctx, payload)),
  on("chat-settings", "fanout", ["chat.settings_changed"], (ctx, { payload }) => refreshChatSettings(ctx, payload)),
  on("close-signed-out-connections", "fanout", ["account.signed_out", "account.deleted"], (ctx, { payload }) =>
    closeConnectionsOf(ctx, payload),
  ),
  on("deliver-email", "notifications", ["email.queued"], (ctx, event) => deliverEmail(ctx, event.payload.outboxId)),
  on("notify-mentions-and-quotes", "notifications", ["post.created"], live(notifyAboutNewPost)),
  on("notify-edit", "notifications", ["post.edited"], live(notifyAboutEdit)),
  on("notify-poll-reset", "notifications", ["poll.reset"], live(notifyAboutPollReset)),
  on("notify-poll-ended", "notifications", ["poll.ended"], live(notifyAboutEndedPoll)),
  on("notify-engagement", "notifications", ["post.favourited", "post.reacted", "post.reblogged"], live(notifyAboutEngagement)),
  on("notify-follow", "notifications", ["follow.created", "follow.requested"], live(notifyAboutFollow)),
  on("notify-friendship", "notifications", ["friendship.requested", "friendship.created"], live(notifyAboutFriendship)),
  on("email-notifications", "notifications", ["notification.email_due"], (ctx, { payload }) =>
    emailNotifications(ctx, payload.notificationIds),
  ),
  on("notify-moderators-of-report", "notifications", ["report.created"], live(notifyModeratorsOfReport)),
  on("notify-moderators-of-sign-up", "notifications", ["account.signed_up"], live(notifyModeratorsOfSignUp)),
  on("notify-moderation-action", "notifications", ["moderation.action_taken"], live(notifyOfModerationAction)),
  on("moderate-post", "moderation", ["post.created", "post.edited"], (ctx, event, delivery) => moderatePost(ctx, event, delivery)),
  on("moderate-profile", "moderation", ["profile.updated"], (ctx, event, delivery) => moderateProfile(ctx, event, delivery)),
  on("moderate-message", "moderation", ["message.sent", "message.edited"], (ctx, event, delivery) => moderateMessage(ctx, event, delivery)),
  on("embed-post", "embeddings", ["post.created", "post.edited"], (ctx, { payload }) => embedPosts(ctx, [payload.postId])),
  on("forget-post-vector", "embeddings", ["post.deleted"], (ctx, { payload }) => forgetPost(ctx, payload.postId)),
  // After embed-post above: a reply's author engaged with the post it answers, embedded when that one was created.
  on("interest-after-reply", "embeddings", ["post.created"], (ctx, { payload }) => refreshInterestAfterPost(ctx, payload.postId)),
  // A deleted repost or reply no longer counts.
  on("interest-after-deletion", "embeddings", ["post.deleted"], (ctx, { payload }) => refreshInterest(ctx, payload.authorId)),
  on("interest-after-engagement", "embeddings", ["post.favourited", "post.unfavourited", "post.reblogged"], (ctx, { payload }) =>
    refreshInterest(ctx, payload.actorId),
  ),
  on("interest-after-opening", "embeddings", ["post.opened"], (ctx, event) => noteOpening(ctx, event)),
  on("forget-interest", "embeddings", ["account.deleted"], (ctx, { payload }) => forgetInterest(ctx, payload.userId)),
  on("count-views", "fanout", ["views.seen"], (ctx, { payload }) => countViews(ctx, payload)),
  on("remove-story-files", "fanout", ["story.files_discarded"], (ctx, { payload }) => removeStoryFiles(ctx, payload.keys)),
  on("notify-story-mention", "notifications", ["story.created"], live(notifyAboutStoryMention)),
  on("story-reply-message", "notifications", ["story.replied"], (ctx, { payload }) => deliverStoryReply(ctx, payload)),
];

/** The handlers of an event type that run in one queue, in the order listed above. */
export function handlersFor(type: EventType, queue: EventQueue, registry: readonly EventHandler[] = eventHandlers): EventHandler[] {
  return registry.filter((handler) => handler.queue === queue && handler.events.includes(type));
}

/** The queues an event must reach: those where at least one of its handlers runs. */
export function queuesFor(type: EventType, registry: readonly EventHandler[] = eventHandlers): EventQueue[] {
  return EVENT_QUEUES.filter((queue) => registry.some((handler) => handler.queue === queue && handler.events.includes(type)));
}
