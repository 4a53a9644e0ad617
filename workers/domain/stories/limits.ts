import { z } from "zod";
import { overlayColours, overlayPositions, storyAudiences } from "#db/schema/index.ts";
import { mediaLimits } from "../media/attachments.ts";
import { megabytes } from "../media/storage.ts";

/**
 * What a story may hold. Pictures are uploads like a post's (re-encoded to WebP within 2048 px, EXIF dropped, up to
 * 16 MB; animated GIFs kept); videos are kept as uploaded, so they are held to a smaller size and a length a viewer
 * watches in one go. The API's 413 and 415 answers quote these numbers.
 */
export const storyLimits = {
  itemsPerRequest: 10,
  imageBytes: mediaLimits.imageBytes,
  videoBytes: 15 * 1024 * 1024,
  videoSeconds: 60,
  lifetimeMs: 24 * 60 * 60 * 1000,
  /** The author may read who viewed an item this long after it expired. */
  viewersAfterExpiryMs: 48 * 60 * 60 * 1000,
  overlayCharacters: 200,
  altTextCharacters: mediaLimits.descriptionCharacters,
  replyCharacters: 1000,
  pollQuestionCharacters: 100,
  pollOptionCharacters: 40,
  closeFriends: 1000,
  highlightsPerAccount: 100,
  itemsPerHighlight: 100,
  highlightTitleCharacters: 40,
} as const;

export const videoLimitText = `Story videos can be at most ${megabytes(storyLimits.videoBytes)} and ${storyLimits.videoSeconds} seconds long`;

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} is at most ${max} characters`)
    .optional()
    .transform((value) => value || undefined);

export const overlaySchema = z.object({
  text: z
    .string()
    .trim()
    .min(1, "Write the overlay's text")
    .max(storyLimits.overlayCharacters, `The overlay is at most ${storyLimits.overlayCharacters} characters`),
  position: z.enum(overlayPositions).default("bottom"),
  colour: z.enum(overlayColours).default("white"),
});

const pollOption = z
  .string()
  .trim()
  .min(1, "A poll needs two options")
  .max(storyLimits.pollOptionCharacters, `A poll option is at most ${storyLimits.pollOptionCharacters} characters`);

export const pollStickerSchema = z.object({
  question: optionalText(storyLimits.pollQuestionCharacters, "The poll's question"),
  options: z.tuple([pollOption, pollOption]),
});

const webLink = z
  .url({ protocol: /^https?$/, error: "The link must be a web address (http or https)" })
  .max(2000, "The link is at most 2000 characters");

/** A new story: one item per upload, each with the overlay and stickers given (a poll only on a single item). */
export const newStorySchema = z
  .object({
    mediaIds: z
      .array(z.string().min(1).max(64))
      .min(1, "Add a picture or a video")
      .max(storyLimits.itemsPerRequest, `At most ${storyLimits.itemsPerRequest} items at once`),
    audience: z.enum(storyAudiences).default("everyone"),
    altText: optionalText(storyLimits.altTextCharacters, "Alt text"),
    overlay: overlaySchema.optional(),
    link: webLink.optional(),
    mention: z
      .string()
      .trim()
      .max(64)
      .transform((name) => name.replace(/^@/, "") || undefined)
      .optional(),
    poll: pollStickerSchema.optional(),
  })
  .refine((story) => !story.poll || story.mediaIds.length === 1, {
    message: "A poll sticker goes on a single item",
    path: ["poll"],
  });

export type NewStory = z.input<typeof newStorySchema>;

/** A reply's text, or one emoji as a reaction. */
export const storyReplySchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("reply"),
    text: z
      .string()
      .trim()
      .min(1, "Write a reply")
      .max(storyLimits.replyCharacters, `A reply is at most ${storyLimits.replyCharacters} characters`),
  }),
  z.object({
    kind: z.literal("reaction"),
    text: z
      .string()
      .trim()
      .max(16)
      .regex(/^\p{Extended_Pictographic}/u, "A reaction is one emoji"),
  }),
]);

export const highlightTitleSchema = z
  .string()
  .trim()
  .min(1, "Name the highlight")
  .max(storyLimits.highlightTitleCharacters, `A highlight's name is at most ${storyLimits.highlightTitleCharacters} characters`);
