import type { ReviewedPost } from "#domain/moderation/review.ts";

/** A post as the admin pages show it for review: its text and state, and every automatic decision about it. */
export const presentReviewed = ({ view, decisions }: ReviewedPost) => ({
  id: view.post.id,
  accountId: view.post.authorId,
  username: view.author.username,
  text: view.post.text,
  state: view.post.moderationState,
  at: view.post.createdAt.toISOString(),
  decisions: decisions.map((decision) => ({
    id: decision.id,
    classifier: decision.classifier,
    model: decision.model,
    outcome: decision.outcome,
    reason: decision.reason,
    scores: Object.entries(decision.scores)
      .filter(([, score]) => score > 0)
      .map(([category, score]) => `${category} ${score.toFixed(2)}`)
      .join(", "),
  })),
});

export type ReviewedData = ReturnType<typeof presentReviewed>;
