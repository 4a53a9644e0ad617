import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "#workers/platform/request-scope.ts";

/** Form fields named like `scopes[]` (Rails style, as Mastodon clients send arrays) are read as `scopes`. */
function normaliseFormKeys(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key.endsWith("[]") ? key.slice(0, -2) : key, field]));
}

/**
 * Mastodon clients send request bodies as JSON, URL-encoded forms or multipart forms; every endpoint that takes a
 * body accepts all three, validated by the same schema. Read the result with bodyOf().
 */
export function formOrJson<T extends z.ZodType>(schema: T) {
  const form = z.preprocess(normaliseFormKeys, schema);
  return {
    content: {
      "application/json": { schema },
      "application/x-www-form-urlencoded": { schema: form },
      "multipart/form-data": { schema: form },
    },
    required: false,
  };
}

/** The validated body, whichever way it was sent; undefined when the request had no body at all. */
export function bodyOf<T>(c: Context<AppEnv>): T | undefined {
  const type = c.req.header("content-type") ?? "";
  const req = c.req as unknown as { valid(target: "json" | "form"): T };
  if (type.includes("json")) return req.valid("json");
  if (type.includes("form")) return req.valid("form");
  return undefined;
}
