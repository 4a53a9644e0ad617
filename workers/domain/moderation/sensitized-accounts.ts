import { eq } from "drizzle-orm";
import { users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";

/**
 * Whether what an author writes with media is marked sensitive: as they chose, or always when a moderator sensitized
 * their account (Mastodon's "sensitive" account action, docs/decisions/0056). Asked only when it could change the answer.
 */
export async function markedSensitive(ctx: DomainContext, authorId: string, chosen: boolean, hasMedia: boolean): Promise<boolean> {
  if (chosen || !hasMedia) return chosen;
  const author = await ctx.db.query.users.findFirst({ where: eq(users.id, authorId), columns: { sensitized: true } });
  return author?.sensitized ?? false;
}
