/**
 * The session cookie: an opaque token, HttpOnly (no script can read it), Secure, SameSite=Lax (not sent on cross-site
 * form posts), for the whole site. Browsers accept Secure cookies from http://localhost, so development uses the
 * same attributes as production.
 */
export const SESSION_COOKIE = "perch_session";
const THIRTY_DAYS = 30 * 24 * 60 * 60;

/** A cookie's value, or undefined when it is absent or not valid percent-encoding (which we never set). */
export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("Cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join("="));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function serializeCookie(name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=${maxAgeSeconds}`;
}

export function sessionCookie(token: string): string {
  return serializeCookie(SESSION_COOKIE, token, THIRTY_DAYS);
}

export function clearCookie(name: string): string {
  return serializeCookie(name, "", 0);
}
