import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./request-scope.ts";

/** Which address a request came from: Cloudflare's header in production; one shared bucket where it is absent. */
export function clientAddress(c: Context<AppEnv>): string {
  return c.req.header("cf-connecting-ip") ?? "unknown";
}

/**
 * A Rate Limiting binding in front of a group of routes, keyed per client. Over the limit the answer is 429 with
 * Retry-After (the binding's period) and Mastodon's error shape.
 */
export function rateLimit(options: {
  binding: (env: Env) => RateLimit;
  key: (c: Context<AppEnv>) => string;
  periodSeconds: 10 | 60;
}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { success } = await options.binding(c.env).limit({ key: options.key(c) });
    if (!success) {
      return c.json({ error: "Too many requests; try again shortly" }, 429, { "Retry-After": String(options.periodSeconds) });
    }
    await next();
  };
}

/** The credential requests the strict AUTH_RATE_LIMIT counts, each in its own bucket. */
export type AuthBucket = "login" | "signup" | "reset" | "verify-email" | "change-email" | "token";

/**
 * The strict limit on credential requests, per address and, given an account key (a username or email as typed), per
 * account too, so spreading requests over many addresses does not help. Every door counts in the same buckets with the
 * same keys, so a client cannot double its allowance by using the page and the API in turn. True when over either.
 */
export async function overAuthLimit(env: Env, bucket: AuthBucket, ip: string | null, account?: string): Promise<boolean> {
  const keys = [`${bucket}:ip:${ip ?? "unknown"}`];
  if (account) keys.push(`${bucket}:account:${account.trim().toLowerCase()}`);
  const results = await Promise.all(keys.map((key) => env.AUTH_RATE_LIMIT.limit({ key })));
  return results.some(({ success }) => !success);
}

/** overAuthLimit in front of API routes, per address (60 s is the binding's period). */
export function authRateLimit(bucket: AuthBucket): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (await overAuthLimit(c.env, bucket, c.req.header("cf-connecting-ip") ?? null)) {
      return c.json({ error: "Too many requests; try again shortly" }, 429, { "Retry-After": "60" });
    }
    await next();
  };
}

/**
 * SEARCH_RATE_LIMIT: searches a minute, per account for a signed-in searcher and per address for anyone else, the same
 * budget through the page and the API. Typeahead is not counted: it is a bounded prefix lookup, and per keystroke.
 */
export async function overSearchLimit(env: Env, searcher: { userId: string | null; ip: string | null }): Promise<boolean> {
  const key = searcher.userId ? `user:${searcher.userId}` : `ip:${searcher.ip ?? "unknown"}`;
  const { success } = await env.SEARCH_RATE_LIMIT.limit({ key });
  return !success;
}

/** overSearchLimit in front of API routes. */
export const searchRateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const searcher = { userId: c.var.scope.viewer?.user.id ?? null, ip: c.req.header("cf-connecting-ip") ?? null };
  if (await overSearchLimit(c.env, searcher)) {
    return c.json({ error: "Too many searches; try again in a minute" }, 429, { "Retry-After": "60" });
  }
  await next();
};
