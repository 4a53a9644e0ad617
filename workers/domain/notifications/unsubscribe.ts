import { and, eq, inArray } from "drizzle-orm";
import { notificationPreferences } from "#db/schema/index.ts";
import { keyedHashHex, timingSafeEqual } from "#workers/platform/crypto.ts";
import type { DomainContext } from "../context.ts";
import { isNotificationType } from "./inbox.ts";
import type { NotificationType } from "./notify.ts";

/**
 * One-click unsubscribe links (RFC 8058) for notification emails. A token names a person and the kinds an email was
 * about, signed with an HMAC under SESSION_SECRET (ADR 0033): nothing is stored, it cannot be guessed or altered to name
 * someone else, and it works without signing in, as a mail provider's POST must. It does not expire; rotating the
 * secret retires every link.
 */
const PURPOSE = "unsubscribe";

const signed = (ctx: DomainContext, subject: string) => keyedHashHex(ctx.config.SESSION_SECRET, PURPOSE, subject);

/** The token for an email to this person about these kinds: "<user id>.<kind>-<kind>.<hmac>". */
export async function unsubscribeToken(ctx: DomainContext, userId: string, types: NotificationType[]): Promise<string> {
  const subject = `${userId}.${[...new Set(types)].sort().join("-")}`;
  return `${subject}.${await signed(ctx, subject)}`;
}

/** Whom and which kinds a token names, or null for one that was not made here (or was altered). */
export async function readUnsubscribeToken(
  ctx: DomainContext,
  token: string,
): Promise<{ userId: string; types: NotificationType[] } | null> {
  const [userId, kinds, mac, ...rest] = token.split(".");
  if (!userId || !kinds || !mac || rest.length > 0 || !/^[0-9a-f]{64}$/.test(mac)) return null;
  const expected = await signed(ctx, `${userId}.${kinds}`);
  const encoder = new TextEncoder();
  if (!timingSafeEqual(encoder.encode(expected), encoder.encode(mac))) return null;
  const types = kinds.split("-");
  return types.every(isNotificationType) ? { userId, types } : null;
}

/** The headers that let a mail client offer "Unsubscribe" and do it in one click (RFC 2369 and RFC 8058). */
export function unsubscribeHeaders(url: string): Record<string, string> {
  return { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

/**
 * Stops the emails a token names: those kinds go back to the app alone (a kind turned off stays off). Returns the
 * kinds, or null for a token that is not ours. Using a link twice is not an error.
 */
export async function unsubscribe(ctx: DomainContext, token: string): Promise<NotificationType[] | null> {
  const named = await readUnsubscribeToken(ctx, token);
  if (!named) return null;
  await ctx.db
    .delete(notificationPreferences)
    .where(
      and(
        eq(notificationPreferences.userId, named.userId),
        inArray(notificationPreferences.type, named.types),
        inArray(notificationPreferences.delivery, ["email", "digest"]),
      ),
    );
  return named.types;
}
