import { watch } from "node:fs";
import { ensureDevVars } from "./dev-vars.ts";
import { buildIsCurrent, phase, serveLocally } from "./local-server.ts";
import { flag, run } from "./run.ts";

/**
 * npm run dev: the product under wrangler dev, rebuilt when a source file changes (docs/decisions/0006). Rebuilds
 * write over build/ in place (PERCH_KEEP_BUILD), so the running wrangler never sees it missing; wrangler reloads the
 * Worker when the new build lands. Refresh the browser to see a change.
 */
const port = flag("--port", "8787");
const keepBuild = { ...process.env, PERCH_KEEP_BUILD: "1" };

ensureDevVars();
if (!buildIsCurrent()) await phase("Building", () => run("remix", ["vite:build", "--logLevel", "warn"], { env: keepBuild }));
await serveLocally({ port, wranglerArgs: [] });

let building = false;
let again = false;
let timer: NodeJS.Timeout | undefined;

async function rebuild(): Promise<void> {
  if (building) {
    again = true;
    return;
  }
  building = true;
  const started = performance.now();
  try {
    await run("remix", ["vite:build", "--logLevel", "warn"], { env: keepBuild });
    console.log(`Rebuilt in ${((performance.now() - started) / 1000).toFixed(1)} s; refresh the browser.`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
  } finally {
    building = false;
    if (again) {
      again = false;
      void rebuild();
    }
  }
}

for (const directory of ["app", "workers", "db"]) {
  watch(directory, { recursive: true }, (_event, file) => {
    if (!file || file.endsWith("worker-configuration.d.ts")) return;
    clearTimeout(timer);
    timer = setTimeout(() => void rebuild(), 200);
  });
}
