import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { LOCAL_SETUP_PATH, localSetupResult, type LocalSetupResult } from "#workers/development/local-setup-protocol.ts";
import { startCronClock } from "./cron-clock.ts";
import { readMigrationFiles } from "./migration-files.ts";

/**
 * What `npm start` and `npm run dev` share: run wrangler dev with its own output on the terminal, wait until it
 * answers, then bring the database up to date and add the demo data inside the Worker (docs/decisions/0021), announce
 * the address and run the cron clock. Every phase that can take more than a moment says so while it runs.
 */
export async function serveLocally(options: { port: string; wranglerArgs: string[] }): Promise<void> {
  const url = `http://localhost:${options.port}`;
  // --test-scheduled: the cron clock below fires the schedules, so wrangler need not warn that it does not.
  // CLOUDFLARE_CF_FETCH_ENABLED=false: miniflare would fetch Request.cf's data from the internet at every start (and
  // warn when offline); locally request.cf holds placeholders instead.
  const wrangler = spawn("wrangler", ["dev", "--port", options.port, "--test-scheduled", ...options.wranglerArgs], {
    stdio: "inherit",
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
  wrangler.on("exit", (code) => process.exit(code ?? 0));
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => wrangler.kill(signal));

  await phase("Starting wrangler dev", () => answering(`${url}/healthz`));
  const setup = await phase("Database migrations and demo data", () => setUpDatabase(url));
  if (setup.applied.length > 0) console.log(`  Applied ${setup.applied.length} migrations: ${setup.applied.join(", ")}`);
  if (setup.seeded) console.log(`  Added the demo data: ${setup.seeded.users} people, ${setup.seeded.posts} posts.`);
  console.log(
    `\n  Perch is running at ${url}\n  Demo login: ${setup.demo.username} / ${setup.demo.password} (admin)\n  API docs:   ${url}/api/docs\n`,
  );
  startCronClock(url);
}

/** Runs a step, printing how long it has been going every five seconds so a slow step never looks like a hang. */
export async function phase<T>(title: string, step: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  console.log(`▶ ${title}…`);
  const progress = setInterval(() => console.log(`  ${title}: ${seconds()} s`), 5_000);
  try {
    const result = await step();
    console.log(`✔ ${title} (${seconds()} s)`);
    return result;
  } finally {
    clearInterval(progress);
  }
}

/** Whether build/ was made after every file that goes into it, so a restart can skip the build. */
export function buildIsCurrent(): boolean {
  const built = "build/server/index.js";
  if (!existsSync(built) || !existsSync("build/client")) return false;
  const builtAt = statSync(built).mtimeMs;
  const sources = ["app", "workers", "db", "public"].flatMap((directory) =>
    readdirSync(directory, { recursive: true, encoding: "utf8" }).map((file) => join(directory, file)),
  );
  sources.push("vite.config.ts", "package-lock.json", "tsconfig.json");
  return sources.every((file) => statSync(file).mtimeMs <= builtAt);
}

async function answering(url: string): Promise<void> {
  for (;;) {
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function setUpDatabase(url: string): Promise<LocalSetupResult> {
  const response = await fetch(`${url}${LOCAL_SETUP_PATH}`, {
    method: "POST",
    headers: { authorization: `Bearer ${sessionSecret()}`, "content-type": "application/json" },
    body: JSON.stringify({ migrations: readMigrationFiles() }),
  });
  if (!response.ok) throw new Error(`Setting up the local database failed (${response.status}): ${await response.text()}`);
  return localSetupResult.parse(await response.json());
}

function sessionSecret(): string {
  const secret = parseEnv(readFileSync(".dev.vars", "utf8")).SESSION_SECRET;
  if (!secret) throw new Error(".dev.vars has no SESSION_SECRET; delete it and run npm start again to make a new one.");
  return secret;
}
