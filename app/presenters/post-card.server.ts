import type { ShownPost } from "#domain/posts/hydrate.ts";
import type { PostView } from "#domain/posts/posts.ts";
import { avatarPath } from "#domain/profiles/profile.ts";
import { parseRichText } from "#domain/rich-text.ts";

function presentBody({ post, author }: PostView) {
  return {
    id: post.id,
    createdAt: post.createdAt.toISOString(),
    editedAt: post.editedAt?.toISOString() ?? null,
    content: parseRichText(post.text),
    spoilerText: post.spoilerText,
    language: post.language,
    visibility: post.visibility,
    isReply: post.inReplyToId !== null,
    counts: { replies: post.repliesCount, reposts: post.reblogsCount, likes: post.favouritesCount },
    author: {
      username: author.username,
      displayName: author.displayName || author.username,
      avatar: avatarPath(author),
      bot: author.bot,
    },
  };
}

/**
 * What a page needs to show a post: tokenized text (rendered by <RichText>), the original of a repost with who
 * reposted it, the quoted post (or that it is unavailable), the viewer's marks and the reaction counts. Nothing private.
 */
export function presentPostCard(view: ShownPost) {
  const shown = view.reblog ?? view;
  return {
    ...presentBody(shown),
    /** The row's own id (a repost's, not its original's): unique in a list that shows both. */
    rowId: view.post.id,
    repostedBy: view.reblog ? { username: view.author.username, displayName: view.author.displayName || view.author.username } : null,
    quote: shown.quote ? (shown.quote.view ? presentBody(shown.quote.view) : ("unavailable" as const)) : null,
    viewer: shown.viewer,
    reactions: shown.reactions,
  };
}

export type PostCardData = ReturnType<typeof presentPostCard>;
