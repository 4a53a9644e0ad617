import { eq } from "drizzle-orm";
import { conversations } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { commit } from "../events/outbox.ts";
import { discardedFiles } from "../media/attachments.ts";
import { encodeWebp, readImageSize } from "../media/images.ts";
import { sniffImageType } from "../media/sniff.ts";
import { megabytes } from "../media/storage.ts";
import { managerOf, type Conversation } from "./conversations.ts";

export const GROUP_PICTURE_MAX_BYTES = 4 * 1024 * 1024;
const variants = [
  { name: "400", width: 400, height: 400, fit: "cover" },
  { name: "96", width: 96, height: 96, fit: "cover" },
] as const;

/** Where a group's picture is served at a size (its key names the 400 one): /media/group-pictures/<random>/96.webp. */
export function groupPicturePath(key: string, size: "400" | "96" = "400"): string {
  return `/media/${key.replace(/\/400\.webp$/, `/${size}.webp`)}`;
}

/**
 * Stores a group picture as square WebP variants, re-encoded through the Images binding as profile pictures are (which
 * drops EXIF and location). The key carries 128 random bits: /media serves any key, and a group's picture is the
 * group's business (ADR 0024's model). A bad file leaves nothing behind.
 */
async function storeGroupPicture(ctx: DomainContext, bytes: Uint8Array): Promise<string> {
  if (bytes.length === 0) throw new DomainError("unprocessable", "The file is empty", { fields: { picture: "The file is empty" } });
  if (bytes.length > GROUP_PICTURE_MAX_BYTES)
    throw new DomainError("too_large", `A group picture is at most ${megabytes(GROUP_PICTURE_MAX_BYTES)}`);
  if (!sniffImageType(bytes)) throw new DomainError("unsupported", "Use a JPEG, PNG, GIF, WebP or AVIF image");
  await readImageSize(ctx, bytes);
  const random = [...crypto.getRandomValues(new Uint8Array(16))].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  const written: string[] = [];
  try {
    for (const variant of variants) {
      const key = `group-pictures/${random}/${variant.name}.webp`;
      await ctx.env.MEDIA.put(key, await encodeWebp(ctx, bytes, variant), { httpMetadata: { contentType: "image/webp" } });
      written.push(key);
    }
  } catch (error) {
    if (written.length > 0) await ctx.env.MEDIA.delete(written);
    if (error instanceof DomainError) throw error;
    throw new DomainError("unprocessable", "The image could not be processed; it may be damaged");
  }
  return written[0]!;
}

/** Sets (or, with null, removes) a group's picture: an admin's or the owner's right. The old files go in the background. */
export async function setGroupPicture(
  ctx: DomainContext,
  conversationId: string,
  actorId: string,
  bytes: Uint8Array | null,
): Promise<Conversation> {
  const { conversation } = await managerOf(ctx, conversationId, actorId);
  const key = bytes ? await storeGroupPicture(ctx, bytes) : null;
  await commit(
    ctx,
    [ctx.db.update(conversations).set({ pictureKey: key, updatedAt: new Date() }).where(eq(conversations.id, conversationId))],
    conversation.pictureKey ? discardedFiles({ profileImages: [conversation.pictureKey] }) : [],
  );
  return { ...conversation, pictureKey: key };
}
