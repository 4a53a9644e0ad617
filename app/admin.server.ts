import type { ModerationDecision, ReviewedMessage, ReviewedPost, ReviewedProfile } from "#domain/moderation/review.ts";
import { backgroundPath, headerPath } from "#domain/profiles/profile.ts";
import { presentChatAttachment } from "#workers/api/entities/chat.ts";
import { sizedAvatar } from "#app/presenters/profile.server.ts";

/**
 * The pipeline's decisions as the admin pages list them: classifier, model, outcome, reason, the scores that count,
 * and the SHA-256 of the inputs, so a moderator can tell whether two decisions judged the same text and files.
 */
const presentDecisions = (decisions: ModerationDecision[]) =>
  decisions.map((decision) => ({
    id: decision.id,
    classifier: decision.classifier,
    model: decision.model,
    inputHash: decision.inputHash,
    outcome: decision.outcome,
    reason: decision.reason,
    scores: Object.entries(decision.scores)
      .filter(([, score]) => score > 0)
      .map(([category, score]) => `${category} ${score.toFixed(2)}`)
      .join(", "),
  }));

/** A post as the admin pages show it for review: its text and state, and every automatic decision about it. */
export const presentReviewed = ({ view, decisions }: ReviewedPost) => ({
  id: view.post.id,
  accountId: view.post.authorId,
  username: view.author.username,
  text: view.post.text,
  state: view.post.moderationState,
  at: view.post.createdAt.toISOString(),
  decisions: presentDecisions(decisions),
});

/** A held profile for review: what its owner wrote and chose, which only moderators and the owner see. */
export const presentHeldProfile = ({ account, decisions }: ReviewedProfile) => ({
  id: account.id,
  username: account.username,
  displayName: account.displayName,
  text: [account.bio, account.location, account.website, ...account.fields.map((field) => `${field.name}: ${field.value}`)]
    .filter(Boolean)
    .join("\n"),
  pictures: [
    account.avatarKey ? { label: "Avatar", src: sizedAvatar(account, "96") } : null,
    account.headerKey ? { label: "Header", src: headerPath(account) } : null,
    account.backgroundKey ? { label: "Background", src: backgroundPath(account)! } : null,
  ].filter((picture) => picture !== null),
  decisions: presentDecisions(decisions),
});

/** A chat message for review: its sender and its text, decrypted for moderators; never the rest of its conversation. */
export const presentReviewedMessage = (message: ReviewedMessage) => ({
  id: message.id,
  username: message.sender.username,
  text: message.text,
  state: message.state,
  sensitive: message.sensitive,
  // Served to the conversation's members and to moderators while the message is under review (ADR 0054, 0055).
  attachments: message.attachments.map((attachment) => {
    const file = presentChatAttachment(attachment);
    return { type: file.type, name: file.name, url: file.url, preview: file.preview_url, description: file.description };
  }),
  at: message.createdAt.toISOString(),
  decisions: presentDecisions(message.decisions),
});

export type ReviewedData = ReturnType<typeof presentReviewed>;

export type ReviewedMessageData = ReturnType<typeof presentReviewedMessage>;
