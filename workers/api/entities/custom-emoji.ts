import { z } from "@hono/zod-openapi";

export const CustomEmojiSchema = z
  .object({
    shortcode: z.string(),
    url: z.url(),
    static_url: z.url(),
    visible_in_picker: z.boolean(),
  })
  .openapi("CustomEmoji", { description: "Mastodon's CustomEmoji entity." });

/** Every `emojis` list Perch answers with: Mastodon's shape, always empty, since Perch has no custom emoji. */
export const EmojiListSchema = z.array(CustomEmojiSchema).max(0).openapi({ description: "Always empty: this server has no custom emoji." });
