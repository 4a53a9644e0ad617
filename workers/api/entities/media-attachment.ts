import { z } from "@hono/zod-openapi";
import { mediaTypes } from "#db/schema/index.ts";
import { previewSize, type Attachment } from "#domain/media/attachments.ts";

const SizeSchema = z.object({ width: z.number().int(), height: z.number().int(), size: z.string(), aspect: z.number() });

export const MediaAttachmentSchema = z
  .object({
    id: z.string(),
    type: z.enum(mediaTypes),
    url: z.url(),
    preview_url: z.url().nullable(),
    remote_url: z.null(),
    preview_remote_url: z.null(),
    text_url: z.null(),
    meta: z.object({
      original: SizeSchema.optional(),
      small: SizeSchema.optional(),
      focus: z.object({ x: z.number(), y: z.number() }),
    }),
    description: z.string().nullable().openapi({ description: "Alt text." }),
    blurhash: z.null(),
  })
  .openapi("MediaAttachment", {
    description: "Mastodon's MediaAttachment. Videos are stored as uploaded, so their size is unknown (no meta.original).",
  });

const sizeOf = (width: number, height: number) => ({ width, height, size: `${width}x${height}`, aspect: width / height });

export function presentAttachment(attachment: Attachment, origin: string): z.infer<typeof MediaAttachmentSchema> {
  const { width, height } = attachment;
  const preview = previewSize(attachment);
  return {
    id: attachment.id,
    type: attachment.type,
    url: `${origin}/media/${attachment.key}`,
    preview_url: attachment.previewKey ? `${origin}/media/${attachment.previewKey}` : null,
    remote_url: null,
    preview_remote_url: null,
    text_url: null,
    meta: {
      ...(width && height ? { original: sizeOf(width, height) } : {}),
      ...(preview ? { small: sizeOf(preview.width, preview.height) } : {}),
      focus: { x: attachment.focusX, y: attachment.focusY },
    },
    description: attachment.description || null,
    blurhash: null,
  };
}
