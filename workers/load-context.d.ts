import type { RequestScope } from "#workers/platform/request-scope.ts";

declare module "@remix-run/cloudflare" {
  /** Single fetch is on (vite.config.ts), which changes how loader data is typed. */
  interface Future {
    v3_singleFetch: true;
  }

  interface AppLoadContext {
    cloudflare: { env: Env; ctx: ExecutionContext; cf: Request["cf"] };
    scope: RequestScope;
  }
}
