import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/cloudflare";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToReadableStream } from "react-dom/server";
import { NonceProvider } from "./nonce.tsx";

const RENDER_TIMEOUT_MS = 5_000;

export default async function handleRequest(
  request: Request,
  status: number,
  headers: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const { nonce, logger } = loadContext.scope;
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), RENDER_TIMEOUT_MS);
  let renderFailed = false;

  const body = await renderToReadableStream(
    <NonceProvider value={nonce}>
      <RemixServer context={remixContext} url={request.url} abortDelay={RENDER_TIMEOUT_MS} nonce={nonce} />
    </NonceProvider>,
    {
      nonce,
      signal: controller.signal,
      onError(error: unknown) {
        renderFailed = true;
        logger.error("Rendering a page failed", error, { url: new URL(request.url).pathname });
      },
    },
  );
  body.allReady.then(() => clearTimeout(timeout));

  // Crawlers and no-JavaScript clients get the whole document at once rather than a stream.
  if (isbot(request.headers.get("user-agent") ?? "")) await body.allReady;

  headers.set("Content-Type", "text/html; charset=utf-8");
  return new Response(body, { headers, status: renderFailed ? 500 : status });
}

/**
 * Loader and action errors: logged with their stack; the user sees the error boundary, never the stack. Refusals (a
 * 405 for a route without an action, a 4xx thrown on purpose) are answers, not failures, and are not logged.
 */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  context.scope.logger.error("A page loader or action failed", error, { url: new URL(request.url).pathname });
};
