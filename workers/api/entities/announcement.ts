import { z } from "@hono/zod-openapi";
import { EmojiListSchema } from "./custom-emoji.ts";
import { MentionSchema, StatusTagSchema } from "./status.ts";

const AnnouncementSchema = z
  .object({
    id: z.string(),
    content: z.string().openapi({ description: "As HTML." }),
    starts_at: z.iso.datetime().nullable(),
    ends_at: z.iso.datetime().nullable(),
    all_day: z.boolean(),
    published_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    read: z.boolean().optional(),
    mentions: z.array(MentionSchema),
    statuses: z.array(z.object({ id: z.string(), url: z.url() })),
    tags: z.array(StatusTagSchema),
    emojis: EmojiListSchema,
    reactions: z.array(z.object({ name: z.string(), count: z.number().int(), me: z.boolean().optional() })),
  })
  .openapi("Announcement", { description: "Mastodon's Announcement entity: a message from the server's staff." });

/** Every announcement list Perch answers: Mastodon's shape, always empty until staff can make announcements. */
export const AnnouncementListSchema = z
  .array(AnnouncementSchema)
  .max(0)
  .openapi({ description: "Always empty: this server has no way to make announcements yet." });
