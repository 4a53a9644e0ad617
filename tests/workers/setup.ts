import { env } from "cloudflare:workers";
import { afterEach, beforeEach, expect, vi, type MockInstance } from "vitest";
import { applyMigrations } from "#db/migrate.ts";

// Each test file gets its own storage; this brings its D1 to the current schema (a no-op when already applied).
await applyMigrations(env.DB, env.TEST_MIGRATIONS);

/**
 * A console.error in a test is a failure unless the test says it expects one: errors we log are bugs until proven
 * otherwise. Tests that exercise failure paths call expectLoggedErrors() and assert on what was logged.
 */
let consoleError: MockInstance<typeof console.error>;
let errorsExpected = false;

beforeEach(() => {
  errorsExpected = false;
  consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
});

afterEach(() => {
  const calls = consoleError.mock.calls;
  consoleError.mockRestore();
  if (!errorsExpected) expect(calls, "console.error was called unexpectedly").toEqual([]);
});

/** Allows console.error in the current test and returns the structured log lines written so far. */
export function expectLoggedErrors(): () => Record<string, unknown>[] {
  errorsExpected = true;
  return () => consoleError.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
}
