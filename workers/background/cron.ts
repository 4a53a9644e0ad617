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
import { reencryptSomeMessages } from "#domain/messages/rotation.ts";
import { publishDuePosts } from "#domain/posts/drafts.ts";
import { closeEndedPolls } from "#domain/posts/polls.ts";
import { refreshTrends } from "#domain/trends/refresh.ts";
import { expireStories } from "#domain/stories/expiry.ts";
import { foldPastDays } from "#domain/analytics/views.ts";
import { createLogger, type Logger } from "#workers/platform/logger.ts";
import { backgroundDomain } from "#workers/platform/request-scope.ts";
import { relayUnsentEvents } from "./relay.ts";

type Job = { name: string; run: (ctx: DomainContext, logger: Logger) => Promise<Record<string, unknown>> };

/** Each schedule in wrangler.toml [triggers] and the job it runs. */
export const cronJobs: Record<string, Job> = {
  "* * * * *": {
    name: "publish-and-relay",
    // Scheduled posts are published within a minute of their time (ADR 0020). Events whose in-request relay failed (a
    // queue was unreachable, the isolate went away) are sent from here.
    run: async (ctx, logger) => ({
      ...(await publishDuePosts(ctx, (error, draftId) => logger.error("Publishing a scheduled post failed", error, { draftId }))),
      ...(await relayUnsentEvents(ctx, logger)),
    }),
  },
  "0 * * * *": {
    name: "expire",
    run: async (ctx) => ({
      eventsRemoved: await expireRelayedEvents(ctx),
      deadLettersRemoved: await expireDeadLetters(ctx),
      activityRemoved: await expireActivity(ctx),
      queuesSampled: await sampleQueues(ctx),
      mutesLifted: await expireMutes(ctx),
      unattachedUploadsRemoved: await expireUnattachedUploads(ctx),
      unsentMessageUploadsRemoved: await expireUnsentUploads(ctx),
      homeFeedEntriesTrimmed: await trimHomeFeeds(ctx),
      // Each person's digest of the day before goes once (ADR 0033): the first run after midnight UTC sends them, the
      // later ones what it did not reach.
      digestsSettled: await sendDailyDigests(ctx),
      ...(await expireStories(ctx)),
      analyticsDaysFolded: await foldPastDays(ctx),
    }),
  },
  "*/5 * * * *": {
    name: "close-polls-trends-and-rotation",
    // Trends are scored as often as Mastodon refreshes them (docs/trends.md); message key rotation re-encrypts in the
    // background, a bounded share each run (docs/decisions/0036).
    run: async (ctx) => ({
      pollsClosed: await closeEndedPolls(ctx),
      messagesReencrypted: await reencryptSomeMessages(ctx),
      ...(await refreshTrends(ctx)),
    }),
  },
  "30 3 * * *": {
    name: "optimize-database",
    // Lets SQLite refresh the planner statistics that keep our indexes chosen as tables grow.
    run: async (ctx) => {
      await ctx.db.run(sql`PRAGMA optimize`);
      return {};
    },
  },
};

export async function dispatchScheduled(controller: ScheduledController, env: Env, executionCtx: ExecutionContext): Promise<void> {
  const ctx = backgroundDomain(env, executionCtx);
  const logger = createLogger(ctx.config.LOG_LEVEL, { component: "cron", cron: controller.cron });
  const job = cronJobs[controller.cron];
  if (!job) {
    logger.warn("No job for this schedule; check wrangler.toml [triggers]");
    return;
  }
  const started = performance.now();
  try {
    const result = await job.run(ctx, logger);
    logger.info("cron job finished", { job: job.name, durationMs: Math.round(performance.now() - started), ...result });
  } catch (error) {
    logger.error("cron job failed", error, { job: job.name });
    throw error;
  }
}
