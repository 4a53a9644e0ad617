import { and, desc, eq, gt } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { newId } from "#db/ids.ts";
import { outbox } from "#db/schema/index.ts";
import type { DomainContext } from "./context.ts";
import { commit } from "./events/outbox.ts";

export type OutgoingEmail = typeof outbox.$inferSelect;

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Set on emails limited per recipient, which count the ones recently sent (recentlyEmailed). */
  kind?: "signup-attempt";
  /** Extra headers (List-Unsubscribe on notification emails). */
  headers?: Record<string, string>;
}

/** Development and tests keep every email readable in the mailbox page instead of sending it. */
function keepsMailbox(ctx: DomainContext): boolean {
  return ctx.config.ENVIRONMENT === "development" || ctx.config.ENVIRONMENT === "test";
}

/**
 * Queues an email: stored in the outbox with an email.queued event in one batch, then sent by that event's handler.
 * The event carries a reference, never the content. `alongside` are statements that must land with it or not at all
 * (the record that a notification was emailed).
 */
export async function sendEmail(
  ctx: DomainContext,
  message: EmailMessage,
  alongside: (outboxId: string) => BatchItem<"sqlite">[] = () => [],
) {
  const id = newId();
  await commit(
    ctx,
    [ctx.db.insert(outbox).values({ id, ...message, createdAt: new Date() }), ...alongside(id)],
    [{ type: "email.queued", payload: { outboxId: id } }],
  );
  return id;
}

/** Whether an email of this kind went to this address (or was queued for it) within the last `withinMs`. */
export async function recentlyEmailed(ctx: DomainContext, kind: NonNullable<EmailMessage["kind"]>, to: string, withinMs: number) {
  const [recent] = await ctx.db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.kind, kind), eq(outbox.to, to), gt(outbox.createdAt, new Date(Date.now() - withinMs))))
    .limit(1);
  return Boolean(recent);
}

/**
 * Sends one queued email through the send_email binding and erases its body, or, in development, marks it delivered
 * to the mailbox. Delivering twice (a queue redelivery) sends nothing the second time.
 */
export async function deliverEmail(ctx: DomainContext, outboxId: string): Promise<void> {
  const email = await ctx.db.query.outbox.findFirst({ where: eq(outbox.id, outboxId) });
  if (!email || email.status === "sent") return;
  if (!keepsMailbox(ctx)) {
    await ctx.env.EMAIL.send({
      from: ctx.config.EMAIL_FROM,
      to: email.to,
      subject: email.subject,
      text: email.text ?? "",
      html: email.html ?? undefined,
      headers: email.headers ?? undefined,
    });
  }
  const erase = keepsMailbox(ctx) ? {} : { text: null, html: null };
  await ctx.db
    .update(outbox)
    .set({ status: "sent", sentAt: new Date(), ...erase })
    .where(eq(outbox.id, outboxId));
}

/** The development mailbox: the newest emails first. */
export function mailbox(ctx: DomainContext, limit = 50): Promise<OutgoingEmail[]> {
  return ctx.db.select().from(outbox).orderBy(desc(outbox.id)).limit(limit);
}
