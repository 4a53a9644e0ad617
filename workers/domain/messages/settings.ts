import { and, eq, isNotNull, sql } from "drizzle-orm";
import { chatSettings } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { assertNotSuspended } from "../accounts/permissions.ts";
import { commit } from "../events/outbox.ts";

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
  assertNotSuspended(ctx);
  // A change names only what it changes: a field left out (or sent empty) keeps its value.
  const named = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  const current = await chatSettingsOf(ctx, userId);
  const next: ChatSettings = { ...current, ...named };
  const changed = next.readReceipts !== current.readReceipts || next.showPresence !== current.showPresence;
  // Sockets already open in rooms hold the old settings; the event has the rooms apply the new ones (only on a change:
  // the privacy page saves these with its other choices every time).
  await commit(
    ctx,
    [
      ctx.db
        .insert(chatSettings)
        .values({ userId, ...next })
        .onConflictDoUpdate({ target: chatSettings.userId, set: next }),
    ],
    changed ? [{ type: "chat.settings_changed", payload: { userId } }] : [],
  );
  return next;
}

/** Someone was active in chat (a socket to a conversation opened or closed, a message sent): their last seen time. */
export async function noteSeen(ctx: DomainContext, userId: string, at = new Date()): Promise<void> {
  await seenStatement(ctx, userId, at);
}

/** noteSeen as a statement, for a batch that records activity (a send). */
export function seenStatement(ctx: DomainContext, userId: string, at: Date) {
  return ctx.db
    .insert(chatSettings)
    .values({ userId, ...defaults, lastSeenAt: at })
    .onConflictDoUpdate({ target: chatSettings.userId, set: { lastSeenAt: at } });
}

/**
 * When these people were last seen in chat, for someone else to read: only those who show their presence and have
 * been seen at all (ADR 0046).
 */
export async function lastSeenOf(ctx: DomainContext, userIds: string[]): Promise<{ userId: string; at: Date }[]> {
  if (userIds.length === 0) return [];
  const rows = await ctx.db
    .select({ userId: chatSettings.userId, at: chatSettings.lastSeenAt })
    .from(chatSettings)
    .where(
      and(
        // A group has up to 100 members and a list many groups: more ids than D1 binds, so they go as one JSON value.
        sql`${chatSettings.userId} IN (SELECT value FROM json_each(${JSON.stringify(userIds)}))`,
        eq(chatSettings.showPresence, true),
        isNotNull(chatSettings.lastSeenAt),
      ),
    );
  return rows.map((row) => ({ userId: row.userId, at: row.at! }));
}
