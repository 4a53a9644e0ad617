import { z } from "@hono/zod-openapi";
import { overlayColours, overlayPositions, storyAudiences, storyMediaTypes } from "#db/schema/index.ts";
import type { Highlight, HighlightView } from "#domain/stories/highlights.ts";
import type { StoryItem } from "#domain/stories/audience.ts";
import type { StoryItemView } from "#domain/stories/items.ts";
import type { StoryViewer } from "#domain/stories/interactions.ts";
import type { TrayEntry } from "#domain/stories/tray.ts";
import { AccountSchema, presentAccount } from "./account.ts";

const mediaUrl = (origin: string, key: string | null) => (key ? `${origin}/media/${key}` : null);

const StoryMediaSchema = z
  .object({
    type: z.enum(storyMediaTypes),
    content_type: z.string(),
    url: z.string().nullable().openapi({ description: "Null once the item's files were removed (expired and kept nowhere)." }),
    preview_url: z.string().nullable(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    duration_ms: z.number().int().nullable(),
  })
  .openapi("StoryMedia");

export const StoryItemSchema = z
  .object({
    id: z.string(),
    account: AccountSchema,
    created_at: z.iso.datetime(),
    expires_at: z.iso.datetime(),
    expired: z.boolean(),
    audience: z.enum(storyAudiences),
    media: StoryMediaSchema,
    alt_text: z.string(),
    overlay: z
      .object({ text: z.string(), position: z.enum(overlayPositions), colour: z.enum(overlayColours) })
      .nullable()
      .openapi("StoryOverlay"),
    link: z.string().nullable(),
    mention: z.object({ id: z.string(), username: z.string() }).nullable(),
    poll: z
      .object({
        question: z.string().nullable(),
        options: z.array(z.object({ title: z.string(), votes_count: z.number().int().nullable() })),
        own_vote: z.number().int().nullable().openapi({ description: "Your vote: 0 or 1; null if you did not vote." }),
      })
      .nullable()
      .openapi("StoryPoll", { description: "Vote counts are given to the author only." }),
    seen: z.boolean(),
    shared_from_id: z.string().nullable(),
  })
  .openapi("StoryItem", { description: "Perch extension: one picture or short video of a story, live for 24 hours." });

export function presentStoryItem(
  view: Pick<StoryItemView, "item" | "author"> & Partial<StoryItemView>,
  origin: string,
): z.infer<typeof StoryItemSchema> {
  const { item } = view;
  return {
    id: item.id,
    account: presentAccount(view.author, origin),
    created_at: item.createdAt.toISOString(),
    expires_at: item.expiresAt.toISOString(),
    expired: item.expiredAt !== null || item.expiresAt.getTime() <= Date.now(),
    audience: item.audience,
    media: {
      type: item.mediaType,
      content_type: item.contentType,
      url: item.filesKept ? mediaUrl(origin, item.key) : null,
      preview_url: item.filesKept ? mediaUrl(origin, item.previewKey) : null,
      width: item.width,
      height: item.height,
      duration_ms: item.durationMs,
    },
    alt_text: item.altText,
    overlay:
      item.overlayText && item.overlayPosition && item.overlayColour
        ? { text: item.overlayText, position: item.overlayPosition, colour: item.overlayColour }
        : null,
    link: item.linkUrl,
    mention: view.mentioned ?? null,
    poll: pollOf(view),
    seen: view.seen ?? true,
    shared_from_id: item.sharedFromId,
  };
}

/** The poll as the viewer knows it; a new item (no view read yet) has one with no votes. */
function pollOf(view: Pick<StoryItemView, "item"> & Partial<StoryItemView>): z.infer<typeof StoryItemSchema>["poll"] {
  const { item } = view;
  if (!item.pollOptionA || !item.pollOptionB) return null;
  const poll = view.poll ?? { question: item.pollQuestion, options: [item.pollOptionA, item.pollOptionB], voted: null, results: null };
  return {
    question: poll.question,
    options: poll.options.map((title, index) => ({ title, votes_count: poll.results?.[index] ?? null })),
    own_vote: poll.voted,
  };
}

export const StoryTrayEntrySchema = z
  .object({
    account: AccountSchema,
    first_item_id: z.string().openapi({ description: "The item to open: the oldest unseen, else the oldest." }),
    items_count: z.number().int(),
    unseen: z.boolean(),
    close_friends: z.boolean().openapi({ description: "Some items are for close friends (shown with a green ring)." }),
    latest_at: z.iso.datetime(),
  })
  .openapi("StoryTrayEntry");

export function presentTrayEntry(entry: TrayEntry, origin: string): z.infer<typeof StoryTrayEntrySchema> {
  return {
    account: presentAccount(entry.account, origin),
    first_item_id: entry.firstItemId,
    items_count: entry.itemCount,
    unseen: entry.unseen,
    close_friends: entry.closeFriends,
    latest_at: entry.latestAt.toISOString(),
  };
}

export const StoryViewerSchema = z
  .object({ account: AccountSchema, viewed_at: z.iso.datetime(), poll_vote: z.number().int().nullable() })
  .openapi("StoryViewer");

export const presentViewer = (viewer: StoryViewer, origin: string): z.infer<typeof StoryViewerSchema> => ({
  account: presentAccount(viewer.account, origin),
  viewed_at: viewer.viewedAt.toISOString(),
  poll_vote: viewer.vote,
});

export const HighlightSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    position: z.number().int(),
    cover_item_id: z.string().nullable(),
    cover_url: z.string().nullable(),
    items_count: z.number().int().nullable(),
  })
  .openapi("Highlight", { description: "Perch extension: a named collection of story items kept on a profile." });

export function presentHighlight(highlight: Highlight, origin: string, view?: HighlightView): z.infer<typeof HighlightSchema> {
  const cover: StoryItem | null | undefined = view?.cover;
  return {
    id: highlight.id,
    title: highlight.title,
    position: highlight.position,
    cover_item_id: cover?.id ?? highlight.coverItemId,
    cover_url: cover ? mediaUrl(origin, cover.previewKey ?? (cover.mediaType === "video" ? null : cover.key)) : null,
    items_count: view?.itemCount ?? null,
  };
}
