import { eq, inArray } from "drizzle-orm";
import { chatSettings } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";

export interface ChatSettings {
  readReceipts: boolean;
  showPresence: boolean;
}

const defaults: ChatSettings = { readReceipts: true, showPresence: true };

export async function chatSettingsOf(ctx: DomainContext, userId: string): Promise<ChatSettings> {
  const row = await ctx.db.query.chatSettings.findFirst({ where: eq(chatSettings.userId, userId) });
  return row ? { readReceipts: row.readReceipts, showPresence: row.showPresence } : defaults;
}

/** Turning read receipts off hides one's own and others' (as X and WhatsApp do); presence off hides online and last seen. */
export async function updateChatSettings(ctx: DomainContext, userId: string, changes: Partial<ChatSettings>): Promise<ChatSettings> {
  const next = { ...(await chatSettingsOf(ctx, userId)), ...changes };
  await ctx.db.insert(chatSettings).values({ userId, ...next }).onConflictDoUpdate({ target: chatSettings.userId, set: next });
  return next;
}

/** The settings of several people at once (the room's presence and receipts). */
export async function chatSettingsOfMany(ctx: DomainContext, userIds: string[]): Promise<Map<string, ChatSettings>> {
  const rows = userIds.length === 0 ? [] : await ctx.db.select().from(chatSettings).where(inArray(chatSettings.userId, userIds));
  const found = new Map(rows.map((row) => [row.userId, { readReceipts: row.readReceipts, showPresence: row.showPresence }]));
  return new Map(userIds.map((id) => [id, found.get(id) ?? defaults]));
}
