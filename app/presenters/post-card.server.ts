import type { QuotedPost, ShownPost } from "#domain/posts/hydrate.ts";
import type { ShownPoll } from "#domain/posts/polls.ts";
import type { PreviewCard } from "#domain/links/preview-cards.ts";
import type { Attachment } from "#domain/media/attachments.ts";
import { avatarPath } from "#domain/profiles/profile.ts";
import { parseRichText } from "#domain/rich-text.ts";

const mediaUrl = (key: string) => `/media/${key}`;

export function presentMedia(attachment: Attachment) {
  return {
    id: attachment.id,
    type: attachment.type,
    url: mediaUrl(attachment.key),
    previewUrl: attachment.previewKey ? mediaUrl(attachment.previewKey) : null,
    contentType: attachment.contentType,
    description: attachment.description,
    width: attachment.width,
    height: attachment.height,
    focus: { x: attachment.focusX, y: attachment.focusY },
  };
}

/** The poll with counts only when the viewer may see them (see showPoll). */
function presentPoll(shown: ShownPoll) {
  const total = shown.poll.votesCount;
  return {
    id: shown.poll.id,
    multiple: shown.poll.multiple,
    expired: shown.expired,
    expiresAt: shown.poll.expiresAt.toISOString(),
    votersCount: shown.poll.votersCount,
    resultsVisible: shown.resultsVisible,
    voted: shown.voted,
    options: shown.options.map((option) => ({
      title: option.title,
      votes: shown.resultsVisible ? option.votesCount : null,
      percent: shown.resultsVisible ? (total > 0 ? Math.round((option.votesCount / total) * 100) : 0) : null,
      chosen: shown.ownChoices.includes(option.position),
    })),
  };
}

export function presentCard(card: PreviewCard) {
  return {
    url: card.url,
    title: card.title,
    description: card.description,
    providerName: card.providerName,
    image: card.imageKey ? mediaUrl(card.imageKey) : null,
    width: card.imageWidth,
    height: card.imageHeight,
  };
}

function presentBody({ post, author, media, poll, card, emojis }: QuotedPost) {
  return {
    id: post.id,
    createdAt: post.createdAt.toISOString(),
    editedAt: post.editedAt?.toISOString() ?? null,
    content: parseRichText(post.text),
    spoilerText: post.spoilerText,
    sensitive: post.sensitive,
    language: post.language,
    visibility: post.visibility,
    quotePolicy: post.quotePolicy,
    isReply: post.inReplyToId !== null,
    counts: { replies: post.repliesCount, reposts: post.reblogsCount, likes: post.favouritesCount },
    author: {
      username: author.username,
      displayName: author.displayName || author.username,
      avatar: avatarPath(author),
      bot: author.bot,
    },
    media: media.map(presentMedia),
    poll: poll ? presentPoll(poll) : null,
    card: card ? presentCard(card) : null,
    /** The custom emoji its :shortcodes: name, by shortcode: <RichText> draws them as images. */
    emojis: Object.fromEntries(emojis.map((emoji) => [emoji.shortcode, mediaUrl(emoji.key)])),
  };
}

/**
 * What a page needs to show a post: tokenized text (rendered by <RichText>), media, poll and link card, the original
 * of a repost with who reposted it, the quoted post (or that it is unavailable), the viewer's marks and the reaction
 * counts, and the viewer's filters it matched. Nothing private: poll counts stay hidden until the viewer may see them.
 */
export function presentPostCard(view: ShownPost) {
  const shown = view.reblog ?? view;
  const matches = view.filtered ?? [];
  return {
    ...presentBody(shown),
    // A "blur" filter covers the media as if the author had marked it sensitive.
    ...(matches.some((match) => match.filter.action === "blur") ? { sensitive: true } : {}),
    /**
     * The titles of the viewer's "warn" filters it matched (and "hide" ones, which reach a page only on the post the
     * viewer opened): the post is shown behind a notice naming them.
     */
    filteredBy: matches.filter((match) => match.filter.action !== "blur").map((match) => match.filter.title),
    /** The row's own id (a repost's, not its original's): unique in a list that shows both. */
    rowId: view.post.id,
    repostedBy: view.reblog ? { username: view.author.username, displayName: view.author.displayName || view.author.username } : null,
    quote: shown.quote ? (shown.quote.view ? presentBody(shown.quote.view) : ("unavailable" as const)) : null,
    viewer: shown.viewer,
    reactions: shown.reactions,
  };
}

export type PostCardData = ReturnType<typeof presentPostCard>;
export type PostBodyData = ReturnType<typeof presentBody>;

/**
 * A post as one square of a profile's media grid: its first attachment (with its description for alt text), how many
 * it has, and where the post is. A repost is never a tile (the Media tab leaves reposts out).
 */
export function presentMediaTile(view: ShownPost) {
  const [first] = view.media;
  return {
    rowId: view.post.id,
    path: `/${view.author.username}/status/${view.post.id}`,
    createdAt: view.post.createdAt.toISOString(),
    sensitive: view.post.sensitive,
    count: view.media.length,
    media: first ? presentMedia(first) : null,
  };
}

export type MediaTileData = ReturnType<typeof presentMediaTile>;
