import type { HeadersFunction } from "@remix-run/cloudflare";

/**
 * Document responses take their headers from the route's `headers` export. Routes whose actions (or loaders) answer 429 export
 * this one so the action's Retry-After reaches the browser.
 */
export const passActionHeaders: HeadersFunction = ({ actionHeaders, loaderHeaders }) => {
  const headers = new Headers(loaderHeaders);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};
