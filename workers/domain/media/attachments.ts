import { and, eq, inArray, isNull, lt, or } from "drizzle-orm";
import { z } from "zod";
import { newId } from "#db/ids.ts";
import { isTriggerError } from "#db/client.ts";
import { mediaAttachments, messageAttachments } from "#db/schema/index.ts";
import { hex } from "#workers/platform/crypto.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import type { NewEvent } from "../events/catalogue.ts";
import { commit } from "../events/outbox.ts";
import { deleteImageIfUnused } from "./profile-images.ts";
import { encodeWebp, readImageSize, scaledDown } from "./images.ts";
import { megabytes } from "./storage.ts";
import { isAnimatedGif, sniffDocumentType, sniffImageType, sniffVideoType, type DocumentType } from "./sniff.ts";
import { assertNotSuspended } from "../accounts/permissions.ts";

export type Attachment = typeof mediaAttachments.$inferSelect;

/** What a post may carry; the instance endpoints report the same numbers. */
export const mediaLimits = {
  perPost: 4,
  imageBytes: 16 * 1024 * 1024,
  /** The whole upload is held in memory while it is checked and stored, so videos stay well under the 128 MB isolate. */
  videoBytes: 40 * 1024 * 1024,
  /** Documents (PDF, plain text): messages only, never posts (ADR 0055). */
  fileBytes: 16 * 1024 * 1024,
  descriptionCharacters: 1500,
  /** Unattached uploads are removed after this long. */
  unattachedLifetimeMs: 24 * 60 * 60 * 1000,
} as const;

export const SUPPORTED_MEDIA_TYPES = [
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
  "image/avif",
  "video/mp4",
  "video/webm",
  "video/quicktime",
];

/** Large images are stored within this box, and shown in timelines from a preview within the smaller one. */
const FULL_BOX = { width: 2048, height: 2048 };
const PREVIEW_BOX = { width: 640, height: 640 };

const VIDEO_EXTENSIONS = { "video/mp4": "mp4", "video/webm": "webm", "video/quicktime": "mov" } as const;
const DOCUMENT_EXTENSIONS: Record<DocumentType, string> = { "application/pdf": "pdf", "text/plain": "txt" };

/** Mastodon's focal point, sent as "x,y" with each between -1 and 1. */
const focusSchema = z
  .string()
  .regex(/^\s*-?\d+(\.\d+)?\s*,\s*-?\d+(\.\d+)?\s*$/, "Focus is two numbers, x,y, each from -1 to 1")
  .transform((value) => value.split(",").map(Number) as [number, number])
  .refine(([x, y]) => Math.abs(x) <= 1 && Math.abs(y) <= 1, "Focus is two numbers, x,y, each from -1 to 1");

export const attachmentDetailsSchema = z.object({
  description: z
    .string()
    .trim()
    .max(mediaLimits.descriptionCharacters, `Alt text is at most ${mediaLimits.descriptionCharacters} characters`)
    .optional(),
  focus: focusSchema.optional(),
});

export type AttachmentDetails = z.input<typeof attachmentDetailsSchema>;

const fileColumns = { key: mediaAttachments.key, previewKey: mediaAttachments.previewKey };

interface StoredFiles {
  type: Attachment["type"];
  contentType: string;
  key: string;
  previewKey: string | null;
  width: number | null;
  height: number | null;
}

/** Writes one file and remembers it, so a failure later in the upload can remove what was written. */
async function putFile(ctx: DomainContext, written: string[], key: string, body: Uint8Array, contentType: string): Promise<string> {
  await ctx.env.MEDIA.put(key, body, { httpMetadata: { contentType } });
  written.push(key);
  return key;
}

/** Still images are re-encoded (dropping EXIF and location); animated GIFs are kept as they are, with a still preview. */
async function storeImage(ctx: DomainContext, base: string, bytes: Uint8Array, written: string[]): Promise<StoredFiles> {
  const size = await readImageSize(ctx, bytes);
  const put = (key: string, body: Uint8Array, contentType: string) => putFile(ctx, written, key, body, contentType);
  const previewKey = await put(`${base}/small.webp`, await encodeWebp(ctx, bytes, { ...PREVIEW_BOX, fit: "scale-down" }), "image/webp");
  if (sniffImageType(bytes) === "image/gif" && isAnimatedGif(bytes)) {
    const key = await put(`${base}/original.gif`, bytes, "image/gif");
    return { type: "gifv", contentType: "image/gif", key, previewKey, ...size };
  }
  const key = await put(`${base}/original.webp`, await encodeWebp(ctx, bytes, { ...FULL_BOX, fit: "scale-down" }), "image/webp");
  return { type: "image", contentType: "image/webp", key, previewKey, ...scaledDown(size, FULL_BOX) };
}

/**
 * Videos are stored as uploaded: Workers cannot transcode (ADR 0014). A thumbnail the client sends becomes the
 * preview; without one, players show the first frame.
 */
async function storeVideo(
  ctx: DomainContext,
  base: string,
  bytes: Uint8Array,
  thumbnail: Uint8Array | undefined,
  written: string[],
): Promise<StoredFiles> {
  const contentType = sniffVideoType(bytes)!;
  let previewKey: string | null = null;
  if (thumbnail && thumbnail.length > 0) {
    if (!sniffImageType(thumbnail)) throw new DomainError("unsupported", "The thumbnail must be a JPEG, PNG, GIF, WebP or AVIF image");
    await readImageSize(ctx, thumbnail);
    previewKey = await putFile(
      ctx,
      written,
      `${base}/small.webp`,
      await encodeWebp(ctx, thumbnail, { ...PREVIEW_BOX, fit: "scale-down" }),
      "image/webp",
    );
  }
  const key = await putFile(ctx, written, `${base}/original.${VIDEO_EXTENSIONS[contentType]}`, bytes, contentType);
  return { type: "video", contentType, key, previewKey, width: null, height: null };
}

/**
 * 128 random bits in lower-case hex, after the attachment id in its files' keys. /media serves any key it is asked for,
 * so a key must be as hard to guess as a secret: the id alone (a millisecond time and 15 random bits) is not, and files
 * of followers-only and direct posts would be found by counting. ADR 0024 records the model.
 */
export function unguessableSuffix(): string {
  return hex(crypto.getRandomValues(new Uint8Array(16)));
}

/** What an upload is: posts take images and videos; messages also take documents (ADR 0055). */
export type UploadKind = "image" | "video" | "file";

const MEDIA_ONLY = "Attach a JPEG, PNG, GIF, WebP or AVIF image, or an MP4, WebM or QuickTime video";
const WITH_DOCUMENTS = "Attach an image (JPEG, PNG, GIF, WebP, AVIF), a video (MP4, WebM, QuickTime), a PDF or a plain-text file";

/**
 * What an upload is, recognised by its bytes (never its name or claimed type), within its kind's size limit: the one
 * check every upload of a post or a message passes. Refusals: 422 empty, 415 unsupported, 413 too large.
 */
export function checkUpload(bytes: Uint8Array, accept: { documents: true }): UploadKind;
export function checkUpload(bytes: Uint8Array, accept?: { documents: false }): Exclude<UploadKind, "file">;
export function checkUpload(bytes: Uint8Array, accept: { documents: boolean } = { documents: false }): UploadKind {
  if (bytes.length === 0) throw new DomainError("unprocessable", "The file is empty");
  const kind: UploadKind | undefined = sniffImageType(bytes)
    ? "image"
    : sniffVideoType(bytes)
      ? "video"
      : accept.documents && sniffDocumentType(bytes)
        ? "file"
        : undefined;
  if (!kind) throw new DomainError("unsupported", accept.documents ? WITH_DOCUMENTS : MEDIA_ONLY);
  const limit = { image: mediaLimits.imageBytes, video: mediaLimits.videoBytes, file: mediaLimits.fileBytes }[kind];
  const noun = { image: "Images", video: "Videos", file: "Files" }[kind];
  if (bytes.length > limit) throw new DomainError("too_large", `${noun} can be at most ${megabytes(limit)}`);
  return kind;
}

/**
 * Stores a checked image or video under `base`: images re-encoded with a preview, videos as uploaded (with the
 * thumbnail as preview). Every key written is pushed to `written`, so the caller can remove them if it fails later.
 */
export function storeMediaFiles(
  ctx: DomainContext,
  base: string,
  kind: Exclude<UploadKind, "file">,
  file: { bytes: Uint8Array; thumbnail?: Uint8Array },
  written: string[],
): Promise<StoredFiles> {
  return kind === "image" ? storeImage(ctx, base, file.bytes, written) : storeVideo(ctx, base, file.bytes, file.thumbnail, written);
}

/** Stores a checked document as uploaded, under `base`; no preview. */
export async function storeDocument(
  ctx: DomainContext,
  base: string,
  bytes: Uint8Array,
  written: string[],
): Promise<{ contentType: DocumentType; key: string }> {
  const contentType = sniffDocumentType(bytes)!;
  const key = await putFile(ctx, written, `${base}/original.${DOCUMENT_EXTENSIONS[contentType]}`, bytes, contentType);
  return { contentType, key };
}

/**
 * Checks and stores an upload for a post to come: an image (JPEG, PNG, WebP, AVIF, GIF) or a video (MP4, WebM,
 * QuickTime), recognised by its bytes, within the size limits. Files live under the attachment's id and a random suffix; if anything
 * fails, whatever was written is removed.
 */
export async function uploadAttachment(
  ctx: DomainContext,
  ownerId: string,
  file: { bytes: Uint8Array; thumbnail?: Uint8Array },
  details: AttachmentDetails = {},
): Promise<Attachment> {
  assertNotSuspended(ctx);
  const { description, focus } = attachmentDetailsSchema.parse(details);
  const kind = checkUpload(file.bytes);
  const now = new Date();
  const id = newId(now.getTime());
  const base = `attachments/${id}-${unguessableSuffix()}`;
  const written: string[] = [];
  try {
    const stored = await storeMediaFiles(ctx, base, kind, file, written);
    const [row] = await ctx.db
      .insert(mediaAttachments)
      .values({
        id,
        ownerId,
        ...stored,
        sizeBytes: file.bytes.length,
        description: description ?? "",
        focusX: focus?.[0] ?? 0,
        focusY: focus?.[1] ?? 0,
        createdAt: now,
      })
      .returning();
    return row!;
  } catch (error) {
    if (written.length > 0) await ctx.env.MEDIA.delete(written);
    throw error;
  }
}

/** The size of an attachment's preview image, when its size is known. */
export function previewSize(attachment: Pick<Attachment, "width" | "height" | "previewKey">) {
  if (!attachment.width || !attachment.height || !attachment.previewKey) return null;
  return scaledDown({ width: attachment.width, height: attachment.height }, PREVIEW_BOX);
}

/** One of the viewer's own uploads; anyone else's is "not found", whether or not it exists. */
export async function ownAttachment(ctx: DomainContext, ownerId: string, id: string): Promise<Attachment> {
  const row = await ctx.db.query.mediaAttachments.findFirst({
    where: and(eq(mediaAttachments.id, id), eq(mediaAttachments.ownerId, ownerId)),
  });
  if (!row) throw new DomainError("not_found", "Record not found");
  return row;
}

/** Those of these ids that are the owner's uploads not yet in a post, in the order given. */
export async function ownUploads(ctx: DomainContext, ownerId: string, ids: string[]): Promise<Attachment[]> {
  if (ids.length === 0) return [];
  const rows = await ctx.db
    .select()
    .from(mediaAttachments)
    .where(
      and(
        inArray(mediaAttachments.id, ids.slice(0, mediaLimits.perPost)),
        eq(mediaAttachments.ownerId, ownerId),
        isNull(mediaAttachments.postId),
      ),
    );
  return ids.flatMap((id) => rows.filter((row) => row.id === id));
}

/** Changes alt text or focal point, before or after the upload joins a post. */
export async function updateAttachment(ctx: DomainContext, ownerId: string, id: string, details: AttachmentDetails): Promise<Attachment> {
  const changes = detailColumns(attachmentDetailsSchema.parse(details));
  const current = await ownAttachment(ctx, ownerId, id);
  if (Object.keys(changes).length === 0) return current;
  const [row] = await ctx.db.update(mediaAttachments).set(changes).where(eq(mediaAttachments.id, id)).returning();
  return row!;
}

/** The columns a change of alt text or focal point sets; empty when nothing changes. */
function detailColumns({
  description,
  focus,
}: z.output<typeof attachmentDetailsSchema>): Partial<Pick<Attachment, "description" | "focusX" | "focusY">> {
  return { ...(description !== undefined ? { description } : {}), ...(focus ? { focusX: focus[0], focusY: focus[1] } : {}) };
}

/** Deletes an upload no post uses yet (a posted one goes with its post). */
export async function deleteUpload(ctx: DomainContext, ownerId: string, id: string): Promise<void> {
  const row = await ownAttachment(ctx, ownerId, id);
  if (row.postId) throw new DomainError("unprocessable", "This file belongs to a post; delete the post instead");
  if (row.draftId) throw new DomainError("unprocessable", "This file belongs to a draft or scheduled post; remove it there instead");
  await commit(
    ctx,
    [ctx.db.delete(mediaAttachments).where(and(eq(mediaAttachments.id, id), isNull(mediaAttachments.postId)))],
    discardedFiles({ attachments: [row] }),
  );
}

/**
 * The uploads a post or draft asks for, in the order asked, checked: each the author's own, in no other post (an
 * edited post may keep its own) and reserved for no other draft (one being published or saved may keep its own); at
 * most four images, or one video, or one animated GIF.
 */
export async function attachableUploads(
  ctx: DomainContext,
  ownerId: string,
  ids: string[],
  holder: { postId?: string; draftId?: string } = {},
): Promise<Attachment[]> {
  if (ids.length === 0) return [];
  const unique = [...new Set(ids)];
  if (unique.length > mediaLimits.perPost)
    throw new DomainError("unprocessable", `A post can have at most ${mediaLimits.perPost} attachments`);
  const rows = await ctx.db
    .select()
    .from(mediaAttachments)
    .where(and(inArray(mediaAttachments.id, unique), eq(mediaAttachments.ownerId, ownerId)));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const ordered = unique.map((id) => byId.get(id));
  if (ordered.some((row) => !row)) throw new DomainError("unprocessable", "An attachment does not exist or is not yours; upload it again");
  const uploads = ordered as Attachment[];
  if (uploads.some((row) => row.postId && row.postId !== holder.postId)) throw takenError();
  if (uploads.some((row) => row.draftId && row.draftId !== holder.draftId)) throw reservedError();
  if (uploads.length > 1 && uploads.some((row) => row.type !== "image")) {
    throw new DomainError("unprocessable", "A video or animated GIF must be a post's only attachment");
  }
  return uploads;
}

const takenError = () => new DomainError("unprocessable", "An attachment is already used in another post", { code: "attachment_taken" });
const reservedError = () =>
  new DomainError("unprocessable", "An attachment is kept for one of your drafts or scheduled posts", { code: "attachment_reserved" });

/**
 * What a batch that attaches uploads failed on, for its caller: another post or draft took one of them since
 * attachableUploads looked (a trigger refused it and nothing was written), or else the error itself.
 */
export function attachmentRefusal(error: unknown): unknown {
  if (isTriggerError(error, "attachmentTaken")) return takenError();
  if (isTriggerError(error, "attachmentReserved")) return reservedError();
  return error;
}

/** The statements that give uploads to a post, for the batch that writes the post (the trigger refuses a second post). */
export function attachStatements(ctx: DomainContext, postId: string, uploads: Attachment[]) {
  return uploads.map((upload, position) =>
    ctx.db.update(mediaAttachments).set({ postId, position }).where(eq(mediaAttachments.id, upload.id)),
  );
}

/** Alt text and focal points changed along with an edit, for its batch: only the post's own attachments change. */
export function detailStatements(
  ctx: DomainContext,
  postId: string,
  changes: (z.output<typeof attachmentDetailsSchema> & { id: string })[],
) {
  return changes
    .map(({ id, ...details }) => ({ id, columns: detailColumns(details) }))
    .filter(({ columns }) => Object.keys(columns).length > 0)
    .map(({ id, columns }) =>
      ctx.db
        .update(mediaAttachments)
        .set(columns)
        .where(and(eq(mediaAttachments.id, id), eq(mediaAttachments.postId, postId))),
    );
}

/**
 * Lets a deleted post's attachments go back to being the author's uploads, for delete-and-redraft: they can join the
 * new draft, and expire like any upload if it is never posted. Must run before the post's row is deleted.
 */
export function releaseStatement(ctx: DomainContext, postId: string, at: Date) {
  return ctx.db.update(mediaAttachments).set({ postId: null, position: 0, createdAt: at }).where(eq(mediaAttachments.postId, postId));
}

/** Keys per media.discarded event: its payload stays far below a queue message's 128 KB. */
const KEYS_PER_EVENT = 500;

/**
 * The events that remove files whose rows the same batch deletes: attachments' files and profile pictures. Files go in
 * the background (removeDiscardedFiles), never in the request, so a slow or failing R2 cannot fail a change that was
 * made.
 */
export function discardedFiles(files: {
  attachments?: Pick<Attachment, "key" | "previewKey">[];
  profileImages?: (string | null)[];
}): NewEvent[] {
  const attachmentKeys = (files.attachments ?? []).flatMap((row) => [row.key, row.previewKey]).filter((key): key is string => Boolean(key));
  const profileImageKeys = (files.profileImages ?? []).filter((key): key is string => Boolean(key));
  const events: NewEvent[] = [];
  for (let start = 0; start < Math.max(attachmentKeys.length, profileImageKeys.length); start += KEYS_PER_EVENT) {
    events.push({
      type: "media.discarded",
      payload: {
        attachmentKeys: attachmentKeys.slice(start, start + KEYS_PER_EVENT),
        profileImageKeys: profileImageKeys.slice(start, start + KEYS_PER_EVENT),
      },
    });
  }
  return events;
}

/**
 * The media.discarded handler: deletes the files from R2, except any that a row uses again (an upload a post took
 * meanwhile, a picture another profile shares, a message's file in a group that was not dissolved after all). Running it twice deletes nothing more.
 */
export async function removeDiscardedFiles(
  ctx: DomainContext,
  keys: { attachmentKeys: string[]; profileImageKeys: string[] },
): Promise<void> {
  const inUse = new Set<string>();
  for (let start = 0; start < keys.attachmentKeys.length; start += 45) {
    const chunk = keys.attachmentKeys.slice(start, start + 45);
    const rows = [
      ...(await ctx.db
        .select(fileColumns)
        .from(mediaAttachments)
        .where(or(inArray(mediaAttachments.key, chunk), inArray(mediaAttachments.previewKey, chunk)))),
      // A message's files too (ADR 0055): a dissolved group's are named before the group is gone, and it may survive.
      ...(await ctx.db
        .select({ key: messageAttachments.key, previewKey: messageAttachments.previewKey })
        .from(messageAttachments)
        .where(or(inArray(messageAttachments.key, chunk), inArray(messageAttachments.previewKey, chunk)))),
    ];
    for (const row of rows) [row.key, row.previewKey].forEach((key) => key && inUse.add(key));
  }
  const unused = keys.attachmentKeys.filter((key) => !inUse.has(key));
  for (let start = 0; start < unused.length; start += 1000) await ctx.env.MEDIA.delete(unused.slice(start, start + 1000));
  for (const key of keys.profileImageKeys) await deleteImageIfUnused(ctx, key);
}

/** The files of everything a person uploaded, for deleting their account. */
export function attachmentFilesOwnedBy(ctx: DomainContext, ownerId: string) {
  return ctx.db.select(fileColumns).from(mediaAttachments).where(eq(mediaAttachments.ownerId, ownerId));
}

/** Uploads no post took nor draft keeps are removed after a day (cron). Returns how many. */
export async function expireUnattachedUploads(ctx: DomainContext, now = Date.now()): Promise<number> {
  const cutoff = new Date(now - mediaLimits.unattachedLifetimeMs);
  const stale = await ctx.db
    .select({ id: mediaAttachments.id, ...fileColumns })
    .from(mediaAttachments)
    .where(and(isNull(mediaAttachments.postId), isNull(mediaAttachments.draftId), lt(mediaAttachments.createdAt, cutoff)))
    .limit(500);
  const deletes = [];
  for (let start = 0; start < stale.length; start += 90) {
    const ids = stale.slice(start, start + 90).map((row) => row.id);
    deletes.push(
      ctx.db
        .delete(mediaAttachments)
        .where(and(inArray(mediaAttachments.id, ids), isNull(mediaAttachments.postId), isNull(mediaAttachments.draftId))),
    );
  }
  await commit(ctx, deletes, discardedFiles({ attachments: stale }));
  return stale.length;
}
