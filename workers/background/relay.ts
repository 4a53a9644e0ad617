import type { DomainContext } from "#domain/context.ts";
import { isEventType, transientEventTypes } from "#domain/events/catalogue.ts";
import { markRelayed, unrelayedEvents, type StoredEvent } from "#domain/events/outbox.ts";
import { chunks } from "#domain/chunks.ts";
import type { Logger } from "#workers/platform/logger.ts";
import { queuesFor, type EventQueue } from "./event-handlers.ts";

/** What an event looks like on a queue: the stored event, its time as epoch milliseconds. */
export interface EventMessage {
  id: string;
  type: string;
  payload: unknown;
  occurredAt: number;
}

/** A queue accepts at most 100 messages per sendBatch. */
const MESSAGES_PER_SEND = 100;
/** Events the cron relays per run; the rest wait for the next minute. */
const CRON_RELAY_LIMIT = 500;

function queueOf(env: Env, queue: EventQueue): Queue<EventMessage> {
  return {
    fanout: env.FANOUT_QUEUE,
    notifications: env.NOTIFICATIONS_QUEUE,
    moderation: env.MODERATION_QUEUE,
    embeddings: env.EMBEDDINGS_QUEUE,
  }[queue] as Queue<EventMessage>;
}

/**
 * Sends events to the queues whose handlers want them, then marks them relayed. An event of a type this code does not
 * know goes to the fan-out queue, whose consumer dead-letters it where someone will see it. If any send fails, nothing
 * is marked and the cron sends them all again later (handlers are idempotent, so a queue that did receive one does no
 * harm). Never throws: returns how many events were relayed.
 */
export async function relayEvents(ctx: DomainContext, events: readonly StoredEvent[], logger: Logger): Promise<number> {
  if (events.length === 0) return 0;
  const byQueue = new Map<EventQueue, MessageSendRequest<EventMessage>[]>();
  for (const event of events) {
    const queues = isEventType(event.type) ? queuesFor(event.type) : (["fanout"] as const);
    const message = {
      body: { id: event.id, type: event.type, payload: event.payload, occurredAt: event.occurredAt.getTime() },
      contentType: "json" as const,
    };
    for (const queue of queues) byQueue.set(queue, [...(byQueue.get(queue) ?? []), message]);
  }
  try {
    for (const [queue, messages] of byQueue) {
      for (const run of chunks(messages, MESSAGES_PER_SEND)) await queueOf(ctx.env, queue).sendBatch(run);
    }
    await markRelayed(
      ctx,
      events.filter((event) => !(transientEventTypes as readonly string[]).includes(event.type)).map((event) => event.id),
    );
    return events.length;
  } catch (error) {
    logger.warn("Could not relay events; the cron will send them again", {
      events: events.length,
      firstEventId: events[0]!.id,
      error: error instanceof Error ? error.message : String(error),
    });
    return 0;
  }
}

/** The cron's share: events whose in-request relay failed or never ran. */
export async function relayUnsentEvents(ctx: DomainContext, logger: Logger): Promise<{ found: number; relayed: number }> {
  const events = await unrelayedEvents(ctx, CRON_RELAY_LIMIT);
  return { found: events.length, relayed: await relayEvents(ctx, events, logger) };
}
