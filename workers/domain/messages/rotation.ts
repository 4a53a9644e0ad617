import { and, count, eq, isNotNull, ne } from "drizzle-orm";
import { messageAttachments, messages, storyReplies } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { attachmentsUnderOldKeys, openAttachmentText, sealAttachmentText } from "./attachments.ts";
import { decryptBody, encryptBody, keyRingOf } from "./encryption.ts";

/** Rows re-encrypted per batch: each is one UPDATE, and a batch is one D1 round trip. */
export const REENCRYPT_BATCH = 100;

/**
 * Re-encrypts up to `limit` message bodies still under an older key version with the current one (docs/decisions/0036).
 * Each update applies only if the row still holds what was read (same version and ciphertext), so an edit made
 * meanwhile is never overwritten. Returns how many rows moved to the current version. A row deleted for everyone has no body, and nothing to re-encrypt.
 */
export async function reencryptMessages(ctx: DomainContext, limit = REENCRYPT_BATCH): Promise<number> {
  const ring = keyRingOf(ctx.config.MESSAGE_ENCRYPTION_KEY);
  const rows = await ctx.db
    .select({ id: messages.id, conversationId: messages.conversationId, body: messages.body, keyVersion: messages.keyVersion })
    .from(messages)
    .where(and(ne(messages.keyVersion, ring.current), isNotNull(messages.body)))
    .limit(limit);
  if (rows.length === 0) return 0;
  const resealed = await Promise.all(
    rows.map(async (row) => ({ row, sealed: await encryptBody(ring, row, await decryptBody(ring, { ...row, body: row.body! })) })),
  );
  // Built after the awaits: a drizzle query is a thenable, and awaiting one would run it on its own.
  const statements = resealed.map(({ row, sealed }) =>
    ctx.db
      .update(messages)
      .set(sealed)
      .where(and(eq(messages.id, row.id), eq(messages.keyVersion, row.keyVersion), eq(messages.body, row.body!))),
  );
  const results = await ctx.db.batch(statements as [(typeof statements)[number], ...typeof statements]);
  return results.reduce((moved, result) => moved + result.meta.changes, 0);
}

/**
 * Re-encrypts up to `limit` attachments' names and descriptions still under an older key version, as
 * reencryptMessages does bodies: each update conditional on the row still holding what was read. Returns how many rows
 * moved to the current version.
 */
export async function reencryptAttachments(ctx: DomainContext, limit = REENCRYPT_BATCH): Promise<number> {
  const ring = keyRingOf(ctx.config.MESSAGE_ENCRYPTION_KEY);
  const rows = await attachmentsUnderOldKeys(ctx, ring.current, limit);
  if (rows.length === 0) return 0;
  const resealed = await Promise.all(
    rows.map(async (row) => ({ row, sealed: await sealAttachmentText(ring, row, await openAttachmentText(ring, row)) })),
  );
  const statements = resealed.map(({ row, sealed }) =>
    ctx.db
      .update(messageAttachments)
      .set(sealed)
      .where(
        and(eq(messageAttachments.id, row.id), eq(messageAttachments.keyVersion, row.keyVersion), eq(messageAttachments.name, row.name)),
      ),
  );
  const results = await ctx.db.batch(statements as [(typeof statements)[number], ...typeof statements]);
  return results.reduce((moved, result) => moved + result.meta.changes, 0);
}

/**
 * The five-minute job's share of a rotation: a few batches of bodies, then of attachments' names and descriptions, so
 * one run stays short; the next run goes on.
 */
export async function reencryptSomeMessages(ctx: DomainContext, batches = 10): Promise<number> {
  let moved = 0;
  for (const reencrypt of [reencryptMessages, reencryptAttachments]) {
    for (let run = 0; run < batches; run += 1) {
      const count = await reencrypt(ctx);
      moved += count;
      if (count < REENCRYPT_BATCH) break;
    }
  }
  return moved;
}

/**
 * How many rows each older key version still seals, over every table that holds sealed text: message bodies,
 * attachments' names and descriptions, and story replies waiting to become messages. A version may be removed from
 * MESSAGE_ENCRYPTION_KEY only once it is not here (docs/decisions/0036); the rotation job logs this after each run.
 */
export async function rowsUnderOldKeys(ctx: DomainContext): Promise<Record<string, number>> {
  const { current } = keyRingOf(ctx.config.MESSAGE_ENCRYPTION_KEY);
  const counted = await Promise.all([
    ctx.db
      .select({ version: messages.keyVersion, rows: count() })
      .from(messages)
      .where(and(ne(messages.keyVersion, current), isNotNull(messages.body)))
      .groupBy(messages.keyVersion),
    ctx.db
      .select({ version: messageAttachments.keyVersion, rows: count() })
      .from(messageAttachments)
      .where(ne(messageAttachments.keyVersion, current))
      .groupBy(messageAttachments.keyVersion),
    ctx.db
      .select({ version: storyReplies.keyVersion, rows: count() })
      .from(storyReplies)
      .where(ne(storyReplies.keyVersion, current))
      .groupBy(storyReplies.keyVersion),
  ]);
  const byVersion: Record<string, number> = {};
  for (const { version, rows } of counted.flat()) byVersion[version] = (byVersion[version] ?? 0) + rows;
  return byVersion;
}
