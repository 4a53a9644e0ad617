import { and, gt, inArray, isNull } from "drizzle-orm";
import { accessTokens, sessions } from "#db/schema/index.ts";
import { chunks } from "../chunks.ts";
import type { DomainContext } from "../context.ts";
import type { NewEvent } from "../events/catalogue.ts";

/**
 * The credential a live connection (a socket or an event stream) was opened with: a browser session, by its id (the
 * hash of the cookie), or an access token, by its row id. When some of an account's credentials end, the
 * `account.signed_out` event has its connections checked, and those whose credential ended are closed (ADR 0056).
 */
export type Credential = `session:${string}` | `token:${string}`;

export const sessionCredential = (sessionId: string): Credential => `session:${sessionId}`;
export const tokenCredential = (tokenId: string): Credential => `token:${tokenId}`;

/** Written in the same batch as any change that ends sessions or tokens of the account. */
export const signedOut = (userId: string): NewEvent => ({ type: "account.signed_out", payload: { userId } });

const idsOf = (credentials: Credential[], kind: "session" | "token") =>
  credentials.filter((credential) => credential.startsWith(`${kind}:`)).map((credential) => credential.slice(kind.length + 1));

/** Which of these credentials still let their holder in: a session not ended nor expired, a token not revoked. */
export async function liveCredentials(ctx: DomainContext, credentials: Credential[]): Promise<Set<Credential>> {
  const live = new Set<Credential>();
  for (const some of chunks(idsOf(credentials, "session"), 90)) {
    const rows = await ctx.db
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(inArray(sessions.id, some), gt(sessions.expiresAt, new Date())));
    for (const row of rows) live.add(sessionCredential(row.id));
  }
  for (const some of chunks(idsOf(credentials, "token"), 90)) {
    const rows = await ctx.db
      .select({ id: accessTokens.id })
      .from(accessTokens)
      .where(and(inArray(accessTokens.id, some), isNull(accessTokens.revokedAt)));
    for (const row of rows) live.add(tokenCredential(row.id));
  }
  return live;
}
