import { z } from "@hono/zod-openapi";
import { customEmojiPath, type CustomEmoji } from "#domain/custom-emojis.ts";

export const CustomEmojiSchema = z
  .object({
    shortcode: z.string(),
    url: z.url(),
    static_url: z.url(),
    visible_in_picker: z.boolean(),
    category: z.string().optional(),
  })
  .openapi("CustomEmoji", { description: "Mastodon's CustomEmoji entity." });

/** The custom emoji a status uses (its :shortcodes:), or the server's list in GET /api/v1/custom_emojis. */
export const CustomEmojiListSchema = z.array(CustomEmojiSchema);

/** Mastodon's CustomEmoji for one of the server's: the image serves both the animated and the still URL. */
export function presentCustomEmoji(emoji: Pick<CustomEmoji, "shortcode" | "key"> & { category?: string | null }, origin: string) {
  const url = `${origin}${customEmojiPath(emoji)}`;
  return {
    shortcode: emoji.shortcode,
    url,
    static_url: url,
    visible_in_picker: true,
    ...(emoji.category ? { category: emoji.category } : {}),
  };
}

/** Every other `emojis` list Perch answers with (accounts, polls, announcements): Mastodon's shape, empty for now. */
export const EmojiListSchema = z
  .array(CustomEmojiSchema)
  .max(0)
  .openapi({ description: "Always empty: custom emoji are drawn in statuses only (display names and polls do not use them yet)." });
