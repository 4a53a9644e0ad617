import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      /** Set by vitest.config.ts for every test. */
      DNS_RESOLVER_URL: string;
    }
  }
}
