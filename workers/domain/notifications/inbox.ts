import { and, desc, eq, gt, inArray, lt, notInArray, sql, type SQL } from "drizzle-orm";
import { moderationActions, notifications, notificationTypes, posts, reports, users } from "#db/schema/index.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { newestFirst, pageBounds, pageOf, type Page, type PageRequest } from "../pagination.ts";
import { showPosts, type ShownPost } from "../posts/hydrate.ts";
import { publicUserColumns, type PublicUser } from "../profiles/profile.ts";
import { applyFilters } from "../filters/apply.ts";
import { readMarkers } from "../markers.ts";
import { viewReports, type ReportView } from "../moderation/reports.ts";
import type { NotificationType } from "./notify.ts";
import { storyNotes, type StoryNote } from "../stories/notes.ts";

export type Notification = typeof notifications.$inferSelect;

/** A notification ready for any door: who did it and the post it is about, as the recipient may see it. */
export interface ShownNotification {
  notification: Notification;
  account: PublicUser;
  post: ShownPost | null;
  /** The report an admin.report is about. */
  report?: ReportView;
  /** The moderation action a moderation_warning is about (Mastodon's AccountWarning). */
  warning?: typeof moderationActions.$inferSelect;
  /** For story notifications: the item (by its author's username, for its link). */
  story: StoryNote | null;
}

/** Mastodon's filters of the notifications list: only these kinds (none: nothing), not these kinds, only from this account. */
export interface NotificationFilter {
  types?: NotificationType[];
  excludeTypes?: NotificationType[];
  accountId?: string;
  /** Include the notifications a policy held back (Mastodon's include_filtered). */
  includeFiltered?: boolean;
}

export const isNotificationType = (type: string): type is NotificationType => (notificationTypes as readonly string[]).includes(type);

/** The kinds grouped by default (Mastodon 4.3's grouped_types): likes, reposts, reactions and follows. */
export const GROUPED_TYPES: readonly NotificationType[] = ["favourite", "reblog", "reaction", "follow"];

/**
 * The key notifications that read as one share: the same kind about the same post, or follows on the same day. Other
 * kinds get none and stand alone.
 */
export function groupKeyOf(type: NotificationType, postId: string | null | undefined, at: Date): string | null {
  if (!GROUPED_TYPES.includes(type)) return null;
  if (type === "follow") return `follow-${Math.floor(at.getTime() / 86_400_000)}`;
  return postId ? `${type}-${postId}` : null;
}

/** The API's name for a notification's group: its key, or "ungrouped-<id>" for one that stands alone. */
export const groupKeyFor = (row: Pick<Notification, "id" | "groupKey">) => row.groupKey ?? `ungrouped-${row.id}`;

function filterWhere(userId: string, filter: NotificationFilter): SQL | undefined {
  return and(
    eq(notifications.userId, userId),
    // Asked only for kinds Perch does not have: nothing matches.
    filter.types ? (filter.types.length ? inArray(notifications.type, filter.types) : sql`0`) : undefined,
    filter.excludeTypes?.length ? notInArray(notifications.type, filter.excludeTypes) : undefined,
    filter.accountId ? eq(notifications.fromUserId, filter.accountId) : undefined,
    filter.includeFiltered ? undefined : eq(notifications.filtered, false),
  );
}

/**
 * Hydrates notification rows for their recipient: each with its actor and post. A notification about a post that is
 * gone, or that the recipient may no longer see, is left out, as Mastodon does.
 */
export async function showNotifications(ctx: DomainContext, recipientId: string, rows: Notification[]): Promise<ShownNotification[]> {
  if (rows.length === 0) return [];
  const actorIds = [...new Set(rows.map((row) => row.fromUserId))];
  const postIds = [...new Set(rows.map((row) => row.postId).filter((id): id is string => Boolean(id)))];
  const reportIds = rows.filter((row) => row.type === "admin.report" && row.subjectId).map((row) => row.subjectId!);
  const actionIds = rows.filter((row) => row.type === "moderation_warning" && row.subjectId).map((row) => row.subjectId!);
  const [actors, postRows, reportRows, notes, actions] = await Promise.all([
    ctx.db
      .select(publicUserColumns)
      .from(users)
      .where(inArray(users.id, inIds(actorIds))),
    postIds.length
      ? ctx.db
          .select()
          .from(posts)
          .where(inArray(posts.id, inIds(postIds)))
      : Promise.resolve([]),
    reportIds.length
      ? ctx.db
          .select()
          .from(reports)
          .where(inArray(reports.id, inIds(reportIds)))
      : Promise.resolve([]),
    storyNotes(ctx, rows),
    actionIds.length
      ? ctx.db
          .select()
          .from(moderationActions)
          .where(and(inArray(moderationActions.id, inIds(actionIds)), eq(moderationActions.accountId, recipientId)))
      : Promise.resolve([]),
  ]);
  const actionsById = new Map(actions.map((action) => [action.id, action]));
  const actorsById = new Map(actors.map((actor) => [actor.id, actor]));
  const reportsById = new Map((await viewReports(ctx, reportRows)).map((view) => [view.report.id, view]));
  const shown = new Map((await showPosts(ctx, recipientId, postRows)).map((view) => [view.post.id, view]));
  const shownNotifications = rows.flatMap((notification) => {
    const account = actorsById.get(notification.fromUserId);
    const post = notification.postId ? shown.get(notification.postId) : null;
    const story = notification.storyItemId ? notes.get(notification.id) : null;
    if (!account || post === undefined || story === undefined) return [];
    const report = notification.type === "admin.report" && notification.subjectId ? reportsById.get(notification.subjectId) : undefined;
    const warning =
      notification.type === "moderation_warning" && notification.subjectId ? actionsById.get(notification.subjectId) : undefined;
    return [{ notification, account, post, story, ...(report ? { report } : {}), ...(warning ? { warning } : {}) }];
  });
  return applyFilters(ctx, recipientId, "notifications", shownNotifications, (item) => item.post);
}

/** The person's notifications, newest first, paginated by id (Mastodon's GET /api/v1/notifications). */
export async function listNotifications(
  ctx: DomainContext,
  userId: string,
  page: PageRequest,
  filter: NotificationFilter = {},
): Promise<Page<ShownNotification>> {
  const bounds = pageBounds(notifications.id, page);
  const rows = await ctx.db
    .select()
    .from(notifications)
    .where(and(filterWhere(userId, filter), bounds.where))
    .orderBy(bounds.orderBy)
    .limit(page.limit);
  const ordered = newestFirst(rows, bounds.ascending);
  return pageOf(
    await showNotifications(ctx, userId, ordered),
    ordered.map((row) => row.id),
    page,
  );
}

/** One of the person's notifications; anyone else's, or one about a post now hidden, is not found. */
export async function getNotification(ctx: DomainContext, userId: string, id: string): Promise<ShownNotification> {
  const row = await ctx.db.query.notifications.findFirst({ where: and(eq(notifications.id, id), eq(notifications.userId, userId)) });
  const [shown] = row ? await showNotifications(ctx, userId, [row]) : [];
  if (!shown) throw new DomainError("not_found", "Record not found");
  return shown;
}

/** Dismisses one notification (nothing happens for one that is not the person's: the answer is the same). */
export async function dismissNotification(ctx: DomainContext, userId: string, id: string): Promise<void> {
  await ctx.db.delete(notifications).where(and(eq(notifications.id, id), eq(notifications.userId, userId)));
}

/** Dismisses every notification in a group. */
export async function dismissNotificationGroup(ctx: DomainContext, userId: string, groupKey: string): Promise<void> {
  await ctx.db.delete(notifications).where(and(eq(notifications.userId, userId), groupCondition(groupKey)));
}

export async function clearNotifications(ctx: DomainContext, userId: string): Promise<void> {
  await ctx.db.delete(notifications).where(eq(notifications.userId, userId));
}

/** Mastodon counts unread notifications up to a limit (100 by default, at most 1000): a badge shows "99+". */
export const UNREAD_COUNT_DEFAULT = 100;
export const UNREAD_COUNT_MAX = 1000;

/**
 * How many notifications (or, grouped, groups) are newer than the person's notifications marker, up to `limit`.
 */
export async function unreadNotificationCount(
  ctx: DomainContext,
  userId: string,
  options: { limit?: number; filter?: NotificationFilter; grouped?: boolean } = {},
): Promise<number> {
  const limit = Math.min(options.limit ?? UNREAD_COUNT_DEFAULT, UNREAD_COUNT_MAX);
  const [marker] = await readMarkers(ctx, userId, ["notifications"]);
  const where = and(filterWhere(userId, options.filter ?? {}), marker ? gt(notifications.id, marker.lastReadId) : undefined);
  const counted = options.grouped ? sql`DISTINCT coalesce(${notifications.groupKey}, ${notifications.id})` : sql`1`;
  const [row] = await ctx.db.all<{ count: number }>(
    sql`SELECT count(${counted}) AS count FROM (SELECT * FROM ${notifications} WHERE ${where} ORDER BY ${notifications.id} DESC LIMIT ${limit * 10}) AS ${notifications}`,
  );
  return Math.min(row?.count ?? 0, limit);
}

/** The rows of a group: by its key, or the one notification an "ungrouped-<id>" names. */
function groupCondition(groupKey: string): SQL {
  const single = /^ungrouped-(\d+)$/.exec(groupKey);
  return single ? eq(notifications.id, single[1]!) : eq(notifications.groupKey, groupKey);
}

/** A group of notifications as Mastodon 4.3 shows it: how many, the latest few actors, the newest and oldest ids. */
export interface NotificationGroup {
  groupKey: string;
  type: NotificationType;
  count: number;
  /** The newest notification's id and time, and the oldest's id, among those on this page. */
  mostRecentId: string;
  oldestId: string;
  latestAt: Date;
  postId: string | null;
  /** The latest actors, newest first (at most SAMPLE_ACCOUNTS). */
  sampleAccounts: PublicUser[];
  post: ShownPost | null;
  story: StoryNote | null;
}

const SAMPLE_ACCOUNTS = 8;

/**
 * The person's notifications in groups, newest group first, paginated by notification id as Mastodon 4.3 does: a page
 * reads `limit` groups among the notifications past the cursor; a group's count is of its notifications past the cursor
 * too, so the next page may show the rest of it. Kinds not in `groupedTypes` stand alone.
 */
export async function listNotificationGroups(
  ctx: DomainContext,
  userId: string,
  page: PageRequest,
  filter: NotificationFilter = {},
  groupedTypes: readonly NotificationType[] = GROUPED_TYPES,
): Promise<Page<NotificationGroup>> {
  const key = sql`CASE WHEN ${notifications.groupKey} IS NOT NULL AND ${notifications.type} IN (SELECT value FROM json_each(${JSON.stringify(groupedTypes)}))
    THEN ${notifications.groupKey} ELSE 'ungrouped-' || ${notifications.id} END`;
  const window = and(
    filterWhere(userId, filter),
    page.max_id ? lt(notifications.id, page.max_id) : undefined,
    page.min_id ? gt(notifications.id, page.min_id) : page.since_id ? gt(notifications.id, page.since_id) : undefined,
  );
  const ascending = page.min_id !== undefined;
  const groups = await ctx.db
    .select({
      groupKey: sql<string>`${key}`,
      count: sql<number>`count(*)`,
      mostRecentId: sql<string>`max(${notifications.id})`,
      oldestId: sql<string>`min(${notifications.id})`,
    })
    .from(notifications)
    .where(window)
    .groupBy(key)
    .orderBy(ascending ? sql`min(${notifications.id}) ASC` : desc(sql`max(${notifications.id})`))
    .limit(page.limit);
  const ordered = newestFirst(groups, ascending);
  const items = await hydrateGroups(ctx, userId, ordered, window, key);
  const cursors = ordered.map((group) => (ascending ? group.mostRecentId : group.oldestId));
  return { ...pageOf(items, cursors, page), newer: ordered[0]?.mostRecentId ?? null };
}

/** One group, whole (Mastodon's GET /api/v2/notifications/:group_key); not found when it has no notifications. */
export async function getNotificationGroup(ctx: DomainContext, userId: string, groupKey: string): Promise<NotificationGroup> {
  const where = and(eq(notifications.userId, userId), groupCondition(groupKey));
  const [summary] = await ctx.db
    .select({
      count: sql<number>`count(*)`,
      mostRecentId: sql<string>`max(${notifications.id})`,
      oldestId: sql<string>`min(${notifications.id})`,
    })
    .from(notifications)
    .where(where);
  if (!summary?.count) throw new DomainError("not_found", "Record not found");
  const [group] = await hydrateGroups(ctx, userId, [{ groupKey, ...summary }], where, sql`${groupKey}`);
  if (!group) throw new DomainError("not_found", "Record not found");
  return group;
}

/**
 * The groups with their latest few notifications and what those show, in two round trips whatever the number of groups:
 * one read ranks each group's notifications in the window (row_number over the group key) and keeps the latest
 * SAMPLE_ACCOUNTS of each, one showNotifications reads their actors and posts.
 */
async function hydrateGroups(
  ctx: DomainContext,
  userId: string,
  groups: { groupKey: string; count: number; mostRecentId: string; oldestId: string }[],
  window: SQL | undefined,
  key: SQL,
): Promise<NotificationGroup[]> {
  if (groups.length === 0) return [];
  const keys = JSON.stringify(groups.map((group) => group.groupKey));
  const ranked = ctx.db.$with("ranked").as(
    ctx.db
      .select({
        id: sql<string>`${notifications.id}`.as("ranked_id"),
        groupKey: sql<string>`${key}`.as("ranked_group_key"),
        place: sql<number>`row_number() OVER (PARTITION BY ${key} ORDER BY ${notifications.id} DESC)`.as("ranked_place"),
      })
      .from(notifications)
      .where(and(window, sql`${key} IN (SELECT value FROM json_each(${keys}))`)),
  );
  const rows = await ctx.db
    .with(ranked)
    .select({ notification: notifications, groupKey: ranked.groupKey })
    .from(ranked)
    .innerJoin(notifications, eq(notifications.id, ranked.id))
    .where(sql`${ranked.place} <= ${SAMPLE_ACCOUNTS}`)
    .orderBy(desc(notifications.id));
  const shownById = new Map(
    (
      await showNotifications(
        ctx,
        userId,
        rows.map((row) => row.notification),
      )
    ).map((item) => [item.notification.id, item]),
  );
  return groups.flatMap((group) => {
    const shown = rows.flatMap((row) => (row.groupKey === group.groupKey ? (shownById.get(row.notification.id) ?? []) : []));
    const newest = shown[0];
    if (!newest) return [];
    return [
      {
        groupKey: group.groupKey,
        type: newest.notification.type,
        count: group.count,
        mostRecentId: group.mostRecentId,
        oldestId: group.oldestId,
        latestAt: newest.notification.createdAt,
        postId: newest.notification.postId,
        sampleAccounts: [...new Map(shown.map((item) => [item.account.id, item.account])).values()],
        post: newest.post,
        story: newest.story,
      },
    ];
  });
}
