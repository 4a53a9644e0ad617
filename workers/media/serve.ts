import type { Context } from "hono";
import type { AppEnv } from "#workers/platform/request-scope.ts";

/** Media keys are content-addressed paths we mint ourselves; anything else is not a key. */
const MEDIA_KEY = /^[a-z0-9]+(?:[/_.-][a-z0-9]+)*$/;

/**
 * The media door: objects from R2 with their stored type, strong ETags, conditional requests and byte ranges (video
 * seeking). Keys are content-addressed, so a key's bytes never change and the response may be cached for a year.
 */
export async function serveMedia(c: Context<AppEnv>): Promise<Response> {
  c.var.scope.cspProfile = "none";
  const key = c.req.path.slice("/media/".length);
  if (!MEDIA_KEY.test(key)) return c.text("Not found", 404);

  let object: R2Object | R2ObjectBody | null;
  try {
    object = await c.env.MEDIA.get(key, { range: c.req.raw.headers, onlyIf: c.req.raw.headers });
  } catch (error) {
    if (!isRangeError(error)) throw error;
    const head = await c.env.MEDIA.head(key);
    if (!head) return c.text("Not found", 404);
    return new Response("Requested range not satisfiable", {
      status: 416,
      headers: { "Content-Range": `bytes */${head.size}` },
    });
  }
  if (!object) return c.text("Not found", 404);

  const headers = new Headers();
  object.writeHttpMetadata(headers);
  headers.set("ETag", object.httpEtag);
  headers.set("Accept-Ranges", "bytes");
  headers.set("Cache-Control", "public, max-age=31536000, immutable");
  if (!("body" in object)) return new Response(null, { status: 304, headers });

  const range = object.range;
  if (range && c.req.header("Range")) {
    const { offset, length } = resolveRange(range, object.size);
    headers.set("Content-Range", `bytes ${offset}-${offset + length - 1}/${object.size}`);
    headers.set("Content-Length", String(length));
    return new Response(object.body, { status: 206, headers });
  }
  headers.set("Content-Length", String(object.size));
  return new Response(object.body, { status: 200, headers });
}

function resolveRange(range: R2Range, size: number): { offset: number; length: number } {
  if ("suffix" in range) return { offset: size - range.suffix, length: range.suffix };
  const offset = range.offset ?? 0;
  return { offset, length: range.length ?? size - offset };
}

function isRangeError(error: unknown): boolean {
  return error instanceof Error && /range/i.test(error.message);
}
