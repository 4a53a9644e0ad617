import { eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { commit } from "../events/outbox.ts";
import { attachmentFilesOwnedBy, discardedFiles } from "../media/attachments.ts";
import { messageFilesUploadedBy } from "../messages/attachments.ts";
import { groupsAfterAccountDeletion } from "../messages/conversations.ts";
import { confirmIdentity } from "./credentials.ts";
import type { Client } from "./sessions.ts";
import type { User } from "./users.ts";

/**
 * Deletes an account for good, once the holder has confirmed with their password or a 2FA code. Deleting the user row
 * cascades to everything that belongs to it (posts, follows, sessions, tokens, connections, codes, history), and
 * counters on the other side of its follows are corrected by the triggers. Its uploads' files (for posts and in
 * messages) go from R2 in the background, and so do its profile pictures (every size) unless another account uses the same bytes. Groups it owned
 * pass to their longest-standing admin, else member; a group left with no one is dissolved, with its files.
 */
export async function deleteAccount(
  ctx: DomainContext,
  user: User,
  proof: { password?: string; code?: string },
  client: Client,
): Promise<void> {
  if (!(await confirmIdentity(ctx, user.id, proof, client))) {
    throw new DomainError("unprocessable", "Confirm with your password (or a two-factor code)", {
      fields: {
        password: "That is not your password or a current code",
      },
    });
  }
  // Leaving is open to a suspended account too (ADR 0049).
  await eraseAccount(ctx, user, [], { suspendedMay: true });
}

/**
 * Deletes the user row (and by cascade all it owns) with the events that clean up after it, plus any statements that
 * must land with it (a moderator's audit entry).
 */
export async function eraseAccount(
  ctx: DomainContext,
  user: Pick<User, "id" | "avatarKey" | "headerKey" | "backgroundKey">,
  alongside: BatchItem<"sqlite">[] = [],
  options: { suspendedMay?: boolean } = {},
): Promise<void> {
  const uploads = [...(await attachmentFilesOwnedBy(ctx, user.id)), ...(await messageFilesUploadedBy(ctx, user.id))];
  const groups = await groupsAfterAccountDeletion(ctx, user.id);
  await commit(
    ctx,
    [...groups.before, ctx.db.delete(users).where(eq(users.id, user.id)), ...groups.after, ...alongside],
    [
      { type: "account.deleted", payload: { userId: user.id } },
      ...discardedFiles({ attachments: uploads, profileImages: [user.avatarKey, user.headerKey, user.backgroundKey] }),
      ...groups.events,
    ],
    options,
  );
}
