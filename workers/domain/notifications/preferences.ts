import { and, eq, inArray, isNotNull, or } from "drizzle-orm";
import { z } from "zod";
import { notificationDeliveries, notificationPreferences, notificationTypes, users } from "#db/schema/index.ts";
import { chunks } from "../chunks.ts";
import type { DomainContext } from "../context.ts";
import type { NotificationType } from "./notify.ts";
import { assertNotSuspended } from "../accounts/permissions.ts";

export type NotificationDelivery = (typeof notificationDeliveries)[number];
export type NotificationPreferences = Record<NotificationType, NotificationDelivery>;

/**
 * Each kind of notification as people read it: its name where they choose how to hear of it, and what one says in an
 * email. A new kind is one entry in notificationTypes (db/schema/notifications.ts) and one here; the compiler asks for
 * the second. `required` kinds cannot be turned off: a moderation decision is how the account learns of it and of its
 * right to appeal, so it is always in the app (email stays a choice).
 */
export const notificationKinds: Record<NotificationType, { name: string; told: (who: string) => string; required?: true }> = {
  mention: { name: "Mentions and replies", told: (who) => `${who} mentioned you` },
  reblog: { name: "Reposts of your posts", told: (who) => `${who} reposted your post` },
  favourite: { name: "Likes", told: (who) => `${who} liked your post` },
  reaction: { name: "Emoji reactions", told: (who) => `${who} reacted to your post` },
  quote: { name: "Quotes of your posts", told: (who) => `${who} quoted your post` },
  follow: { name: "New followers", told: (who) => `${who} followed you` },
  follow_request: { name: "Follow requests", told: (who) => `${who} asked to follow you` },
  friend_request: { name: "Friend requests", told: (who) => `${who} asked to be your friend` },
  friend_accept: { name: "Accepted friend requests", told: (who) => `${who} accepted your friend request` },
  poll: { name: "Polls that ended", told: (who) => `A poll by ${who} has ended` },
  update: { name: "Edits of posts you shared or voted in", told: (who) => `${who} edited a post you shared` },
  status: { name: "New posts from people you get notified about", told: (who) => `${who} posted` },
  "admin.report": { name: "New reports (moderators)", told: (who) => `${who} filed a report` },
  "admin.sign_up": { name: "New sign-ups (moderators)", told: (who) => `${who} signed up` },
  moderation_warning: {
    name: "Moderation decisions about your account",
    told: () => "The moderators took an action on your account",
    required: true,
  },
  story_mention: { name: "Mentions in stories", told: (who) => `${who} mentioned you in their story` },
};

const delivery = z.enum(notificationDeliveries, { message: "must be in_app, email, digest or off" });
const requiredDelivery = delivery.refine((chosen) => chosen !== "off", { message: "cannot be turned off" });

/** The deliveries a person may choose for a kind. */
export const deliveriesFor = (type: NotificationType): readonly NotificationDelivery[] =>
  notificationKinds[type].required ? notificationDeliveries.filter((chosen) => chosen !== "off") : notificationDeliveries;

/** A change of preferences: any kinds, each to one delivery; a kind Perch does not have is refused, not ignored. */
export const preferencesUpdateSchema = z.strictObject(
  Object.fromEntries(
    notificationTypes.map((type) => [type, (notificationKinds[type].required ? requiredDelivery : delivery).optional()]),
  ) as Record<NotificationType, z.ZodOptional<typeof delivery>>,
  {
    error: (issue) => (issue.code === "unrecognized_keys" ? `not a kind of notification: ${issue.keys.join(", ")}` : undefined),
  },
);
export type PreferencesUpdate = z.input<typeof preferencesUpdateSchema>;

/** A required kind stored as "off" (chosen before it was required) is heard of in the app. */
const effective = (type: NotificationType, chosen: NotificationDelivery): NotificationDelivery =>
  chosen === "off" && notificationKinds[type].required ? "in_app" : chosen;

/** How a person hears of every kind: in the app unless they chose otherwise. */
export async function readPreferences(ctx: DomainContext, userId: string): Promise<NotificationPreferences> {
  const rows = await ctx.db
    .select({ type: notificationPreferences.type, delivery: notificationPreferences.delivery })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId));
  const chosen = new Map(rows.map((row) => [row.type, effective(row.type, row.delivery)]));
  return Object.fromEntries(notificationTypes.map((type) => [type, chosen.get(type) ?? "in_app"])) as NotificationPreferences;
}

/**
 * Changes the kinds given and leaves the rest, in one batch. "in_app" is the default, so choosing it removes the row:
 * the table holds only the exceptions notify() must read.
 */
export async function updatePreferences(ctx: DomainContext, userId: string, input: PreferencesUpdate): Promise<NotificationPreferences> {
  assertNotSuspended(ctx);
  const update = Object.entries(preferencesUpdateSchema.parse(input)).filter(
    (entry): entry is [NotificationType, NotificationDelivery] => entry[1] !== undefined,
  );
  const statements = update.map(([type, chosen]) =>
    chosen === "in_app"
      ? ctx.db
          .delete(notificationPreferences)
          .where(and(eq(notificationPreferences.userId, userId), eq(notificationPreferences.type, type)))
      : ctx.db
          .insert(notificationPreferences)
          .values({ userId, type, delivery: chosen })
          .onConflictDoUpdate({ target: [notificationPreferences.userId, notificationPreferences.type], set: { delivery: chosen } }),
  );
  const [first, ...rest] = statements;
  if (first) await ctx.db.batch([first, ...rest]);
  return readPreferences(ctx, userId);
}

/**
 * Every choice other than "in the app" of these people, keyed "user:type"; for someone whose log-in is disabled, email
 * for moderation decisions whatever they chose.
 */
export async function deliveriesOf(ctx: DomainContext, userIds: string[]): Promise<Map<string, NotificationDelivery>> {
  const found = new Map<string, NotificationDelivery>();
  const disabled = new Set<string>();
  for (const some of chunks([...new Set(userIds)], 90)) {
    const rows = await ctx.db
      .select({
        userId: users.id,
        disabled: users.disabled,
        type: notificationPreferences.type,
        delivery: notificationPreferences.delivery,
      })
      .from(users)
      .leftJoin(notificationPreferences, eq(notificationPreferences.userId, users.id))
      .where(and(inArray(users.id, some), or(eq(users.disabled, true), isNotNull(notificationPreferences.userId))));
    for (const row of rows) {
      if (row.type && row.delivery) found.set(`${row.userId}:${row.type}`, effective(row.type, row.delivery));
      if (row.disabled) disabled.add(row.userId);
    }
  }
  // Someone whose log-in is disabled cannot open the app: a moderation decision reaches them by email (ADR 0056).
  for (const userId of disabled) found.set(`${userId}:moderation_warning`, "email");
  return found;
}
