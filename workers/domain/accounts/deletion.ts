import { eq, inArray, or } from "drizzle-orm";
import { users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { confirmIdentity } from "./credentials.ts";
import type { User } from "./users.ts";

/**
 * Deletes an account for good, once the holder has confirmed with their password or a 2FA code. Deleting the user row
 * cascades to everything that belongs to it (posts, follows, sessions, tokens, connections, codes, history), and
 * counters on the other side of its follows are corrected by the triggers. Its images go from R2 unless another
 * account uses the same bytes (keys are content addresses).
 */
export async function deleteAccount(ctx: DomainContext, user: User, proof: { password?: string; code?: string }): Promise<void> {
  if (!(await confirmIdentity(ctx, user.id, proof))) {
    throw new DomainError("unprocessable", "Confirm with your password (or a two-factor code)", {
      password: "That is not your password or a current code",
    });
  }
  await ctx.db.delete(users).where(eq(users.id, user.id));
  const keys = [user.avatarKey, user.headerKey].filter((key): key is string => Boolean(key));
  if (keys.length === 0) return;
  const stillUsed = await ctx.db
    .select({ avatarKey: users.avatarKey, headerKey: users.headerKey })
    .from(users)
    .where(or(inArray(users.avatarKey, keys), inArray(users.headerKey, keys)));
  const kept = new Set(stillUsed.flatMap((row) => [row.avatarKey, row.headerKey]));
  const orphaned = keys.filter((key) => !kept.has(key));
  if (orphaned.length > 0) await ctx.env.MEDIA.delete(orphaned);
}
