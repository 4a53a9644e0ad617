import { z } from "zod";
import type { DomainContext } from "#domain/context.ts";
import { recordDeadLetter } from "#domain/dead-letters.ts";
import { describeZodError } from "#domain/errors.ts";
import { isEventType, parseEvent, type DomainEvent } from "#domain/events/catalogue.ts";
import { createLogger, type Logger } from "#workers/platform/logger.ts";
import { backgroundDomain } from "#workers/platform/request-scope.ts";
import { eventHandlers, EVENT_QUEUES, handlersFor, type EventHandler } from "./event-handlers.ts";

/** The queues in wrangler.toml, by role; deployed names carry an environment suffix (perch-fanout-staging). */
export const QUEUE_KINDS = [...EVENT_QUEUES, "dead-letter"] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];

export function queueKindOf(queueName: string): QueueKind | undefined {
  return QUEUE_KINDS.find((kind) => queueName === `perch-${kind}` || queueName.startsWith(`perch-${kind}-`));
}

/**
 * On this attempt a message that still fails is dead-lettered with its error. wrangler.toml allows more retries than
 * this, so the platform's own dead-lettering (without the error) only catches a consumer that crashed outright.
 */
export const MAX_ATTEMPTS = 8;

/** Retry after 10 s, 20 s, 40 s ... capped at 15 minutes: about 21 minutes from the first try to the last. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(10 * 2 ** Math.max(0, attempts - 1), 900);
}

const eventMessage = z.object({ id: z.string().min(1), type: z.string().min(1), payload: z.unknown(), occurredAt: z.number() });

/**
 * Handles a batch message by message: each event goes to the handlers registered for its type in this queue. One
 * failure retries that message alone (with backoff) and never drops or re-runs the rest of the batch; a message that
 * can never succeed (malformed, an unknown type) or that failed MAX_ATTEMPTS times is recorded as a dead letter with
 * its reason and acknowledged.
 */
export async function processBatch(
  batch: MessageBatch,
  ctx: DomainContext,
  registry: readonly EventHandler[] = eventHandlers,
): Promise<void> {
  const kind = queueKindOf(batch.queue);
  const logger = createLogger(ctx.config.LOG_LEVEL, { component: "queue", queue: batch.queue });
  for (const message of batch.messages) {
    const deadLetter = async (reason: string) => {
      logger.warn("Dead-lettering a message", { messageId: message.id, reason });
      await recordDeadLetter(ctx, { queue: batch.queue, body: message.body, reason, attempts: message.attempts });
      message.ack();
    };
    if (kind === "dead-letter") {
      await deadLetter("Retries exhausted (the platform moved it to the dead-letter queue)");
      continue;
    }
    if (!kind) {
      await deadLetter(`No consumer handles queue ${batch.queue}`);
      continue;
    }
    const event = readEvent(message.body);
    if (typeof event === "string") await deadLetter(event);
    else await handleEvent(ctx, message, event, handlersFor(event.type, kind, registry), { deadLetter, logger });
  }
}

/** The event a message carries, or why it carries none. */
function readEvent(body: unknown): DomainEvent | string {
  const envelope = eventMessage.safeParse(body);
  if (!envelope.success) return `Malformed message: ${describeZodError(envelope.error)}`;
  const { id, type, payload, occurredAt } = envelope.data;
  if (!isEventType(type)) return `Unknown event type "${type}"`;
  try {
    return parseEvent({ id, type, payload, occurredAt: new Date(occurredAt) });
  } catch (error) {
    return `Malformed ${type} payload: ${error instanceof z.ZodError ? describeZodError(error) : String(error)}`;
  }
}

async function handleEvent(
  ctx: DomainContext,
  message: Message,
  event: DomainEvent,
  handlers: EventHandler[],
  on: { deadLetter: (reason: string) => Promise<void>; logger: Logger },
): Promise<void> {
  let current: EventHandler | undefined;
  try {
    for (const handler of handlers) {
      current = handler;
      await handler.handle(ctx, event, { attempts: message.attempts, finalAttempt: message.attempts >= MAX_ATTEMPTS });
    }
    message.ack();
  } catch (error) {
    const context = { messageId: message.id, eventId: event.id, type: event.type, handler: current?.name, attempts: message.attempts };
    if (message.attempts >= MAX_ATTEMPTS) {
      on.logger.error("Event handler failed for the last time", error, context);
      await on.deadLetter(`${current?.name} failed ${message.attempts} times: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    on.logger.warn("Event handler failed; retrying", { ...context, error: error instanceof Error ? error.message : String(error) });
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  }
}

export function dispatchQueueBatch(batch: MessageBatch, env: Env, executionCtx: ExecutionContext): Promise<void> {
  return processBatch(batch, backgroundDomain(env, executionCtx));
}
