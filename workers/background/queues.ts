import { z } from "zod";
import type { DomainContext } from "#domain/context.ts";
import { recordDeadLetter } from "#domain/dead-letters.ts";
import { deliverEmail, emailDeliveryMessage } from "#domain/email.ts";
import { fetchPreviewCard, previewCardMessage } from "#domain/links/preview-cards.ts";
import { createLogger, type Logger } from "#workers/platform/logger.ts";
import { backgroundDomain } from "#workers/platform/request-scope.ts";

/** The queues in wrangler.toml, by role; deployed names carry an environment suffix (perch-fanout-staging). */
export const QUEUE_KINDS = ["fanout", "moderation", "notifications", "dead-letter"] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];

export function queueKindOf(queueName: string): QueueKind | undefined {
  return QUEUE_KINDS.find((kind) => queueName === `perch-${kind}` || queueName.startsWith(`perch-${kind}-`));
}

/** A consumer validates each message body with its schema, then handles it. Throwing means "retry later". */
export interface QueueConsumer<T = unknown> {
  schema: z.ZodType<T>;
  handle(ctx: DomainContext, body: T, meta: { attempts: number; queue: string }): Promise<void>;
}

export type QueueConsumers = Partial<Record<QueueKind, QueueConsumer>>;

/** Messages that exhausted their retries elsewhere: kept in D1 for review in /admin. */
const deadLetterConsumer: QueueConsumer<unknown> = {
  schema: z.unknown(),
  handle: (ctx, body, meta) => recordDeadLetter(ctx, { queue: meta.queue, body, reason: "Retries exhausted", attempts: meta.attempts }),
};

/** Notifications and email: today, delivering queued emails from the outbox. */
const notificationsConsumer: QueueConsumer<z.infer<typeof emailDeliveryMessage>> = {
  schema: emailDeliveryMessage,
  handle: (ctx, body) => deliverEmail(ctx, body.outboxId),
};

/** Fan-out: today, fetching link previews for new posts. A link that cannot be previewed is logged, not retried. */
const fanoutConsumer: QueueConsumer<z.infer<typeof previewCardMessage>> = {
  schema: previewCardMessage,
  handle: async (ctx, body) => {
    const result = await fetchPreviewCard(ctx, body.url);
    if (result.state === "failed")
      createLogger({ component: "preview-cards" }).warn("No preview for a link", { url: body.url, reason: result.reason });
  },
};

/**
 * The moderation consumer joins this map with the feature that produces its messages; a message for a queue without
 * one is kept as a dead letter rather than lost.
 */
export const consumers: QueueConsumers = {
  fanout: fanoutConsumer as QueueConsumer,
  notifications: notificationsConsumer as QueueConsumer,
  "dead-letter": deadLetterConsumer,
};

/** Retry after 10 s, 20 s, 40 s ... capped at 15 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(10 * 2 ** Math.max(0, attempts - 1), 900);
}

/**
 * Handles a batch message by message: one failure retries that message alone (with backoff) and never drops or
 * re-runs the rest of the batch. Malformed messages can never succeed, so they are recorded and acknowledged.
 */
export async function processBatch(batch: MessageBatch, ctx: DomainContext, registry: QueueConsumers): Promise<void> {
  const kind = queueKindOf(batch.queue);
  const consumer = kind && registry[kind];
  const logger = createLogger({ component: "queue", queue: batch.queue });
  for (const message of batch.messages) {
    await processMessage(message, batch.queue, ctx, consumer, logger);
  }
}

async function processMessage(
  message: Message,
  queue: string,
  ctx: DomainContext,
  consumer: QueueConsumer | undefined,
  logger: Logger,
): Promise<void> {
  const keep = async (reason: string) => {
    logger.warn("Dead-lettering a message", { messageId: message.id, reason });
    await recordDeadLetter(ctx, { queue, body: message.body, reason, attempts: message.attempts });
    message.ack();
  };
  if (!consumer) return keep(`No consumer handles queue ${queue}`);
  const parsed = consumer.schema.safeParse(message.body);
  if (!parsed.success) return keep(`Malformed message: ${parsed.error.message}`);
  try {
    await consumer.handle(ctx, parsed.data, { attempts: message.attempts, queue });
    message.ack();
  } catch (error) {
    logger.error("Queue message failed; retrying", error, { messageId: message.id, attempts: message.attempts });
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  }
}

export function dispatchQueueBatch(batch: MessageBatch, env: Env): Promise<void> {
  return processBatch(batch, backgroundDomain(env), consumers);
}
