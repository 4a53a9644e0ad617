import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "#workers/platform/request-scope.ts";

/**
 * Form fields named Rails style, as Mastodon clients send them: `scopes[]` is read as `scopes`, `poll[options][]` as
 * `options` inside `poll` (and `home[last_read_id]` as `last_read_id` inside `home`, for markers), and numbered records (`fields_attributes[0][name]`, `media_attributes[1][description]`) as
 * a list of objects in their numbers' order.
 */
function normaliseFormKeys(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const normalised: Record<string, unknown> = {};
  const records: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [rawKey, field] of Object.entries(value)) {
    const key = rawKey.endsWith("[]") ? rawKey.slice(0, -2) : rawKey;
    const nested = /^(poll|home|notifications)\[([a-z_]+)\]$/.exec(key);
    const numbered = /^([a-z_]+)\[(\d+)\]\[([a-z_]+)\]$/.exec(key);
    if (nested) normalised[nested[1]!] = { ...(normalised[nested[1]!] as object | undefined), [nested[2]!]: field };
    else if (numbered) ((records[numbered[1]!] ??= {})[numbered[2]!] ??= {})[numbered[3]!] = field;
    else normalised[key] = field;
  }
  for (const [name, byNumber] of Object.entries(records)) {
    normalised[name] = Object.entries(byNumber)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, record]) => record);
  }
  return normalised;
}

/** A boolean as JSON sends it, or as forms do ("true", "1", "on"). */
export const booleanField = z
  .union([z.boolean(), z.enum(["true", "false", "1", "0", "on", "off"])])
  .transform((value) => value === true || value === "true" || value === "1" || value === "on");

/** One value or many (a form sends `ids[]=1&ids[]=2`, or a single `ids[]=1`), read as a list. */
export const listField = z.union([z.string(), z.array(z.string())]).transform((value) => [value].flat());

/** An uploaded file in a multipart body. */
export const fileField = z.any().openapi({ type: "string", format: "binary" });

/** A file field's bytes; null when sent empty (meaning "remove"), undefined when not sent. */
export async function fileBytes(value: unknown): Promise<Uint8Array | null | undefined> {
  if (value instanceof File) return new Uint8Array(await value.arrayBuffer());
  if (value === "") return null;
  return undefined;
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
