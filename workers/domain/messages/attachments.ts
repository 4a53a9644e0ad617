import { and, eq, exists, inArray, isNotNull, isNull, lt, ne, or, sql } from "drizzle-orm";
import { newId } from "#db/ids.ts";
import { messageAttachments, messages, reports } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { commit } from "../events/outbox.ts";
import {
  attachmentDetailsSchema,
  checkUpload,
  discardedFiles,
  mediaLimits,
  previewSize,
  storeDocument,
  storeMediaFiles,
  unguessableSuffix,
} from "../media/attachments.ts";
import { membershipOf } from "./conversations.ts";
import { decryptBody, encryptBody, keyRingOf, type KeyRing } from "./encryption.ts";
import { assertNotSuspended, can } from "../accounts/permissions.ts";
import type { User } from "../accounts/users.ts";

/**
 * Files sent in conversations (ADR 0055). They go through the same checks and storage as a post's media (media/
 * attachments.ts: sniffed types, size limits, images re-encoded), plus documents, but live under a prefix the public
 * media door refuses and are served only to the conversation's members (workers/media/chat-media.ts). A file's name and
 * description are sealed like message bodies.
 */

export type MessageAttachmentRow = typeof messageAttachments.$inferSelect;

/** R2 keys of message attachments start with this; /media/* never serves them (ADR 0055). */
export const CHAT_MEDIA_PREFIX = "chat-media/";

/** The longest file name kept; longer ones are cut (the extension of the stored file comes from its bytes anyway). */
const NAME_CHARACTERS = 200;

/** An attachment as a member sees it: what it is, its sizes, and its name and description decrypted. */
export interface MessageAttachmentView {
  id: string;
  conversationId: string;
  type: MessageAttachmentRow["type"];
  contentType: string;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  preview: { width: number; height: number } | null;
  hasPreview: boolean;
  name: string;
  description: string | null;
}

const ring = (ctx: DomainContext) => keyRingOf(ctx.config.MESSAGE_ENCRYPTION_KEY);

/**
 * Each sealed field is bound to its attachment and its purpose, so a ciphertext moved to another row, or from the name
 * to the description (or to a message body), does not decrypt.
 */
const sealedRow = (row: Pick<MessageAttachmentRow, "conversationId" | "id">, field: "name" | "description") => ({
  conversationId: row.conversationId,
  id: `${row.id}:${field}`,
});

/** The name and description of an attachment as stored: sealed under the current key version. */
export async function sealAttachmentText(
  keys: KeyRing,
  row: Pick<MessageAttachmentRow, "conversationId" | "id">,
  text: { name: string; description: string | null },
): Promise<Pick<MessageAttachmentRow, "name" | "description" | "keyVersion">> {
  const name = await encryptBody(keys, sealedRow(row, "name"), text.name);
  const description = text.description ? (await encryptBody(keys, sealedRow(row, "description"), text.description)).body : null;
  return { name: name.body, description, keyVersion: name.keyVersion };
}

/** The name and description in clear. */
export async function openAttachmentText(
  keys: KeyRing,
  row: Pick<MessageAttachmentRow, "conversationId" | "id" | "name" | "description" | "keyVersion">,
): Promise<{ name: string; description: string | null }> {
  const open = (field: "name" | "description", body: string) =>
    decryptBody(keys, { ...sealedRow(row, field), body, keyVersion: row.keyVersion });
  return { name: await open("name", row.name), description: row.description === null ? null : await open("description", row.description) };
}

/** A file name as shown and offered for download: no folders, no control characters, not empty, not endless. */
function cleanName(name: string | undefined): string {
  const base = (name ?? "").split(/[/\\]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, "").trim();
  return clean.slice(0, NAME_CHARACTERS) || "file";
}

const descriptionSchema = attachmentDetailsSchema.shape.description;

/**
 * Stores a file a member is about to send in a conversation: checked and stored as post media are, documents (PDF,
 * plain text) too, under an unguessable key below CHAT_MEDIA_PREFIX. It waits for one of the uploader's messages in
 * that conversation (sendMessage's mediaIds), and is removed after a day if none takes it. Non-members get "not found".
 */
export async function uploadMessageAttachment(
  ctx: DomainContext,
  conversationId: string,
  uploaderId: string,
  file: { bytes: Uint8Array; name?: string; thumbnail?: Uint8Array },
  description?: string,
): Promise<MessageAttachmentView> {
  assertNotSuspended(ctx);
  await membershipOf(ctx, conversationId, uploaderId);
  const parsed = descriptionSchema.safeParse(description);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? "Invalid alt text";
    throw new DomainError("unprocessable", message, { fields: { description: message } });
  }
  const kind = checkUpload(file.bytes, { documents: true });
  const now = new Date();
  const id = newId(now.getTime());
  const base = `${CHAT_MEDIA_PREFIX}${id}-${unguessableSuffix()}`;
  const written: string[] = [];
  try {
    const stored =
      kind === "file"
        ? { type: "file" as const, ...(await storeDocument(ctx, base, file.bytes, written)), previewKey: null, width: null, height: null }
        : await storeMediaFiles(ctx, base, kind, file, written);
    const sealed = await sealAttachmentText(
      ring(ctx),
      { conversationId, id },
      { name: cleanName(file.name), description: parsed.data || null },
    );
    const [row] = await ctx.db
      .insert(messageAttachments)
      .values({
        id,
        conversationId,
        uploaderId,
        ...stored,
        sizeBytes: file.bytes.length,
        ...sealed,
        createdAt: now,
      })
      .returning();
    return (await showAttachments(ctx, [row!]))[0]!;
  } catch (error) {
    if (written.length > 0) await ctx.env.MEDIA.delete(written);
    throw error;
  }
}

/** Rows as members see them, in the order given. */
export async function showAttachments(ctx: DomainContext, rows: MessageAttachmentRow[]): Promise<MessageAttachmentView[]> {
  return Promise.all(
    rows.map(async (row) => ({
      id: row.id,
      conversationId: row.conversationId,
      type: row.type,
      contentType: row.contentType,
      sizeBytes: row.sizeBytes,
      width: row.width,
      height: row.height,
      preview: previewSize(row),
      hasPreview: row.previewKey !== null,
      ...(await openAttachmentText(ring(ctx), row)),
    })),
  );
}

/** The attachments of these messages, in their order within each message. */
export async function attachmentsOfMessages(ctx: DomainContext, messageIds: string[]): Promise<Map<string, MessageAttachmentView[]>> {
  const byMessage = new Map<string, MessageAttachmentView[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await ctx.db
    .select()
    .from(messageAttachments)
    .where(inArray(messageAttachments.messageId, messageIds))
    .orderBy(messageAttachments.messageId, messageAttachments.position);
  const views = await showAttachments(ctx, rows);
  rows.forEach((row, index) => byMessage.set(row.messageId!, [...(byMessage.get(row.messageId!) ?? []), views[index]!]));
  return byMessage;
}

/** Whether a message carries any attachment. */
export async function hasAttachments(ctx: DomainContext, messageId: string): Promise<boolean> {
  const [row] = await ctx.db
    .select({ id: messageAttachments.id })
    .from(messageAttachments)
    .where(eq(messageAttachments.messageId, messageId))
    .limit(1);
  return row !== undefined;
}

/**
 * The uploads a message asks for, in the order asked: at most four, each the sender's own, uploaded into this
 * conversation and in no message yet. Sends of one conversation are serialised by its room (ADR 0035), so no other
 * message can take them between this check and the send's batch.
 */
export async function sendableUploads(
  ctx: DomainContext,
  conversationId: string,
  senderId: string,
  ids: string[],
): Promise<MessageAttachmentRow[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  if (unique.length > mediaLimits.perPost) {
    const message = `A message can have at most ${mediaLimits.perPost} attachments`;
    throw new DomainError("unprocessable", message, { fields: { media_ids: message } });
  }
  const rows = await ctx.db
    .select()
    .from(messageAttachments)
    .where(
      and(
        inArray(messageAttachments.id, unique),
        eq(messageAttachments.conversationId, conversationId),
        eq(messageAttachments.uploaderId, senderId),
        isNull(messageAttachments.messageId),
      ),
    );
  const ordered = unique.map((id) => rows.find((row) => row.id === id));
  if (ordered.some((row) => !row)) {
    const message = "An attachment does not exist, is not yours, or was already sent; upload it again";
    throw new DomainError("unprocessable", message, { fields: { media_ids: message } });
  }
  return ordered as MessageAttachmentRow[];
}

/**
 * The statements that give uploads to a message, for the batch that stores it. They apply only if the batch's insert
 * did (a retry that lost the race for its client id inserts nothing, and must take nothing).
 */
export function attachToMessage(ctx: DomainContext, messageId: string, uploads: MessageAttachmentRow[]) {
  return uploads.map((upload, position) =>
    ctx.db
      .update(messageAttachments)
      .set({ messageId, position })
      .where(
        and(
          eq(messageAttachments.id, upload.id),
          isNull(messageAttachments.messageId),
          sql`EXISTS (SELECT 1 FROM ${messages} WHERE ${messages.id} = ${messageId})`,
        ),
      ),
  );
}

const fileColumns = { key: messageAttachments.key, previewKey: messageAttachments.previewKey };

/** A message's files in order, with their kind and size: what the moderation pipeline reads (ADR 0054). */
export function filesOfMessage(ctx: DomainContext, messageId: string) {
  return ctx.db
    .select({ type: messageAttachments.type, sizeBytes: messageAttachments.sizeBytes, ...fileColumns })
    .from(messageAttachments)
    .where(eq(messageAttachments.messageId, messageId))
    .orderBy(messageAttachments.position);
}

/** The files of a message's attachments, for the batch that deletes it for everyone (their rows go with them). */
export async function discardMessageAttachments(ctx: DomainContext, messageId: string) {
  const files = await ctx.db.select(fileColumns).from(messageAttachments).where(eq(messageAttachments.messageId, messageId));
  return {
    statements: files.length === 0 ? [] : [ctx.db.delete(messageAttachments).where(eq(messageAttachments.messageId, messageId))],
    events: discardedFiles({ attachments: files }),
  };
}

/** The files of everything someone uploaded into conversations, for deleting their account. */
export function messageFilesUploadedBy(ctx: DomainContext, uploaderId: string) {
  return ctx.db.select(fileColumns).from(messageAttachments).where(eq(messageAttachments.uploaderId, uploaderId));
}

/**
 * One file of an attachment for a member to fetch: the original, or the small preview of an image or video. Moderators
 * may open the files of a message that is held, removed or reported, as they read its text (ADR 0054); anyone else, and
 * anything not sent yet (except to its uploader) or gone, is "not found".
 */
export async function attachmentFileFor(
  ctx: DomainContext,
  viewer: Pick<User, "id" | "role">,
  conversationId: string,
  attachmentId: string,
  variant: "original" | "small",
): Promise<{ key: string; contentType: string; name: string; download: boolean }> {
  const member = await membershipOf(ctx, conversationId, viewer.id).then(
    () => true,
    (error: unknown) => {
      if (error instanceof DomainError && error.kind === "not_found" && can(viewer, "read:report:any")) return false;
      throw error;
    },
  );
  const row = await ctx.db.query.messageAttachments.findFirst({
    where: and(
      eq(messageAttachments.id, attachmentId),
      eq(messageAttachments.conversationId, conversationId),
      or(isNotNull(messageAttachments.messageId), eq(messageAttachments.uploaderId, viewer.id)),
    ),
  });
  const key = variant === "original" ? row?.key : row?.previewKey;
  if (!row || !key || !(member || (await underReview(ctx, row.messageId)))) throw new DomainError("not_found", "Record not found");
  const { name } = await openAttachmentText(ring(ctx), row);
  return {
    key,
    contentType: variant === "original" ? row.contentType : "image/webp",
    name,
    // A document is always downloaded, never shown by the browser on our origin.
    download: variant === "original" && row.type === "file",
  };
}

/** Whether moderators have a message before them: held or removed by moderation, or reported. */
async function underReview(ctx: DomainContext, messageId: string | null): Promise<boolean> {
  if (!messageId) return false;
  const [found] = await ctx.db
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.id, messageId),
        or(
          isNotNull(messages.moderationState),
          exists(ctx.db.select({ id: reports.id }).from(reports).where(eq(reports.messageId, messageId))),
        ),
      ),
    )
    .limit(1);
  return Boolean(found);
}

/** Uploads no message took are removed after a day (hourly cron), like a post's (ADR 0014). Returns how many. */
export async function expireUnsentUploads(ctx: DomainContext, now = Date.now()): Promise<number> {
  const cutoff = new Date(now - mediaLimits.unattachedLifetimeMs);
  const stale = await ctx.db
    .select({ id: messageAttachments.id, ...fileColumns })
    .from(messageAttachments)
    .where(and(isNull(messageAttachments.messageId), lt(messageAttachments.createdAt, cutoff)))
    .limit(500);
  if (stale.length === 0) return 0;
  // 90 ids a statement keeps each under D1's limit of bound parameters.
  const deletes = [];
  for (let start = 0; start < stale.length; start += 90) {
    const ids = stale.slice(start, start + 90).map((row) => row.id);
    deletes.push(ctx.db.delete(messageAttachments).where(and(inArray(messageAttachments.id, ids), isNull(messageAttachments.messageId))));
  }
  await commit(ctx, deletes, discardedFiles({ attachments: stale }));
  return stale.length;
}

/** What someone sent as attachments (metadata, names and descriptions in clear): their part of the account export. */
export async function attachmentsSentBy(ctx: DomainContext, uploaderId: string) {
  const rows = await ctx.db
    .select()
    .from(messageAttachments)
    .where(and(eq(messageAttachments.uploaderId, uploaderId), isNotNull(messageAttachments.messageId)))
    .orderBy(messageAttachments.id);
  const views = await showAttachments(ctx, rows);
  return rows.map((row, index) => ({
    id: row.id,
    messageId: row.messageId,
    conversationId: row.conversationId,
    type: row.type,
    contentType: row.contentType,
    sizeBytes: row.sizeBytes,
    name: views[index]!.name,
    description: views[index]!.description,
    createdAt: row.createdAt,
  }));
}

/** Attachment rows whose name and description are sealed under an older key version (rotation.ts). */
export function attachmentsUnderOldKeys(ctx: DomainContext, current: number, limit: number) {
  return ctx.db
    .select({
      id: messageAttachments.id,
      conversationId: messageAttachments.conversationId,
      name: messageAttachments.name,
      description: messageAttachments.description,
      keyVersion: messageAttachments.keyVersion,
    })
    .from(messageAttachments)
    .where(ne(messageAttachments.keyVersion, current))
    .limit(limit);
}
