import { hex } from "#workers/platform/crypto.ts";
import type { DomainContext } from "../context.ts";

/**
 * Media keys are content addresses: the SHA-256 of the bytes under a prefix naming what they are. A key's bytes
 * never change, which is what lets /media/* be cached as immutable.
 */
export async function mediaKey(prefix: string, bytes: Uint8Array, extension: string): Promise<string> {
  return `${prefix}/${await contentHash(bytes)}.${extension}`;
}

/** The SHA-256 of the bytes, hex: the name content-addressed media live under. */
export async function contentHash(bytes: Uint8Array): Promise<string> {
  const hash = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return hex(hash);
}

/** Stores bytes under their content address (writing the same bytes twice is harmless) and returns the key. */
export async function storeMedia(
  ctx: DomainContext,
  input: { prefix: string; bytes: Uint8Array; extension: string; contentType: string },
): Promise<string> {
  const key = await mediaKey(input.prefix, input.bytes, input.extension);
  await ctx.env.MEDIA.put(key, input.bytes, { httpMetadata: { contentType: input.contentType } });
  return key;
}

/** A size limit as people read it: "16 MB". */
export const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
