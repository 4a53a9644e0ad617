import { count, sql } from "drizzle-orm";
import { posts, users } from "#db/schema/index.ts";
import type { DomainContext } from "./context.ts";
import { mediaLimits } from "./media/attachments.ts";
import { pollLimits } from "./posts/polls.ts";
import { CHARACTERS_RESERVED_PER_URL } from "./rich-text.ts";

export const PERCH_VERSION = "0.1.0";
/** The Mastodon API version whose shapes Perch follows; clients read it from /api/v1/instance. */
export const MASTODON_API_COMPATIBILITY = "4.3.0";
/**
 * Mastodon's machine-readable API version (`api_versions.mastodon`) for that release: 4.3.0 introduced it as 2.
 * Clients turn on later Mastodon features (4.4's and 4.5's) by a higher number, which Perch does not claim.
 */
export const MASTODON_API_VERSION = 2;
export const PERCH_SOURCE_URL = "https://github.com/perch-social/perch";
/** What this server allows, as reported to clients by the instance endpoints. */
export function instanceLimits(ctx: DomainContext) {
  return {
    maxPostCharacters: ctx.config.POST_MAX_CHARACTERS,
    charactersReservedPerUrl: CHARACTERS_RESERVED_PER_URL,
    maxMediaAttachments: mediaLimits.perPost,
    maxPollOptions: pollLimits.maxOptions,
    maxPollOptionCharacters: pollLimits.optionCharacters,
    minPollExpiration: pollLimits.minSeconds,
    maxPollExpiration: pollLimits.maxSeconds,
    maxProfileFields: 4,
    maxPinnedPosts: 5,
  };
}

export interface InstanceStats {
  users: number;
  posts: number;
  activeUsersThisMonth: number;
}

export async function instanceStats(ctx: DomainContext): Promise<InstanceStats> {
  const monthAgo = Date.now() - 30 * 24 * 60 * 60 * 1000;
  const [[userCount], [postCount], [active]] = await ctx.db.batch([
    ctx.db.select({ value: count() }).from(users),
    ctx.db.select({ value: count() }).from(posts),
    ctx.db
      .select({ value: count() })
      .from(users)
      .where(sql`${users.lastPostAt} >= ${monthAgo}`),
  ]);
  return { users: userCount?.value ?? 0, posts: postCount?.value ?? 0, activeUsersThisMonth: active?.value ?? 0 };
}

export interface Health {
  ok: boolean;
  latencyMs: number;
  /** Why the database did not answer, for the log; never shown to clients. */
  error?: unknown;
}

/** Liveness of what the product cannot work without: a round trip to D1. */
export async function checkHealth(ctx: DomainContext): Promise<Health> {
  const started = performance.now();
  try {
    await ctx.db.run(sql`select 1`);
    return { ok: true, latencyMs: performance.now() - started };
  } catch (error) {
    return { ok: false, latencyMs: performance.now() - started, error };
  }
}
