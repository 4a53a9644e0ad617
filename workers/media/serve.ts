import type { Context } from "hono";
import { CHAT_MEDIA_PREFIX } from "#domain/messages/attachments.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { parseByteRange, type ByteRange } from "./byte-range.ts";

/** Media keys are paths we mint ourselves (content addresses, or ids with 128 random bits); anything else is not a key. */
const MEDIA_KEY = /^[a-z0-9]+(?:[/_.-][a-z0-9]+)*$/;

/**
 * The media door: objects from R2 with their stored type, strong ETags, conditional requests and byte ranges (video
 * seeking). A key's bytes never change, so the response may be cached for a year. Anyone holding a key gets the file:
 * keys of post attachments carry 128 random bits so that the key is the capability (ADR 0024), and only people who may
 * see the post are ever given it. Files sent in messages are never served here, whatever the key: only members may
 * fetch them, through /media/chats/... (ADR 0055).
 */
export async function serveMedia(c: Context<AppEnv>): Promise<Response> {
  c.var.scope.cspProfile = "none";
  const key = c.req.path.slice("/media/".length);
  if (!MEDIA_KEY.test(key) || key.startsWith(CHAT_MEDIA_PREFIX)) return c.text("Not found", 404);
  return (await sendObject(c, key, "public, max-age=31536000, immutable")) ?? c.text("Not found", 404);
}

/**
 * One R2 object as a response (200, 206, 304 or 416) with its stored type, ETag and the given caching; undefined when
 * there is no such object.
 */
export async function sendObject(
  c: Context<AppEnv>,
  key: string,
  cacheControl: string,
  extraHeaders: Record<string, string> = {},
): Promise<Response | undefined> {
  const rangeHeader = c.req.header("Range");
  let range: ByteRange | undefined;
  if (rangeHeader) {
    // The size decides whether the range can be served, so a range request reads the object's metadata first.
    const head = await c.env.MEDIA.head(key);
    if (!head) return undefined;
    const parsed = parseByteRange(rangeHeader, head.size);
    if (parsed === "unsatisfiable") {
      return c.text("Requested range not satisfiable", 416, { "Content-Range": `bytes */${head.size}` });
    }
    range = parsed;
  }

  const object = await c.env.MEDIA.get(key, { range, onlyIf: c.req.raw.headers });
  if (!object) return undefined;

  const headers = new Headers(extraHeaders);
  object.writeHttpMetadata(headers);
  headers.set("ETag", object.httpEtag);
  headers.set("Accept-Ranges", "bytes");
  headers.set("Cache-Control", cacheControl);
  if (!("body" in object)) return new Response(null, { status: 304, headers });

  if (range) {
    headers.set("Content-Range", `bytes ${range.offset}-${range.offset + range.length - 1}/${object.size}`);
    headers.set("Content-Length", String(range.length));
    return new Response(object.body, { status: 206, headers });
  }
  headers.set("Content-Length", String(object.size));
  return new Response(object.body, { status: 200, headers });
}
