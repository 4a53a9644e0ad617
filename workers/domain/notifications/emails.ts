import { aliasedTable, and, count, eq, gte, inArray, isNotNull, lt, notExists, sql } from "drizzle-orm";
import {
  moderationActions,
  notificationDigests,
  notificationEmails,
  notificationPreferences,
  notifications,
  users,
} from "#db/schema/index.ts";
import { isUniqueConstraintError } from "#db/client.ts";
import type { DomainContext } from "../context.ts";
import { sendEmail } from "../email.ts";
import { renderEmail } from "../email-templates.ts";
import { actionLabel } from "../moderation/action-labels.ts";
import type { ModerationAction } from "../moderation/actions.ts";
import type { NotificationType } from "./notify.ts";
import { deliveriesOf, notificationKinds } from "./preferences.ts";
import { unsubscribeHeaders, unsubscribeToken } from "./unsubscribe.ts";

/** Notification emails: one at once for the kinds people asked that of, and a daily digest of the others (ADR 0033). */

const DAY_MS = 86_400_000;
/** People whose digest one run of the hourly job sends; the rest are sent by the next runs of the same day. */
const DIGESTS_PER_RUN = 200;

/** Where links in emails point. Configuration requires PUBLIC_ORIGIN outside development and tests. */
const originOf = (ctx: DomainContext) => ctx.config.PUBLIC_ORIGIN ?? "http://localhost:8788";

async function unsubscribeUrl(ctx: DomainContext, userId: string, types: NotificationType[]): Promise<string> {
  return `${originOf(ctx)}/unsubscribe/${await unsubscribeToken(ctx, userId, types)}`;
}

const recipients = aliasedTable(users, "recipients");

/**
 * Emails each of these notifications to its recipient, if they still want that kind by email and their address is
 * confirmed. Each email is queued in one batch with the record that it was (notification_emails), whose primary key
 * refuses a second: a redelivered event sends nothing twice. Returns how many were queued.
 */
export async function emailNotifications(ctx: DomainContext, notificationIds: string[]): Promise<number> {
  if (notificationIds.length === 0) return 0;
  const rows = await ctx.db
    .select({
      id: notifications.id,
      userId: notifications.userId,
      type: notifications.type,
      email: recipients.email,
      actor: users.username,
      subjectId: notifications.subjectId,
      emailed: notificationEmails.outboxId,
    })
    .from(notifications)
    .innerJoin(recipients, and(eq(recipients.id, notifications.userId), isNotNull(recipients.emailVerifiedAt)))
    .innerJoin(users, eq(users.id, notifications.fromUserId))
    .leftJoin(notificationEmails, eq(notificationEmails.notificationId, notifications.id))
    .where(inArray(notifications.id, notificationIds));
  const deliveries = await deliveriesOf(
    ctx,
    rows.map((row) => row.userId),
  );
  const warnings = await warningsNamed(
    ctx,
    rows.filter((row) => row.type === "moderation_warning").map((row) => row.subjectId),
  );
  let queued = 0;
  for (const row of rows) {
    if (row.emailed || deliveries.get(`${row.userId}:${row.type}`) !== "email") continue;
    const told = notificationKinds[row.type].told(`@${row.actor}`);
    const url = await unsubscribeUrl(ctx, row.userId, [row.type]);
    const warning = row.subjectId ? warnings.get(row.subjectId) : undefined;
    const message = renderEmail({
      to: row.email,
      subject: told,
      paragraphs: [`${told} on ${ctx.config.INSTANCE_TITLE}.`, ...(warning ? warningParagraphs(warning) : [])],
      action: warning?.kind === "disable" ? undefined : warningLink(ctx, warning),
      footer:
        warning?.kind === "disable"
          ? "You get this email because you cannot sign in to read it."
          : `You get an email for each of these because of your notification settings. Stop these emails: ${url}`,
    });
    try {
      const headers = warning?.kind === "disable" ? undefined : unsubscribeHeaders(url);
      await sendEmail(ctx, { ...message, headers }, (outboxId) => [
        ctx.db.insert(notificationEmails).values({ notificationId: row.id, outboxId }),
      ]);
      queued += 1;
    } catch (error) {
      // Another delivery of the same event queued it first.
      if (!isUniqueConstraintError(error)) throw error;
    }
  }
  return queued;
}

/** The moderation actions these moderation_warning notifications are about, by id. */
async function warningsNamed(ctx: DomainContext, actionIds: (string | null)[]): Promise<Map<string, ModerationAction>> {
  const ids = actionIds.filter((id): id is string => id !== null);
  if (ids.length === 0) return new Map();
  const found = await ctx.db.select().from(moderationActions).where(inArray(moderationActions.id, ids));
  return new Map(found.map((action) => [action.id, action]));
}

/** A moderation decision told in full: what was done and why, as /settings/moderation shows it. */
function warningParagraphs(action: ModerationAction): string[] {
  const why = action.reason ? [`Their reason: ${action.reason}`] : [];
  const lockedOut = action.kind === "disable" ? ["You cannot sign in until a moderator enables your log-in again."] : [];
  return [`${actionLabel(action)}.`, ...why, ...lockedOut];
}

/** Where an email's button leads: a decision to where it can be read and appealed, anything else to notifications. */
function warningLink(ctx: DomainContext, warning: ModerationAction | undefined) {
  return warning
    ? { label: "See it and appeal", url: `${originOf(ctx)}/settings/moderation` }
    : { label: "See your notifications", url: `${originOf(ctx)}/notifications` };
}

/** The UTC day before `now`, as its name (YYYY-MM-DD) and bounds. */
export function previousDay(now: Date): { day: string; start: Date; end: Date } {
  const end = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const start = new Date(end.getTime() - DAY_MS);
  return { day: start.toISOString().slice(0, 10), start, end };
}

/**
 * Sends the daily digests of the UTC day before `now` to the people who chose a digest for any kind and have not had
 * that day's yet, at most DIGESTS_PER_RUN of them. The hourly job calls it, so the first run after midnight UTC sends
 * the day's digests and later runs send what it did not reach. Returns how many people it settled.
 */
export async function sendDailyDigests(ctx: DomainContext, now = new Date()): Promise<number> {
  const { day, start, end } = previousDay(now);
  const due = await ctx.db
    .selectDistinct({ userId: notificationPreferences.userId })
    .from(notificationPreferences)
    .where(
      and(
        // A literal, not a bound value, so SQLite can match the partial index's condition.
        sql`${notificationPreferences.delivery} = 'digest'`,
        notExists(
          ctx.db
            .select({ one: sql`1` })
            .from(notificationDigests)
            .where(and(eq(notificationDigests.userId, notificationPreferences.userId), eq(notificationDigests.day, day))),
        ),
      ),
    )
    .limit(DIGESTS_PER_RUN);
  for (const { userId } of due) await sendDigest(ctx, userId, day, start, end);
  return due.length;
}

/**
 * One person's digest of one day: how many notifications of each kind they asked a digest of, with who from. A day
 * with none (or an address not confirmed) is recorded without an email, so it is not looked at again.
 */
async function sendDigest(ctx: DomainContext, userId: string, day: string, start: Date, end: Date): Promise<void> {
  const recipient = await ctx.db.query.users.findFirst({ where: eq(users.id, userId), columns: { email: true, emailVerifiedAt: true } });
  const kinds = (
    await ctx.db
      .select({ type: notificationPreferences.type })
      .from(notificationPreferences)
      .where(and(eq(notificationPreferences.userId, userId), eq(notificationPreferences.delivery, "digest")))
  ).map((row) => row.type);
  const counts = recipient?.emailVerifiedAt && kinds.length ? await dayCounts(ctx, userId, kinds, start, end) : [];
  const record = (outboxId: string | null) =>
    ctx.db.insert(notificationDigests).values({ userId, day, outboxId, createdAt: new Date() }).onConflictDoNothing();
  if (!recipient || counts.length === 0) {
    await record(null);
    return;
  }
  const total = counts.reduce((sum, row) => sum + row.n, 0);
  const url = await unsubscribeUrl(ctx, userId, kinds);
  const message = renderEmail({
    to: recipient.email,
    subject: `Your day on ${ctx.config.INSTANCE_TITLE}: ${total} notification${total === 1 ? "" : "s"}`,
    paragraphs: [`What happened on ${day} (UTC):`, ...counts.map((row) => `${notificationKinds[row.type].name}: ${row.n}`)],
    action: { label: "See your notifications", url: `${originOf(ctx)}/notifications` },
    footer: `You get this digest once a day because of your notification settings. Stop these emails: ${url}`,
  });
  try {
    await sendEmail(ctx, { ...message, headers: unsubscribeHeaders(url) }, (outboxId) => [
      ctx.db.insert(notificationDigests).values({ userId, day, outboxId, createdAt: new Date() }),
    ]);
  } catch (error) {
    // A run at the same time sent this day's digest first.
    if (!isUniqueConstraintError(error)) throw error;
  }
}

/** How many notifications of each of these kinds the person got that day (not those a policy held back). */
function dayCounts(ctx: DomainContext, userId: string, kinds: NotificationType[], start: Date, end: Date) {
  return ctx.db
    .select({ type: notifications.type, n: count() })
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        inArray(notifications.type, kinds),
        eq(notifications.filtered, false),
        gte(notifications.createdAt, start),
        lt(notifications.createdAt, end),
      ),
    )
    .groupBy(notifications.type)
    .orderBy(notifications.type);
}
