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
