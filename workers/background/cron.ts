import { sql } from "drizzle-orm";
import type { DomainContext } from "#domain/context.ts";
import { expireActivity, sampleQueues } from "#domain/dashboard.ts";
import { expireDeadLetters } from "#domain/dead-letters.ts";
import { expireMutes } from "#domain/graph/blocks.ts";
import { expireUnattachedUploads } from "#domain/media/attachments.ts";
import { expireRelayedEvents } from "#domain/events/outbox.ts";
import { sendDailyDigests } from "#domain/notifications/emails.ts";
import { trimHomeFeeds } from "#domain/home-feed/fan-out.ts";
import { expireUnsentUploads } from "#domain/messages/attachments.ts";
import { reencryptSomeMessages, rowsUnderOldKeys } from "#domain/messages/rotation.ts";
import { publishDuePosts } from "#domain/posts/drafts.ts";
import { closeEndedPolls } from "#domain/posts/polls.ts";
import { refreshTrends } from "#domain/trends/refresh.ts";
import { expireStories } from "#domain/stories/expiry.ts";
import { foldPastDays } from "#domain/analytics/views.ts";
import { createLogger, type Logger } from "#workers/platform/logger.ts";
import { backgroundDomain } from "#workers/platform/request-scope.ts";
import { relayUnsentEvents } from "./relay.ts";

/** One piece of a job, run on its own: its result's fields go into the job's log line. */
type Task = (ctx: DomainContext, logger: Logger) => Promise<Record<string, unknown>>;
/**
 * A schedule's work, as independent tasks: one that fails (a message row under a key version no longer configured,
 * say) is logged and the others still run, so trends are refreshed even while a rotation is stuck.
 */
type Job = { name: string; tasks: Record<string, Task> };

/** Each schedule in wrangler.toml [triggers] and the job it runs. */
export const cronJobs: Record<string, Job> = {
  "* * * * *": {
    name: "publish-and-relay",
    // Scheduled posts are published within a minute of their time (ADR 0020). Events whose in-request relay failed (a
    // queue was unreachable, the isolate went away) are sent from here.
    tasks: {
      "publish-due-posts": (ctx, logger) =>
        publishDuePosts(ctx, (error, draftId) => logger.error("Publishing a scheduled post failed", error, { draftId })),
      "relay-unsent-events": (ctx, logger) => relayUnsentEvents(ctx, logger),
    },
  },
  "0 * * * *": {
    name: "expire",
    tasks: {
      "expire-relayed-events": async (ctx) => ({ eventsRemoved: await expireRelayedEvents(ctx) }),
      "expire-dead-letters": async (ctx) => ({ deadLettersRemoved: await expireDeadLetters(ctx) }),
      "expire-activity": async (ctx) => ({ activityRemoved: await expireActivity(ctx) }),
      "sample-queues": async (ctx) => ({ queuesSampled: await sampleQueues(ctx) }),
      "expire-mutes": async (ctx) => ({ mutesLifted: await expireMutes(ctx) }),
      "expire-unattached-uploads": async (ctx) => ({ unattachedUploadsRemoved: await expireUnattachedUploads(ctx) }),
      "expire-unsent-message-uploads": async (ctx) => ({ unsentMessageUploadsRemoved: await expireUnsentUploads(ctx) }),
      "trim-home-feeds": async (ctx) => ({ homeFeedEntriesTrimmed: await trimHomeFeeds(ctx) }),
      // Each person's digest of the day before goes once (ADR 0033): the first run after midnight UTC sends them, the
      // later ones what it did not reach.
      "send-daily-digests": async (ctx) => ({ digestsSettled: await sendDailyDigests(ctx) }),
      "expire-stories": (ctx) => expireStories(ctx),
      "fold-analytics": async (ctx) => ({ analyticsDaysFolded: await foldPastDays(ctx) }),
    },
  },
  "*/5 * * * *": {
    name: "close-polls-trends-and-rotation",
    // Trends are scored as often as Mastodon refreshes them (docs/trends.md); message key rotation re-encrypts in the
    // background, a bounded share each run (docs/decisions/0036).
    tasks: {
      "close-polls": async (ctx) => ({ pollsClosed: await closeEndedPolls(ctx) }),
      // What is left under each older version says when that version may be removed (ADR 0036).
      "reencrypt-messages": async (ctx) => ({
        messagesReencrypted: await reencryptSomeMessages(ctx),
        rowsUnderOldKeys: await rowsUnderOldKeys(ctx),
      }),
      "refresh-trends": (ctx) => refreshTrends(ctx),
    },
  },
  "30 3 * * *": {
    name: "optimize-database",
    // Lets SQLite refresh the planner statistics that keep our indexes chosen as tables grow.
    tasks: {
      "optimize-database": async (ctx) => {
        await ctx.db.run(sql`PRAGMA optimize`);
        return {};
      },
    },
  },
};

/**
 * Runs a schedule's job, every task whatever the others do. A failed task is logged (console.error) as it fails; once
 * all have run the invocation still fails, so the platform's record of cron runs shows it.
 */
export async function dispatchScheduled(controller: ScheduledController, env: Env, executionCtx: ExecutionContext): Promise<void> {
  const ctx = backgroundDomain(env, executionCtx);
  const logger = createLogger(ctx.config.LOG_LEVEL, { component: "cron", cron: controller.cron });
  const job = cronJobs[controller.cron];
  if (!job) {
    logger.warn("No job for this schedule; check wrangler.toml [triggers]");
    return;
  }
  const started = performance.now();
  const failures: unknown[] = [];
  let result: Record<string, unknown> = {};
  for (const [task, run] of Object.entries(job.tasks)) {
    try {
      result = { ...result, ...(await run(ctx, logger)) };
    } catch (error) {
      failures.push(error);
      logger.error("cron task failed", error, { job: job.name, task });
    }
  }
  const failed = failures.length > 0 ? { failedTasks: failures.length } : {};
  logger.info("cron job finished", { job: job.name, durationMs: Math.round(performance.now() - started), ...failed, ...result });
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} task(s) of cron job ${job.name} failed`);
}
