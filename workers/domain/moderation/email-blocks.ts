import { eq } from "drizzle-orm";
import { z } from "zod";
import { isUniqueConstraintError } from "#db/client.ts";
import { auditLog, canonicalEmailBlocks } from "#db/schema/index.ts";
import { sha256Hex } from "#workers/platform/crypto.ts";
import { assertCan } from "../accounts/permissions.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { newestFirst, pageBounds, pageOf, type Page, type PageRequest } from "../pagination.ts";

export type CanonicalEmailBlock = typeof canonicalEmailBlocks.$inferSelect;

/**
 * An address in Mastodon's canonical form, so that one block covers its variants: lower case, and in the part before
 * the @ nothing from a "+" on and no dots (most providers deliver "a.b+x@" to "ab@").
 */
export function canonicalEmail(email: string): string {
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf("@");
  if (at < 0) return address;
  const local = address.slice(0, at).split("+")[0]!.replaceAll(".", "");
  return `${local}${address.slice(at)}`;
}

export const canonicalEmailHash = (email: string) => sha256Hex(canonicalEmail(email));

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A new block: an address (hashed here, never stored) or the hash itself. */
export const emailBlockInputSchema = z
  .object({
    email: z.string().trim().min(3).max(254).optional(),
    canonicalEmailHash: z.string().trim().toLowerCase().regex(SHA256_HEX, "canonical_email_hash is a SHA-256 in hex").optional(),
  })
  .refine((input) => Boolean(input.email) !== Boolean(input.canonicalEmailHash), {
    message: "Give either email or canonical_email_hash",
  });

/** Sign-up, sign-in with a provider and an email change refuse a blocked address with the same words. */
export async function assertEmailAllowed(ctx: DomainContext, email: string): Promise<void> {
  if ((await blocksMatching(ctx, email)).length === 0) return;
  throw new DomainError("unprocessable", "This email address cannot be used here", {
    fields: { email: "This email address cannot be used here" },
  });
}

/** The blocks an address falls under, for admins testing one (none or one: hashes are unique). */
export async function emailBlocksFor(ctx: DomainContext, email: string): Promise<CanonicalEmailBlock[]> {
  assertCan(ctx, "update:instance:any");
  return blocksMatching(ctx, email);
}

async function blocksMatching(ctx: DomainContext, email: string): Promise<CanonicalEmailBlock[]> {
  const hash = await canonicalEmailHash(email);
  return ctx.db.select().from(canonicalEmailBlocks).where(eq(canonicalEmailBlocks.canonicalEmailHash, hash));
}

/** Admins' list, newest first, paged by id. */
export async function listEmailBlocks(ctx: DomainContext, page: PageRequest): Promise<Page<CanonicalEmailBlock>> {
  assertCan(ctx, "update:instance:any");
  const bounds = pageBounds(canonicalEmailBlocks.id, page);
  const rows = await ctx.db.select().from(canonicalEmailBlocks).where(bounds.where).orderBy(bounds.orderBy).limit(page.limit);
  const blocks = newestFirst(rows, bounds.ascending);
  return pageOf(
    blocks,
    blocks.map((block) => block.id),
    page,
  );
}

export async function emailBlock(ctx: DomainContext, id: string): Promise<CanonicalEmailBlock> {
  assertCan(ctx, "update:instance:any");
  const block = await ctx.db.query.canonicalEmailBlocks.findFirst({ where: eq(canonicalEmailBlocks.id, id) });
  if (!block) throw new DomainError("not_found", "Record not found");
  return block;
}

/** Blocks an address (admins), with its audit entry; the same address twice is a 409. */
export async function blockEmail(
  ctx: DomainContext,
  input: z.input<typeof emailBlockInputSchema>,
  at = new Date(),
): Promise<CanonicalEmailBlock> {
  const admin = assertCan(ctx, "update:instance:any");
  const data = emailBlockInputSchema.parse(input);
  const hash = data.canonicalEmailHash ?? (await canonicalEmailHash(data.email!));
  try {
    const [[block]] = await ctx.db.batch([
      ctx.db.insert(canonicalEmailBlocks).values({ canonicalEmailHash: hash, createdById: admin.id, createdAt: at }).returning(),
      ctx.db
        .insert(auditLog)
        .values({ moderatorId: admin.id, action: "block_email", targetKind: "email_block", targetId: hash, reason: "", createdAt: at }),
    ]);
    return block!;
  } catch (error) {
    if (isUniqueConstraintError(error)) throw new DomainError("conflict", "That address is blocked already");
    throw error;
  }
}

/** Lifts a block (admins), with its audit entry. */
export async function unblockEmail(ctx: DomainContext, id: string, at = new Date()): Promise<void> {
  const admin = assertCan(ctx, "update:instance:any");
  const block = await emailBlock(ctx, id);
  await ctx.db.batch([
    ctx.db.delete(canonicalEmailBlocks).where(eq(canonicalEmailBlocks.id, id)),
    ctx.db.insert(auditLog).values({
      moderatorId: admin.id,
      action: "unblock_email",
      targetKind: "email_block",
      targetId: block.canonicalEmailHash,
      reason: "",
      createdAt: at,
    }),
  ]);
}
