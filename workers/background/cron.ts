import { sql } from "drizzle-orm";
import type { DomainContext } from "#domain/context.ts";
import { expireDeadLetters } from "#domain/dead-letters.ts";
import { expireMutes } from "#domain/graph/blocks.ts";
import { expireUnattachedUploads } from "#domain/media/attachments.ts";
import { notifyEndedPolls } from "#domain/posts/polls.ts";
import { createLogger } from "#workers/platform/logger.ts";
import { backgroundDomain } from "#workers/platform/request-scope.ts";

type Job = { name: string; run: (ctx: DomainContext) => Promise<Record<string, unknown>> };

/** Each schedule in wrangler.toml [triggers] and the job it runs. */
export const cronJobs: Record<string, Job> = {
  "0 * * * *": {
    name: "expire",
    run: async (ctx) => ({
      deadLettersRemoved: await expireDeadLetters(ctx),
      mutesLifted: await expireMutes(ctx),
      unattachedUploadsRemoved: await expireUnattachedUploads(ctx),
    }),
  },
  "*/5 * * * *": {
    name: "close-polls",
    run: async (ctx) => ({ pollsClosed: await notifyEndedPolls(ctx) }),
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

export async function dispatchScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const logger = createLogger({ component: "cron", cron: controller.cron });
  const job = cronJobs[controller.cron];
  if (!job) {
    logger.warn("No job for this schedule; check wrangler.toml [triggers]");
    return;
  }
  const started = performance.now();
  try {
    const result = await job.run(backgroundDomain(env));
    logger.info("cron job finished", { job: job.name, durationMs: Math.round(performance.now() - started), ...result });
  } catch (error) {
    logger.error("cron job failed", error, { job: job.name });
    throw error;
  }
}
