const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The host the request was addressed to, as Remix reads it: the first X-Forwarded-Host, else Host. */
function addressedHost(request: Request): string | null {
  return request.headers.get("X-Forwarded-Host")?.split(",")[0]?.trim() || request.headers.get("Host");
}

/**
 * Cross-site request forgery defence for cookie-authenticated mutations, on top of SameSite=Lax: a state-changing
 * request must say it comes from one of our own pages, through Origin or, failing that, Sec-Fetch-Site. Every browser
 * we support sends at least one of them on a form post; a request with neither is refused.
 *
 * An Origin must also name the host the request was addressed to (X-Forwarded-Host, else Host): Remix aborts an
 * action whose Origin and host differ by throwing, which would be a 500, so such a request is refused here instead.
 * For the same reason an opaque Origin ("null", sent from sandboxed frames and privacy-sensitive redirects) is refused.
 */
export function isCrossSiteMutation(request: Request, origins: string[]): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  const origin = request.headers.get("Origin");
  if (origin === "null") return true;
  if (origin) return !origins.includes(origin) || addressedHost(request) !== new URL(origin).host;
  const site = request.headers.get("Sec-Fetch-Site");
  return site !== "same-origin" && site !== "none";
}
