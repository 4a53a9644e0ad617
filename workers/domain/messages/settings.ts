import { eq } from "drizzle-orm";
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
  // A change names only what it changes: a field left out (or sent empty) keeps its value.
  const named = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  const next: ChatSettings = { ...(await chatSettingsOf(ctx, userId)), ...named };
  await ctx.db
    .insert(chatSettings)
    .values({ userId, ...next })
    .onConflictDoUpdate({ target: chatSettings.userId, set: next });
  return next;
}
