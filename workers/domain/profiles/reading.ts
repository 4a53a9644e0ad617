import { eq } from "drizzle-orm";
import { z } from "zod";
import { mediaDisplays, users } from "#db/schema/index.ts";
import type { User } from "../accounts/users.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { assertNotSuspended } from "../accounts/permissions.ts";

export const readingInputSchema = z.object({ mediaDisplay: z.enum(mediaDisplays, { message: "Choose how to show sensitive media" }) });

/** How the person reads: for now, how media marked sensitive are shown to them. */
export async function updateReading(ctx: DomainContext, userId: string, input: z.input<typeof readingInputSchema>): Promise<User> {
  assertNotSuspended(ctx);
  const data = readingInputSchema.parse(input);
  const [user] = await ctx.db
    .update(users)
    .set({ ...data, updatedAt: new Date() })
    .where(eq(users.id, userId))
    .returning();
  if (!user) throw new DomainError("not_found", "Record not found");
  return user;
}
