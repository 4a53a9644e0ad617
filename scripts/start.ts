import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { DEMO_ADMIN, DEMO_PASSWORD } from "#db/seed/demo.ts";
import { ensureDevVars } from "./dev-vars.ts";
import { startCronClock } from "./cron-clock.ts";
import { flag, run } from "./run.ts";

/**
 * npm start: build, bring the local database up to date, add the demo data when it is empty, and serve the product
 * with wrangler dev. Options (after `--`): --port <n> (8787), --persist-to <dir> (.wrangler/state), --fresh (start from
 * an empty database), --skip-build (use the existing build/), --var NAME:VALUE (repeatable; passed to wrangler dev).
 */
const port = flag("--port", "8787");
const persistTo = flag("--persist-to", ".wrangler/state");
const argv = process.argv;

ensureDevVars();
if (argv.includes("--fresh")) rmSync(persistTo, { recursive: true, force: true });
if (!argv.includes("--skip-build")) await run("remix", ["vite:build"]);
await run("wrangler", ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], {
  env: { ...process.env, CI: "true" },
});
await run("tsx", ["scripts/seed.ts", "--if-empty", "--persist-to", persistTo]);

const vars = argv.flatMap((arg, index) => (arg === "--var" && argv[index + 1] ? ["--var", argv[index + 1]!] : []));
const url = `http://localhost:${port}`;
const wrangler = spawn("wrangler", ["dev", "--port", port, "--persist-to", persistTo, ...vars], {
  stdio: ["inherit", "pipe", "inherit"],
});
let announced = false;
wrangler.stdout.on("data", (chunk: Buffer) => {
  process.stdout.write(chunk);
  if (!announced && chunk.toString().includes("Ready on")) {
    announced = true;
    console.log(`\n  Perch is running at ${url}\n  Demo login: ${DEMO_ADMIN} / ${DEMO_PASSWORD} (admin)\n  API docs:   ${url}/api/docs\n`);
    startCronClock(url);
  }
});
wrangler.on("exit", (code) => process.exit(code ?? 0));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => wrangler.kill(signal));
