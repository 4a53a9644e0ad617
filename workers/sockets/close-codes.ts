/**
 * Close codes of our own (4000-4999 are the application's), read by the pages' sockets too: after either, reconnecting
 * cannot succeed, so they stop trying.
 */

/** The viewer left the conversation or was removed from it (as HTTP 404: the room is not theirs to hear). */
export const NOT_A_MEMBER = 4404;

/** The session or token the connection was opened with has ended (ADR 0057), as HTTP 401. */
export const SIGNED_OUT = 4401;
