import { eq, or } from "drizzle-orm";
import { users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { commit } from "../events/outbox.ts";
import { encodeWebp, type ImageBox, readImageSize } from "./images.ts";
import { sniffImageType } from "./sniff.ts";
import { contentHash, megabytes } from "./storage.ts";
import { assertNotSuspended } from "../accounts/permissions.ts";

type Variant = ImageBox & { name: string };

/**
 * The pictures a profile has, their size limits and the WebP variants made of each (the first is the one stored on
 * the profile). Re-encoding through the Images binding also drops EXIF and location data; originals are not kept.
 */
export const profileImageKinds = {
  avatar: {
    column: "avatarKey",
    maxBytes: 4 * 1024 * 1024,
    variants: [
      { name: "400", width: 400, height: 400, fit: "cover" },
      { name: "96", width: 96, height: 96, fit: "cover" },
      { name: "48", width: 48, height: 48, fit: "cover" },
    ],
  },
  header: {
    column: "headerKey",
    maxBytes: 4 * 1024 * 1024,
    variants: [
      { name: "1500", width: 1500, height: 500, fit: "cover" },
      { name: "600", width: 600, height: 200, fit: "cover" },
    ],
  },
  background: {
    column: "backgroundKey",
    maxBytes: 8 * 1024 * 1024,
    variants: [
      { name: "1920", width: 1920, fit: "scale-down" },
      { name: "960", width: 960, fit: "scale-down" },
    ],
  },
} as const satisfies Record<
  string,
  { column: "avatarKey" | "headerKey" | "backgroundKey"; maxBytes: number; variants: readonly Variant[] }
>;

export type ProfileImageKind = keyof typeof profileImageKinds;

/** The path of another size of a stored image: /media/avatars/<hash>/96.webp for the 400 one's key. */
export function variantPath(key: string, name: string): string {
  return `/media/${key.replace(/\/\d+\.webp$/, `/${name}.webp`)}`;
}

/**
 * Checks and stores a profile picture: not empty, within the size limit, really an image (by its bytes), decodable
 * and not absurdly large; then every variant goes to R2 under a content address. If anything fails, whatever was
 * written is removed: a bad file leaves nothing behind. Returns the key to store on the profile.
 */
export async function storeProfileImage(ctx: DomainContext, kind: ProfileImageKind, bytes: Uint8Array): Promise<string> {
  const spec = profileImageKinds[kind];
  if (bytes.length === 0) throw new DomainError("unprocessable", "The file is empty");
  if (bytes.length > spec.maxBytes) throw new DomainError("too_large", `Images for the ${kind} can be at most ${megabytes(spec.maxBytes)}`);
  if (!sniffImageType(bytes)) throw new DomainError("unsupported", "Use a JPEG, PNG, GIF, WebP or AVIF image");
  await readImageSize(ctx, bytes);

  const base = `${kind}s/${await contentHash(bytes)}`;
  const written: string[] = [];
  try {
    for (const variant of spec.variants) {
      const image = await encodeWebp(ctx, bytes, variant);
      const key = `${base}/${variant.name}.webp`;
      await ctx.env.MEDIA.put(key, image, { httpMetadata: { contentType: "image/webp" } });
      written.push(key);
    }
  } catch (error) {
    if (written.length > 0) await ctx.env.MEDIA.delete(written);
    if (error instanceof DomainError) throw error;
    throw new DomainError("unprocessable", "The image could not be processed; it may be damaged");
  }
  return written[0]!;
}

/** Deletes a stored image (every variant of it) unless some profile still uses it: keys are content addresses. */
export async function deleteImageIfUnused(ctx: DomainContext, key: string | null): Promise<void> {
  if (!key) return;
  const user = await ctx.db.query.users.findFirst({
    where: or(eq(users.avatarKey, key), eq(users.headerKey, key), eq(users.backgroundKey, key)),
    columns: { id: true },
  });
  if (user) return;
  const variants = key.match(/^(.*\/)\d+\.webp$/);
  if (!variants) {
    await ctx.env.MEDIA.delete(key);
    return;
  }
  const listed = await ctx.env.MEDIA.list({ prefix: variants[1] });
  if (listed.objects.length > 0) await ctx.env.MEDIA.delete(listed.objects.map((object) => object.key));
}

/** Replaces (or, with null, removes) one of the profile's pictures; the old one is deleted when nothing uses it. */
export async function setProfileImage(
  ctx: DomainContext,
  userId: string,
  kind: ProfileImageKind,
  bytes: Uint8Array | null,
): Promise<string | null> {
  assertNotSuspended(ctx);
  const column = profileImageKinds[kind].column;
  const current = await ctx.db.query.users.findFirst({
    where: eq(users.id, userId),
    columns: { avatarKey: true, headerKey: true, backgroundKey: true },
  });
  if (!current) throw new DomainError("not_found", "Record not found");
  const key = bytes ? await storeProfileImage(ctx, kind, bytes) : null;
  try {
    // A new picture is moderated like the profile's text (docs/decisions/0054); until then none is taken for sensitive.
    await commit(
      ctx,
      [
        ctx.db
          .update(users)
          .set({ [column]: key, ...(key ? { picturesSensitive: false } : {}), updatedAt: new Date() })
          .where(eq(users.id, userId)),
      ],
      key ? [{ type: "profile.updated", payload: { userId } }] : [],
    );
  } catch (error) {
    await deleteImageIfUnused(ctx, key);
    throw error;
  }
  if (current[column] !== key) await deleteImageIfUnused(ctx, current[column]);
  return key;
}
