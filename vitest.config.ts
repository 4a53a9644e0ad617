import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { readMigrationFiles } from "./scripts/migration-files.ts";

/**
 * Workers-pool tests: they run inside workerd against the real local bindings declared in wrangler.toml (D1 with our
 * migrations applied, R2, Durable Objects, Queues, Images, rate limits). Only Vectorize is absent, as it is locally.
 */
const migrations = readMigrationFiles();

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          ENVIRONMENT: "test",
          // Some tests read the log lines (wrangler.toml's development vars say "warn").
          LOG_LEVEL: "info",
          SESSION_SECRET: "test-session-secret-that-is-long-enough-0123456789",
          // Two versions, so rotation is exercised: version 2 encrypts, version 1 still decrypts.
          MESSAGE_ENCRYPTION_KEY: "2:test-message-key-version-two-0123456789abcdef,1:test-message-key-version-one-0123456789abcdef",
          TEST_MIGRATIONS: migrations,
          // Tests never reach the internet: a link check nobody mocked fails at once (connection refused) instead.
          DNS_RESOLVER_URL: "http://127.0.0.1:9/dns-query",
        },
      },
    }),
  ],
  test: {
    include: ["tests/workers/**/*.test.ts"],
    setupFiles: ["./tests/workers/setup.ts"],
    // Sized for a loaded 2-core machine, where building a few dozen users or the demo seed takes seconds.
    testTimeout: 30_000,
    // Vitest leaves a core free by default, which on a 2-core machine means one file at a time; two workerd pools
    // there finish the suite in about 210 s instead of 295 s.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    hookTimeout: 60_000,
    // Each request logs a line; show them only for tests that fail.
    silent: "passed-only",
    deps: {
      // @remix-run/cloudflare is CommonJS; pre-bundling it is what lets it load inside workerd.
      optimizer: { ssr: { enabled: true, include: ["@remix-run/cloudflare"] } },
    },
  },
});
