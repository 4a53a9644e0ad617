import { and, eq, isNotNull, ne, sql } from "drizzle-orm";
import { chatSettings, conversationMembers } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { membershipOf } from "./conversations.ts";
import { chatSettingsOf } from "./settings.ts";

/** Where another member has read up to. */
export interface ReadMarker {
  userId: string;
  lastReadId: string;
}

/**
 * How far the other members have read, as the viewer may see it: only members who share their read receipts and have
 * accepted the conversation, and nothing at all when the viewer keeps theirs off (as X and WhatsApp do; the room's
 * live receipts follow the same rule, docs/decisions/0035).
 */
export async function readMarkersSeenBy(ctx: DomainContext, viewerId: string, conversationId: string): Promise<ReadMarker[]> {
  await membershipOf(ctx, conversationId, viewerId);
  if (!(await chatSettingsOf(ctx, viewerId)).readReceipts) return [];
  const rows = await ctx.db
    .select({ userId: conversationMembers.userId, lastReadId: conversationMembers.lastReadId })
    .from(conversationMembers)
    .leftJoin(chatSettings, eq(chatSettings.userId, conversationMembers.userId))
    .where(
      and(
        eq(conversationMembers.conversationId, conversationId),
        ne(conversationMembers.userId, viewerId),
        eq(conversationMembers.state, "active"),
        isNotNull(conversationMembers.lastReadId),
        sql`coalesce(${chatSettings.readReceipts}, 1) = 1`,
      ),
    );
  return rows.map((row) => ({ userId: row.userId, lastReadId: row.lastReadId! }));
}
