import type { PostView } from "#domain/posts/posts.ts";
import { avatarPath } from "#domain/profiles/profile.ts";
import { parseRichText } from "#domain/rich-text.ts";

/** What a page needs to show a post: tokenized text (rendered by <RichText>) and nothing private. */
export function presentPostCard({ post, author }: PostView) {
  return {
    id: post.id,
    createdAt: post.createdAt.toISOString(),
    editedAt: post.editedAt?.toISOString() ?? null,
    content: parseRichText(post.text),
    spoilerText: post.spoilerText,
    language: post.language,
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

export type PostCardData = ReturnType<typeof presentPostCard>;
