import { avatarPath } from "#domain/profiles/profile.ts";
import type { StoryItemView } from "#domain/stories/items.ts";
import type { StoryQuote } from "#domain/stories/quotes.ts";
import type { TrayEntry } from "#domain/stories/tray.ts";

/** One account's circle in the story tray. */
export function presentTrayEntry(entry: TrayEntry) {
  return {
    username: entry.account.username,
    displayName: entry.account.displayName || entry.account.username,
    avatar: avatarPath(entry.account),
    href: `/stories/${entry.account.username}/${entry.firstItemId}`,
    unseen: entry.unseen,
    closeFriends: entry.closeFriends,
  };
}

export type TrayCircle = ReturnType<typeof presentTrayEntry>;

/** A story item as the viewer page shows it. */
export function presentStoryItem(view: StoryItemView) {
  const { item } = view;
  return {
    id: item.id,
    href: `/stories/${view.author.username}/${item.id}`,
    mediaType: item.mediaType,
    src: item.filesKept ? `/media/${item.key}` : null,
    poster: item.filesKept && item.previewKey ? `/media/${item.previewKey}` : null,
    durationMs: item.durationMs,
    altText: item.altText,
    overlay: item.overlayText
      ? { text: item.overlayText, position: item.overlayPosition ?? "bottom", colour: item.overlayColour ?? "white" }
      : null,
    link: item.linkUrl,
    mention: view.mentioned?.username ?? null,
    poll: view.poll,
    createdAt: item.createdAt.toISOString(),
    audience: item.audience,
    seen: view.seen,
  };
}

export type StoryItemCard = ReturnType<typeof presentStoryItem>;

/** The quote of a story item in a message replying to it: a thumbnail and link while the reader may see it. */
export function presentStoryQuote(quote: StoryQuote, sentByReader: boolean) {
  const { visible } = quote;
  return {
    label: sentByReader ? "You replied to their story" : "Replied to your story",
    href: visible
      ? visible.highlightId
        ? `/highlights/${visible.highlightId}?item=${quote.itemId}`
        : `/stories/${quote.authorUsername}/${quote.itemId}`
      : null,
    thumbnail: visible?.thumbnailKey ? `/media/${visible.thumbnailKey}` : null,
  };
}

export type StoryQuoteCard = ReturnType<typeof presentStoryQuote>;
