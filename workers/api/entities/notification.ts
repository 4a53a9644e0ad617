import { z } from "@hono/zod-openapi";
import { notificationTypes } from "#db/schema/index.ts";
import { groupKeyFor, type NotificationGroup, type ShownNotification } from "#domain/notifications/inbox.ts";
import { AccountSchema, presentAccount } from "./account.ts";
import { AccountWarningSchema, presentAccountWarning } from "./account-warning.ts";
import { presentReport, ReportSchema } from "./report.ts";
import { presentStatus, StatusSchema } from "./status.ts";

export const NotificationTypeSchema = z.enum(notificationTypes).openapi("NotificationType", {
  description:
    "Mastodon's kinds, plus `quote` (Mastodon 4.5: someone quoted your post) and Perch extensions: `reaction` (someone " +
    "reacted to your post with an emoji), `friend_request` and `friend_accept` (someone asked to be friends, or accepted). " +
    "`admin.report` goes to moderators; `moderation_warning` tells you of a moderation action on your account.",
});

export const NotificationSchema = z
  .object({
    id: z.string(),
    type: NotificationTypeSchema,
    group_key: z.string().openapi({ description: "The group it belongs to in /api/v2/notifications." }),
    created_at: z.iso.datetime(),
    account: AccountSchema,
    status: StatusSchema.nullable().optional(),
    report: ReportSchema.optional().openapi({ description: "The report an `admin.report` is about." }),
    moderation_warning: AccountWarningSchema.optional().openapi({ description: "The action a `moderation_warning` is about." }),
  })
  .openapi("Notification");

export type NotificationEntity = z.infer<typeof NotificationSchema>;

export function presentNotification(item: ShownNotification, origin: string): NotificationEntity {
  return {
    id: item.notification.id,
    type: item.notification.type,
    group_key: groupKeyFor(item.notification),
    created_at: item.notification.createdAt.toISOString(),
    account: presentAccount(item.account, origin),
    ...(item.post ? { status: presentStatus(item.post, origin) } : {}),
    ...(item.report ? { report: presentReport(item.report, origin) } : {}),
    ...(item.warning ? { moderation_warning: presentAccountWarning(item.warning, item.account, origin) } : {}),
  };
}

export const NotificationGroupSchema = z
  .object({
    group_key: z.string(),
    notifications_count: z.number().int(),
    type: NotificationTypeSchema,
    most_recent_notification_id: z.string(),
    page_min_id: z.string(),
    page_max_id: z.string(),
    latest_page_notification_at: z.iso.datetime(),
    sample_account_ids: z.array(z.string()),
    status_id: z.string().nullable().optional(),
  })
  .openapi("NotificationGroup");

export const GroupedNotificationsResultsSchema = z
  .object({
    accounts: z.array(AccountSchema),
    statuses: z.array(StatusSchema),
    notification_groups: z.array(NotificationGroupSchema),
  })
  .openapi("GroupedNotificationsResults", {
    description: "Mastodon 4.3's grouped notifications: the groups, and every account and status they name, once.",
  });

/** Groups in Mastodon's shape: the accounts and statuses they name are listed once beside them. */
export function presentGroups(groups: NotificationGroup[], origin: string): z.infer<typeof GroupedNotificationsResultsSchema> {
  const accounts = new Map(groups.flatMap((group) => group.sampleAccounts.map((account) => [account.id, account] as const)));
  const statuses = new Map(groups.flatMap((group) => (group.post ? [[group.post.post.id, group.post] as const] : [])));
  return {
    accounts: [...accounts.values()].map((account) => presentAccount(account, origin)),
    statuses: [...statuses.values()].map((post) => presentStatus(post, origin)),
    notification_groups: groups.map((group) => ({
      group_key: group.groupKey,
      notifications_count: group.count,
      type: group.type,
      most_recent_notification_id: group.mostRecentId,
      page_min_id: group.oldestId,
      page_max_id: group.mostRecentId,
      latest_page_notification_at: group.latestAt.toISOString(),
      sample_account_ids: group.sampleAccounts.map((account) => account.id),
      ...(group.post ? { status_id: group.post.post.id } : {}),
    })),
  };
}
