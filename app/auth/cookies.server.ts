import { clearCookie, serializeCookie, sessionCookie, SESSION_COOKIE } from "#workers/platform/session-cookie.ts";

/** Between the password and the second factor: the pending log-in's challenge token, for ten minutes. */
export const TWO_FACTOR_COOKIE = "perch_2fa";

export const startSession = (token: string) => ({ "Set-Cookie": sessionCookie(token) });
export const endSessionCookie = () => ({ "Set-Cookie": clearCookie(SESSION_COOKIE) });
export const twoFactorChallengeCookie = (challenge: string) => serializeCookie(TWO_FACTOR_COOKIE, challenge, 10 * 60);
export const clearTwoFactorChallenge = () => clearCookie(TWO_FACTOR_COOKIE);
