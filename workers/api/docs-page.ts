import { html } from "hono/html";
import type { Context } from "hono";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { apiReferenceScript } from "./api-reference-script.ts";

/** Nothing from Scalar's servers: system fonts, and no hosted "Ask AI" agent or document registry. */
const scalarConfiguration = { withDefaultFonts: false, agent: { disabled: true } };

/**
 * The interactive API reference: Scalar's standalone bundle (copied to /vendor at build time, under a name that carries
 * its version), reading /api/openapi.json. The page's own script carries the request's CSP nonce; Scalar loads nothing from elsewhere.
 */
export function apiDocsPage(c: Context<AppEnv>) {
  const { nonce } = c.var.scope;
  c.var.scope.cspProfile = "api-reference";
  return c.html(
    html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>Perch API reference</title>
          <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        </head>
        <body>
          <noscript>
            The interactive reference needs JavaScript. The OpenAPI document itself is at
            <a href="/api/openapi.json">/api/openapi.json</a>.
          </noscript>
          <script
            id="api-reference"
            data-url="/api/openapi.json"
            data-configuration="${JSON.stringify(scalarConfiguration)}"
            nonce="${nonce}"
          ></script>
          <script src="${apiReferenceScript}" nonce="${nonce}"></script>
        </body>
      </html>`,
  );
}
