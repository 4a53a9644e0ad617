import { z } from "zod";

const id = z.string().min(1).max(64);
/** A post's text is at most a few thousand characters, so it cannot name more people than this. */
const usernames = z.array(z.string().max(64)).max(2000);

/**
 * Every domain event, by type, with its payload's schema: the catalogue docs/architecture.md lists. An event says what
 * happened (past tense), carries ids rather than content (handlers read the current state), and is written in the same
 * batch as the change it describes (outbox.ts). Handlers subscribe to types in workers/background/event-handlers.ts.
 */
export const eventPayloads = {
  "account.created": z.object({ userId: id }),
  /** Someone signed up through a door (not a seed): moderators hear of it; pending, it waits for their approval. */
  "account.signed_up": z.object({ userId: id, pending: z.boolean() }),
  "account.deleted": z.object({ userId: id }),
  /** Some or all of the account's sessions or tokens ended: the live connections opened with them close. */
  "account.signed_out": z.object({ userId: id }),
  "profile.updated": z.object({ userId: id }),
  /** mentioned: the usernames the post names (a handler may run after an edit changed them). */
  "post.created": z.object({ postId: id, authorId: id, mentioned: usernames }),
  /** newlyMentioned: usernames the edit names that the version before did not. */
  "post.edited": z.object({ postId: id, authorId: id, newlyMentioned: usernames }),
  /**
   * A post or a repost (whose row is a post too) was deleted. parentId: the post it replied to or reposted, whose
   * counts went down (absent in events written before it was added).
   */
  "post.deleted": z.object({ postId: id, authorId: id, parentId: id.optional() }),
  "post.reblogged": z.object({ reblogId: id, postId: id, actorId: id }),
  "post.favourited": z.object({ postId: id, actorId: id }),
  "post.unfavourited": z.object({ postId: id, actorId: id }),
  "post.reacted": z.object({ postId: id, actorId: id, emoji: z.string().max(64) }),
  /** A signed-in person opened a post's own page: the dwell signal of their interest vector (docs/decisions/0039). */
  "post.opened": z.object({ postId: id, userId: id }),
  /** An edit that asked a new question erased these people's votes (one event per thousand voters). */
  "poll.reset": z.object({ postId: id, authorId: id, voterIds: z.array(id).max(1000) }),
  "poll.ended": z.object({ pollId: id, postId: id, authorId: id }),
  /** fromRequest: an accepted follow request (its target already heard of it as a request). */
  "follow.created": z.object({ followerId: id, followeeId: id, fromRequest: z.boolean() }),
  "follow.requested": z.object({ requesterId: id, targetId: id }),
  "follow.removed": z.object({ followerId: id, followeeId: id }),
  "friendship.requested": z.object({ senderId: id, recipientId: id }),
  "friendship.created": z.object({ userId: id, friendId: id }),
  "friendship.removed": z.object({ userId: id, friendId: id }),
  "block.created": z.object({ blockerId: id, blockedId: id }),
  "block.removed": z.object({ blockerId: id, blockedId: id }),
  "mute.created": z.object({ muterId: id, mutedId: id }),
  "mute.removed": z.object({ muterId: id, mutedId: id }),
  /** A filter, its keywords or its posts were created, changed or deleted: the owner's streams hear filters_changed. */
  "filters.changed": z.object({ userId: id }),
  /** Accounts added to or removed from a list (one event each): its timeline gains or loses their posts. */
  "list.member_added": z.object({ listId: id, userId: id }),
  "list.member_removed": z.object({ listId: id, userId: id }),
  /** Someone came back after more than HOME_INACTIVE_DAYS away: fan-out skipped them, so their feeds are rebuilt. */
  "reader.returned": z.object({ userId: id }),
  /**
   * A fan-out too large for one handler run goes on from here: `after` is the last follower (or list) it reached in
   * that stage (docs/decisions/0030).
   */
  "fanout.continued": z.object({ postId: id, stage: z.enum(["followers", "lists"]), after: z.string().max(64) }),
  /** A chat message was stored (the room has already broadcast it): badges and notifications for the members. */
  "message.sent": z.object({ messageId: id, conversationId: id, senderId: id }),
  /** Its sender edited a chat message: moderation judges the new text. */
  "message.edited": z.object({ messageId: id, conversationId: id, senderId: id }),
  /** A chat message was edited, deleted for everyone, reacted to or moderated: the room tells who is connected. */
  "message.updated": z.object({ messageId: id, conversationId: id }),
  /** A member's read marker moved: a read receipt for the room, and their badge. */
  "conversation.read": z.object({ conversationId: id, userId: id, messageId: id }),
  /** Someone left or was removed: the room closes their sockets. */
  "conversation.member_left": z.object({ conversationId: id, userId: id }),
  /** Someone turned read receipts or presence on or off: the rooms they are in apply it to their open sockets. */
  "chat.settings_changed": z.object({ userId: id }),
  /** A story item was posted (or a mention re-shared); mentionedId: whom its mention sticker names. */
  "story.created": z.object({ itemId: id, authorId: id, mentionedId: id.nullable() }),
  /** Someone replied to a story item or reacted to it with an emoji; it goes to its author as a direct message. */
  "story.replied": z.object({ replyId: id, itemId: id, authorId: id, fromUserId: id }),
  /** Story files no longer kept (expired, deleted, released from archive and highlights): keys in R2. */
  "story.files_discarded": z.object({ keys: z.array(z.string().max(512)).max(500) }),
  /**
   * A viewer was shown these posts (a timeline or post page) and maybe visited a profile, for their owners' analytics.
   * Transient: relayed without an outbox row (docs/decisions/0053); viewerHash is a keyed per-day hash, never an id.
   */
  "views.seen": z.object({
    viewerHash: z.string().regex(/^[0-9a-f]{32}$/),
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    postIds: z.array(id).max(100),
    profileId: id.nullable(),
  }),
  "email.queued": z.object({ outboxId: id }),
  /** Notifications just written whose recipients asked to hear of their kind by email at once (ADR 0033). */
  "notification.email_due": z.object({ notificationIds: z.array(id).max(500) }),
  /** Someone reported an account (and maybe its posts) to the moderators. */
  "report.created": z.object({ reportId: id, reporterId: id, targetAccountId: id }),
  /** Moderation acted against an account or its post (moderation_actions): its owner is told. */
  "moderation.action_taken": z.object({ actionId: id, accountId: id }),
  /** Files whose rows were deleted: attachments' files and profile pictures (keys in R2). */
  "media.discarded": z.object({
    attachmentKeys: z.array(z.string().max(512)).max(500),
    profileImageKeys: z.array(z.string().max(512)).max(500),
  }),
} as const;

export type EventType = keyof typeof eventPayloads;

/** Events handed to the relay without an outbox row: measurements, not changes, so there is nothing to mark relayed. */
export const transientEventTypes: readonly EventType[] = ["views.seen"];
export const eventTypes = Object.keys(eventPayloads) as EventType[];

export type EventPayload<T extends EventType> = z.infer<(typeof eventPayloads)[T]>;

/** An event about to be written: what happened and to what. */
export type NewEvent = { [T in EventType]: { type: T; payload: EventPayload<T> } }[EventType];

/** An event as stored and delivered: with its id (the idempotency key) and when it happened. */
export type DomainEvent<T extends EventType = EventType> = {
  [K in T]: { id: string; type: K; payload: EventPayload<K>; occurredAt: Date };
}[T];

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventPayloads, type);
}

/** The event with its payload checked against the catalogue; throws a ZodError when it does not match. */
export function parseEvent(input: { id: string; type: EventType; payload: unknown; occurredAt: Date }): DomainEvent {
  const payload = eventPayloads[input.type].parse(input.payload);
  return { ...input, payload } as DomainEvent;
}
