import type { Hook } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ZodError } from "zod";
import { HTTPException } from "hono/http-exception";
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
 * What the request layer refused before any handler ran (the body-reading validators of Hono and @hono/zod-openapi):
 * a body in a type the endpoint does not take is a 415, one that does not parse a 400. Their own messages are terse, so
 * these say what to send instead.
 */
function requestRefusal(c: Context<AppEnv>, error: HTTPException): Response {
  if (error.status === 415) {
    const sent = c.req.header("Content-Type") ?? "none";
    const accepted = "JSON, a URL-encoded form or a multipart form; uploads only multipart (see /api/openapi.json)";
    return apiError(c, 415, `This endpoint does not take a body of type ${sent}: send ${accepted}`);
  }
  if (error.status === 400) return apiError(c, 400, `The request body could not be read: ${error.message}`);
  return apiError(c, error.status as ContentfulStatusCode, error.message);
}

/**
 * Errors the domain raised on purpose keep their status, input the domain's own schemas refused is a 422, and a body
 * the request layer could not read keeps its 4xx; anything else is a logged 500 with no details.
 */
export function apiErrorResponse(c: Context<AppEnv>, error: unknown): Response {
  if (error instanceof DomainError) {
    if (error.retryAfterSeconds) c.header("Retry-After", String(error.retryAfterSeconds));
    return apiError(c, statusOfDomainError[error.kind], error.message);
  }
  if (error instanceof HTTPException && error.status < 500) return requestRefusal(c, error);
  if (error instanceof ZodError) return apiError(c, 422, `Validation failed: ${describeZodError(error)}`);
  c.get("scope")?.logger.error("Unhandled error in the API", error, { path: c.req.path });
  return apiError(c, 500, "Something went wrong on our side; it has been logged");
}
