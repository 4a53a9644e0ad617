import { z } from "@hono/zod-openapi";
import { moderationActionKinds } from "#db/schema/index.ts";
import type { ShownNotification } from "#domain/notifications/inbox.ts";
import type { PublicUser } from "#domain/profiles/profile.ts";
import { AccountSchema, presentAccount } from "./account.ts";

type ModerationAction = NonNullable<ShownNotification["warning"]>;

const accountWarningActions = [
  "none",
  "disable",
  "mark_statuses_as_sensitive",
  "delete_statuses",
  "sensitive",
  "silence",
  "suspend",
] as const;

/**
 * Perch's action kinds in Mastodon's words: a warning, a held or removed post, a limit (silence), a suspension, a
 * sensitized account, a disabled log-in. Mastodon has no word for removed profile text or a removed chat message: they
 * read as a warning, its text saying what went.
 */
const MASTODON_ACTION: Record<ModerationAction["kind"], (typeof accountWarningActions)[number]> = {
  warn: "none",
  remove_post: "delete_statuses",
  hold_post: "delete_statuses",
  mark_sensitive: "mark_statuses_as_sensitive",
  limit: "silence",
  suspend: "suspend",
  unsuspend: "none",
  remove_profile: "none",
  remove_message: "none",
  sensitize: "sensitive",
  disable: "disable",
};

export const AccountWarningSchema = z
  .object({
    id: z.string(),
    action: z.enum(accountWarningActions),
    text: z.string().openapi({ description: "The moderator's (or the pipeline's) reason." }),
    status_ids: z.array(z.string()).nullable(),
    target_account: AccountSchema,
    appeal: z
      .object({ text: z.string(), state: z.enum(["approved", "rejected", "pending"]) })
      .nullable()
      .openapi("Appeal", { description: "The account's appeal: approved (the action was undone), rejected, or pending." }),
    created_at: z.iso.datetime(),
    perch: z
      .object({ kind: z.enum(moderationActionKinds) })
      .openapi("AccountWarningPerch", { description: "Perch extension: the action's own kind (ADR 0019)." }),
  })
  .openapi("AccountWarning", { description: "Mastodon's AccountWarning: a moderation action taken against your account." });

export function presentAccountWarning(action: ModerationAction, target: PublicUser, origin: string): z.infer<typeof AccountWarningSchema> {
  return {
    id: action.id,
    action: MASTODON_ACTION[action.kind],
    text: action.reason,
    status_ids: action.postId ? [action.postId] : [],
    target_account: presentAccount(target, origin),
    appeal:
      action.appealText === null
        ? null
        : {
            text: action.appealText,
            state: action.appealDecision === "overturned" ? "approved" : action.appealDecision === "upheld" ? "rejected" : "pending",
          },
    created_at: action.createdAt.toISOString(),
    perch: { kind: action.kind },
  };
}
