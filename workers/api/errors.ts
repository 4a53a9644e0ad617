import type { Hook } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ZodError } from "zod";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { describeZodError, DomainError, statusOfDomainError } from "#domain/errors.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";

/** Mastodon's error shape, the only one the API answers with. */
export function apiError(c: Context<AppEnv>, status: ContentfulStatusCode, message: string): Response {
  return c.json({ error: message }, status);
}

/** Failed validation of a path, query or body is a 400 (422 for bodies, as Mastodon answers) naming each field. */
export const validationHook: Hook<unknown, AppEnv, string, Response | undefined> = (result, c) => {
  if (result.success) return undefined;
  const status = result.target === "json" || result.target === "form" ? 422 : 400;
  return apiError(c, status, describeZodError(result.error));
};

/**
 * Errors the domain raised on purpose keep their status, and input the domain's own schemas refused is a 422; anything
 * else is a logged 500 with no details.
 */
export function apiErrorResponse(c: Context<AppEnv>, error: unknown): Response {
  if (error instanceof DomainError) {
    if (error.retryAfterSeconds) c.header("Retry-After", String(error.retryAfterSeconds));
    return apiError(c, statusOfDomainError[error.kind], error.message);
  }
  if (error instanceof ZodError) return apiError(c, 422, `Validation failed: ${describeZodError(error)}`);
  c.get("scope")?.logger.error("Unhandled error in the API", error, { path: c.req.path });
  return apiError(c, 500, "Something went wrong on our side; it has been logged");
}
