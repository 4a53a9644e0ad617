import type { ModerationAction } from "./actions.ts";

const kindLabels: Record<ModerationAction["kind"], string> = {
  warn: "Warning",
  remove_post: "Post removed",
  mark_sensitive: "Post marked sensitive",
  hold_post: "Post held for review",
  limit: "Account limited",
  suspend: "Account suspended",
  unsuspend: "Account restored",
  remove_profile: "Profile text removed",
  remove_message: "Chat message removed",
  sensitize: "All your media marked sensitive",
  disable: "Log-in disabled",
};

/** What an action against an account is called where its owner reads of it: /settings/moderation and the email. */
export function actionLabel(action: Pick<ModerationAction, "kind" | "postId" | "messageId">): string {
  return action.kind === "mark_sensitive" && !action.postId && action.messageId ? "Chat message marked sensitive" : kindLabels[action.kind];
}
