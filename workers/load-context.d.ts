import type { RequestScope } from "#workers/platform/request-scope.ts";

declare module "@remix-run/cloudflare" {
  interface AppLoadContext {
    cloudflare: { env: Env; ctx: ExecutionContext; cf: Request["cf"] };
    scope: RequestScope;
  }
}
