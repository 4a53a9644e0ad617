/**
 * Security headers for every response. Pages get a strict CSP whose scripts must carry the per-request nonce that
 * Remix puts on its <script> tags; JSON and media get a CSP that allows nothing at all.
 */
export type CspProfile = "page" | "api-reference" | "none";

export function contentSecurityPolicy(profile: CspProfile, nonce: string, upgradeInsecure: boolean): string {
  const common = ["base-uri 'none'", "object-src 'none'", "frame-ancestors 'none'", "form-action 'self'"];
  if (upgradeInsecure) common.push("upgrade-insecure-requests");
  switch (profile) {
    case "none":
      return ["default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"].join("; ");
    case "page":
      return [
        "default-src 'self'",
        `script-src 'nonce-${nonce}' 'strict-dynamic'`,
        // Inline style attributes carry user-chosen accent colours; styles cannot run code.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "font-src 'self'",
        "connect-src 'self'",
        ...common,
      ].join("; ");
    case "api-reference":
      // Scalar injects its own styles and workers and calls our API from the page ("try it").
      return [
        "default-src 'self'",
        `script-src 'nonce-${nonce}' 'strict-dynamic'`,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        ...common,
      ].join("; ");
  }
}

export function applySecurityHeaders(headers: Headers, options: { profile: CspProfile; nonce: string; secureTransport: boolean }): void {
  if (!headers.has("Content-Security-Policy")) {
    headers.set("Content-Security-Policy", contentSecurityPolicy(options.profile, options.nonce, options.secureTransport));
  }
  // Browsers ignore HSTS received over plain HTTP, so it is safe to send everywhere, localhost included.
  headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload");
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  headers.set("X-Frame-Options", "DENY");
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
}

/** 128 random bits, base64: a fresh nonce for each response. */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
