import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";

/** Decoding more pixels than this is refused: a small file can still unpack into a huge bitmap. */
export const MAX_IMAGE_PIXELS = 8192 * 8192;

export interface ImageBox {
  width: number;
  height?: number;
  fit: "cover" | "scale-down";
}

const streamOf = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();

/** The dimensions of an image the Images binding can decode and that is not absurdly large; anything else is refused. */
export async function readImageSize(ctx: DomainContext, bytes: Uint8Array): Promise<{ width: number; height: number }> {
  let info: ImageInfoResponse;
  try {
    info = await ctx.env.IMAGES.info(streamOf(bytes));
  } catch {
    throw new DomainError("unprocessable", "The image could not be read; it may be damaged");
  }
  if (!("width" in info)) throw new DomainError("unsupported", "Use a JPEG, PNG, GIF, WebP or AVIF image");
  if (info.width * info.height > MAX_IMAGE_PIXELS)
    throw new DomainError("unprocessable", "The image has too many pixels (at most 8192 × 8192)");
  return { width: info.width, height: info.height };
}

/**
 * Re-encodes an image as WebP within a box. Re-encoding is also what drops EXIF and location data: the original
 * bytes are never stored.
 */
export async function encodeWebp(ctx: DomainContext, bytes: Uint8Array, box: ImageBox): Promise<Uint8Array> {
  try {
    const result = await ctx.env.IMAGES.input(streamOf(bytes))
      .transform({ width: box.width, ...(box.height ? { height: box.height } : {}), fit: box.fit })
      .output({ format: "image/webp", quality: 85 });
    return new Uint8Array(await new Response(result.image()).arrayBuffer());
  } catch {
    throw new DomainError("unprocessable", "The image could not be processed; it may be damaged");
  }
}

/** The size an image ends up after scale-down into a box: never larger than it was. */
export function scaledDown(size: { width: number; height: number }, box: { width: number; height: number }) {
  const scale = Math.min(1, box.width / size.width, box.height / size.height);
  return { width: Math.max(1, Math.round(size.width * scale)), height: Math.max(1, Math.round(size.height * scale)) };
}
