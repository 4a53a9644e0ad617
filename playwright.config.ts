import { defineConfig, devices } from "@playwright/test";

/** Ports come from the environment so two checkouts can run their browser tests at once. */
const PORT = Number(process.env.PERCH_E2E_PORT ?? 8788);
const GITHUB_PORT = Number(process.env.PERCH_E2E_GITHUB_PORT ?? PORT + 1);
export const baseURL = `http://localhost:${PORT}`;
const GITHUB = `http://localhost:${GITHUB_PORT}`;

/**
 * Perch signs in with "GitHub" against the local stand-in (tests/e2e/github-stand-in.ts). Browser tests never reach
 * the internet: link previews' address check asks a closed local port, so the demo posts' links fail at once and
 * quietly instead of through workerd's DNS errors.
 */
const offlineVars = [
  "GITHUB_CLIENT_ID:perch-e2e",
  "GITHUB_CLIENT_SECRET:perch-e2e-secret",
  `GITHUB_AUTHORIZE_URL:${GITHUB}/authorize`,
  `GITHUB_TOKEN_URL:${GITHUB}/token`,
  `GITHUB_API_URL:${GITHUB}`,
  "DNS_RESOLVER_URL:http://127.0.0.1:9/dns-query",
].flatMap((pair) => ["--var", pair]);

/**
 * Browser tests run Debian's Chromium (never a downloaded browser) against the real product: `npm start` on its own
 * port with a fresh database holding only the demo seed, so every run sees the same data.
 */
export default defineConfig({
  testDir: "./tests/e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  reporter: [["list"]],
  timeout: 30_000,
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    // Tests about the phone layout alone are tagged @phone-only; @phone marks those that run at both sizes.
    { name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined }, grepInvert: /@phone-only/ },
    { name: "phone", use: { ...devices["Pixel 7"], channel: undefined }, grep: /@phone/ },
  ],
  webServer: [
    {
      command: `tsx tests/e2e/github-stand-in.ts --port ${GITHUB_PORT}`,
      url: `${GITHUB}/.well-known/openid-configuration`,
      timeout: 30_000,
      reuseExistingServer: false,
    },
    {
      command: [
        "tsx scripts/start.ts",
        `--port ${PORT} --persist-to .wrangler/e2e --fresh`,
        process.env.PERCH_BUILT ? "--skip-build" : "",
        ...offlineVars,
      ].join(" "),
      // Ready once the database is migrated and seeded, which start.ts announces after /healthz answers.
      wait: { stdout: /Perch is running at/ },
      // Sized for a first build on a loaded 2-core machine.
      timeout: 240_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});
