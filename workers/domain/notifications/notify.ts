import { inArray } from "drizzle-orm";
import { newId } from "#db/ids.ts";
import { notifications, type notificationTypes, posts } from "#db/schema/index.ts";
import { inIds } from "../batch.ts";
import { chunks } from "../chunks.ts";
import type { DomainContext } from "../context.ts";
import type { NewEvent } from "../events/catalogue.ts";
import { commit } from "../events/outbox.ts";
import { relationshipsToward, type Relationship } from "../graph/relationships.ts";
import { groupKeyOf, type Notification } from "./inbox.ts";
import { openRequests, policyDecisions } from "./policy.ts";
import { deliveriesOf } from "./preferences.ts";
import { viewPosts, type PostView } from "../posts/posts.ts";
import { canSeePost } from "../posts/visibility.ts";

export type NotificationType = (typeof notificationTypes)[number];

/** Someone who may hear about something: of what kind, from whom, about which post. */
export interface NotificationIntent {
  recipientId: string;
  type: NotificationType;
  actorId: string;
  postId?: string | null;
  /** The report (admin.report) or moderation action (moderation_warning) it is about. */
  subjectId?: string | null;
  /** For story notifications: the item. */
  storyItemId?: string;
}

/** A notification row binds twelve parameters, and a D1 statement at most 100. */
const ROWS_PER_STATEMENT = 8;
/** Notifications named by one notification.email_due event (its payload's limit). */
const EMAILS_PER_EVENT = 500;

/**
 * The one way a notification is made (Mastodon's NotifyService). Each intent passes one filter: nobody hears about
 * their own doing (but an author hears that their poll ended, as on Mastodon); nobody hears from someone they block or who blocks them, or whom they muted with notifications;
 * nobody hears about a post they may not see (or that is gone); nobody hears of a kind they turned off. Their notification policy (policy.ts) then drops it, holds it back
 * in a request (filtered), or lets it through. Then the rows are written, at most one per person per event, so a
 * redelivered event writes nothing twice; in the same batch, a notification.email_due event names those whose
 * recipients asked for an email at once (preferences.ts), so an email is never queued for a row that is not there nor
 * lost for one that is. Returns the rows written, for the live push (none on a redelivery).
 */
export async function notify(ctx: DomainContext, eventId: string, intents: NotificationIntent[], at = new Date()): Promise<Notification[]> {
  const candidates = firstPerRecipient(
    intents.filter((intent) => intent.recipientId !== intent.actorId || intent.type === "poll" || intent.type === "moderation_warning"),
  );
  if (candidates.length === 0) return [];
  const postsById = await postsAbout(ctx, candidates);
  const relationships = await relationshipsOfRecipients(ctx, candidates, postsById);
  const deliveries = await deliveriesOf(
    ctx,
    candidates.map((intent) => intent.recipientId),
  );
  const deliveryOf = (intent: NotificationIntent) => deliveries.get(`${intent.recipientId}:${intent.type}`) ?? "in_app";
  const delivered = candidates.filter((intent) => {
    const toward = (partyId: string) => relationships.get(`${intent.recipientId}:${partyId}`) ?? null;
    const actor = toward(intent.actorId);
    if (actor?.blocking || actor?.blockedBy || (actor?.muting && actor.mutingNotifications)) return false;
    if (deliveryOf(intent) === "off") return false;
    if (!intent.postId) return true;
    const view = postsById.get(intent.postId);
    return view !== undefined && canSeePost(intent.recipientId, view, toward(view.post.authorId));
  });
  const directPostIds = new Set([...postsById.values()].filter((view) => view.post.visibility === "direct").map((view) => view.post.id));
  const decisions = await policyDecisions(
    ctx,
    delivered,
    (intent) => relationships.get(`${intent.recipientId}:${intent.actorId}`) ?? null,
    directPostIds,
  );
  const kept = delivered.filter((intent) => decisions.get(intent) !== "drop");
  const rows = kept.map((intent) => ({
    id: newId(at.getTime()),
    userId: intent.recipientId,
    type: intent.type,
    fromUserId: intent.actorId,
    postId: intent.postId ?? null,
    subjectId: intent.subjectId ?? null,
    storyItemId: intent.storyItemId ?? null,
    eventId,
    groupKey: groupKeyOf(intent.type, intent.postId, at),
    filtered: decisions.get(intent) === "filter",
    createdAt: at,
  }));
  if (rows.length === 0) return [];
  // What a policy held back is not emailed: it waits in a request until accepted.
  const toEmail = rows.filter((row, index) => !row.filtered && deliveryOf(kept[index]!) === "email").map((row) => row.id);
  const emailEvents: NewEvent[] = chunks(toEmail, EMAILS_PER_EVENT).map((notificationIds) => ({
    type: "notification.email_due",
    payload: { notificationIds },
  }));
  const results = await commit(
    ctx,
    chunks(rows, ROWS_PER_STATEMENT).map((some) => ctx.db.insert(notifications).values(some).onConflictDoNothing().returning()),
    emailEvents,
  );
  const written: Notification[] = results.flat();
  await openRequests(
    ctx,
    written.filter((row) => row.filtered),
    at,
  );
  return written;
}

/** One notification per person per event: the first intent for each recipient wins. */
function firstPerRecipient(intents: NotificationIntent[]): NotificationIntent[] {
  const seen = new Set<string>();
  return intents.filter((intent) => !seen.has(intent.recipientId) && Boolean(seen.add(intent.recipientId)));
}

async function postsAbout(ctx: DomainContext, intents: NotificationIntent[]): Promise<Map<string, PostView>> {
  const ids = [...new Set(intents.map((intent) => intent.postId).filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return new Map();
  const rows = await ctx.db
    .select()
    .from(posts)
    .where(inArray(posts.id, inIds(ids)));
  return new Map((await viewPosts(ctx, rows)).map((view) => [view.post.id, view]));
}

/**
 * How each recipient stands with the actor and with the post's author, keyed "recipient:party", read per party in
 * batches (relationshipsToward).
 */
async function relationshipsOfRecipients(ctx: DomainContext, intents: NotificationIntent[], postsById: Map<string, PostView>) {
  const recipientsByParty = new Map<string, Set<string>>();
  const involve = (partyId: string, recipientId: string) => {
    if (partyId !== recipientId) recipientsByParty.set(partyId, (recipientsByParty.get(partyId) ?? new Set()).add(recipientId));
  };
  for (const intent of intents) {
    involve(intent.actorId, intent.recipientId);
    const authorId = intent.postId ? postsById.get(intent.postId)?.post.authorId : undefined;
    if (authorId) involve(authorId, intent.recipientId);
  }
  const relationships = new Map<string, Relationship>();
  for (const [partyId, recipientIds] of recipientsByParty) {
    for (const [recipientId, relationship] of await relationshipsToward(ctx, [...recipientIds], partyId)) {
      relationships.set(`${recipientId}:${partyId}`, relationship);
    }
  }
  return relationships;
}
