import { reasonText, type RankedPost } from "#domain/ranking/for-you.ts";
import { presentPostCard } from "./post-card.server.ts";

/** A For-you card: the post, why it is shown, and what its feedback buttons act on (the original of a repost). */
export function presentForYouCard(item: RankedPost) {
  const shown = item.post.reblog ?? item.post;
  return {
    rowId: item.post.post.id,
    /** None for a post the reader turned away: its place shows only the undo. */
    card: item.hiddenBy ? null : presentPostCard(item.post),
    reason: reasonText(item.reason, item.reasonSubject),
    hiddenBy: item.hiddenBy,
    postId: shown.post.id,
    author: { id: shown.author.id, username: shown.author.username },
  };
}

export type ForYouCardData = ReturnType<typeof presentForYouCard>;
