import type { ZodError } from "zod";
import { describeZodError } from "#domain/errors.ts";

/** A 400 for the error boundary, whose message (written for people) says what was wrong. */
export function badRequest(error: ZodError): Response {
  return new Response(describeZodError(error), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export function notFound(message = "This page doesn't exist, or it has been removed."): Response {
  return new Response(message, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
