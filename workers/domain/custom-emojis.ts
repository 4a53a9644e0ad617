import { and, asc, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { auditLog, customEmojis } from "#db/schema/index.ts";
import { assertCan } from "./accounts/permissions.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import { readImageSize } from "./media/images.ts";
import { sniffImageType } from "./media/sniff.ts";
import { storeMedia } from "./media/storage.ts";

export type CustomEmoji = typeof customEmojis.$inferSelect;

/** Mastodon's limits: a shortcode of letters, digits and underscores, and an image small enough to sit in a line. */
export const customEmojiLimits = {
  maxBytes: 256 * 1024,
  maxSide: 512,
  types: ["image/png", "image/gif", "image/webp"] as const,
};

export const shortcodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_]{2,30}$/, "A shortcode is 2 to 30 letters, digits or underscores");

export const newCustomEmojiSchema = z.object({
  shortcode: shortcodeSchema,
  category: z.string().trim().max(50, "A category is at most 50 characters").default(""),
});

/** :shortcode: as written in a post; shortcodes are case-sensitive, as on Mastodon. */
export const SHORTCODE_IN_TEXT = /:([A-Za-z0-9_]{2,30}):/g;

function audit(ctx: DomainContext, adminId: string, action: string, emoji: Pick<CustomEmoji, "id" | "shortcode">, at: Date) {
  return ctx.db.insert(auditLog).values({
    moderatorId: adminId,
    action,
    targetKind: "settings",
    targetId: emoji.id,
    reason: `:${emoji.shortcode}:`,
    createdAt: at,
  });
}

/**
 * Adds an emoji (admins only): a PNG, GIF (animation kept) or WebP by its bytes, at most 256 KB and 512 px a side,
 * stored in R2 under its content address as the media pipeline stores everything; the shortcode must be free.
 */
export async function addCustomEmoji(
  ctx: DomainContext,
  input: z.input<typeof newCustomEmojiSchema>,
  bytes: Uint8Array,
  at = new Date(),
): Promise<CustomEmoji> {
  const admin = assertCan(ctx, "update:instance:any");
  const data = newCustomEmojiSchema.parse(input);
  if (bytes.length === 0) throw new DomainError("unprocessable", "Choose an image", { fields: { image: "Choose an image" } });
  if (bytes.length > customEmojiLimits.maxBytes) {
    const message = `An emoji image is at most ${customEmojiLimits.maxBytes / 1024} KB`;
    throw new DomainError("too_large", message, { fields: { image: message } });
  }
  const type = customEmojiLimits.types.find((known) => known === sniffImageType(bytes));
  if (!type) throw new DomainError("unsupported", "Use a PNG, GIF or WebP image", { fields: { image: "Use a PNG, GIF or WebP image" } });
  const size = await readImageSize(ctx, bytes);
  if (size.width > customEmojiLimits.maxSide || size.height > customEmojiLimits.maxSide) {
    const message = `An emoji image is at most ${customEmojiLimits.maxSide} × ${customEmojiLimits.maxSide} pixels`;
    throw new DomainError("unprocessable", message, { fields: { image: message } });
  }
  const taken = await ctx.db.query.customEmojis.findFirst({ where: eq(customEmojis.shortcode, data.shortcode), columns: { id: true } });
  if (taken) {
    throw new DomainError("conflict", `:${data.shortcode}: is taken`, {
      code: "shortcode_taken",
      fields: { shortcode: `:${data.shortcode}: is taken` },
    });
  }
  const key = await storeMedia(ctx, { prefix: "emoji", bytes, extension: type.slice("image/".length), contentType: type });
  const [emoji] = await ctx.db.batch([
    ctx.db
      .insert(customEmojis)
      .values({ shortcode: data.shortcode, key, contentType: type, category: data.category || null, createdById: admin.id, createdAt: at })
      .returning(),
    ctx.db.insert(auditLog).values({
      moderatorId: admin.id,
      action: "add_emoji",
      targetKind: "settings",
      targetId: data.shortcode,
      reason: `:${data.shortcode}:`,
      createdAt: at,
    }),
  ]);
  return emoji[0]!;
}

async function emojiById(ctx: DomainContext, id: string): Promise<CustomEmoji> {
  const emoji = await ctx.db.query.customEmojis.findFirst({ where: eq(customEmojis.id, id) });
  if (!emoji) throw new DomainError("not_found", "Record not found");
  return emoji;
}

/** Turns an emoji off or on again (admins only): a disabled one is neither listed to apps nor drawn in posts. */
export async function setCustomEmojiDisabled(ctx: DomainContext, id: string, disabled: boolean, at = new Date()): Promise<void> {
  const admin = assertCan(ctx, "update:instance:any");
  const emoji = await emojiById(ctx, id);
  await ctx.db.batch([
    ctx.db.update(customEmojis).set({ disabled }).where(eq(customEmojis.id, id)),
    audit(ctx, admin.id, disabled ? "disable_emoji" : "enable_emoji", emoji, at),
  ]);
}

/** Deletes an emoji (admins only); its image goes too unless another emoji has the same bytes. */
export async function deleteCustomEmoji(ctx: DomainContext, id: string, at = new Date()): Promise<void> {
  const admin = assertCan(ctx, "update:instance:any");
  const emoji = await emojiById(ctx, id);
  await ctx.db.batch([ctx.db.delete(customEmojis).where(eq(customEmojis.id, id)), audit(ctx, admin.id, "delete_emoji", emoji, at)]);
  const shared = await ctx.db.query.customEmojis.findFirst({
    where: and(eq(customEmojis.key, emoji.key), ne(customEmojis.id, id)),
    columns: { id: true },
  });
  if (!shared) await ctx.env.MEDIA.delete(emoji.key);
}

/** Every emoji, disabled ones too, by shortcode: the admins' list. */
export function allCustomEmojis(ctx: DomainContext): Promise<CustomEmoji[]> {
  assertCan(ctx, "update:instance:any");
  return ctx.db.select().from(customEmojis).orderBy(asc(customEmojis.shortcode));
}

/** The emoji apps may offer and draw (GET /api/v1/custom_emojis): the enabled ones, by shortcode. */
export function enabledCustomEmojis(ctx: DomainContext): Promise<CustomEmoji[]> {
  return ctx.db.select().from(customEmojis).where(eq(customEmojis.disabled, false)).orderBy(asc(customEmojis.shortcode));
}

/** Where an emoji's image is served (the /media route, cached as immutable like all content-addressed media). */
export const customEmojiPath = (emoji: Pick<CustomEmoji, "key">) => `/media/${emoji.key}`;
