import { liveCredentials, type Credential } from "#domain/accounts/live-credentials.ts";
import type { DomainContext } from "#domain/context.ts";
import { SIGNED_OUT } from "./close-codes.ts";

/** An open socket or event stream, with the credential it was opened with (none on one opened before they were kept). */
export interface LiveConnection {
  credential?: Credential;
  end: () => void;
}

/** The credential a Durable Object was told a connection signed in with (set by forwardUpgrade). */
export const credentialOf = (value: string | null): Credential | undefined =>
  value?.startsWith("session:") || value?.startsWith("token:") ? (value as Credential) : undefined;

/**
 * Ends the connections whose session or token has ended (`account.signed_out`): whoever opened them with a credential
 * that no longer lets them in stops hearing at once, while the others stay. Returns how many were ended.
 */
export async function endSignedOut(ctx: DomainContext, connections: LiveConnection[]): Promise<number> {
  const known = connections.filter((connection): connection is Required<LiveConnection> => connection.credential !== undefined);
  const live = await liveCredentials(
    ctx,
    known.map((connection) => connection.credential),
  );
  const ended = known.filter((connection) => !live.has(connection.credential));
  for (const connection of ended) connection.end();
  return ended.length;
}

/** How a socket is ended when its credential has: with our close code, after which clients do not reconnect. */
export const closeSignedOut = (socket: WebSocket) => () => socket.close(SIGNED_OUT, "Signed out");
