const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cross-site request forgery defence for cookie-authenticated mutations, on top of SameSite=Lax: a state-changing
 * request must say it comes from one of our own pages, through Origin or, failing that, Sec-Fetch-Site. Every browser
 * we support sends at least one of them on a form post; a request with neither is refused.
 */
export function isCrossSiteMutation(request: Request, origins: string[]): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  const origin = request.headers.get("Origin");
  if (origin && origin !== "null") return !origins.includes(origin);
  const site = request.headers.get("Sec-Fetch-Site");
  return site !== "same-origin" && site !== "none";
}
