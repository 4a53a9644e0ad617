import { rmSync } from "node:fs";
import { ensureDevVars } from "./dev-vars.ts";
import { buildIsCurrent, phase, serveLocally } from "./local-server.ts";
import { flag, run } from "./run.ts";

/**
 * npm start: build when the sources changed since the last build, serve the product with wrangler dev, bring the local
 * database up to date and add the demo data when it is empty. Options (after `--`): --port <n> (8787), --persist-to
 * <dir> (.wrangler/state), --fresh (start from an empty database), --skip-build (use build/ as it is), --var
 * NAME:VALUE (repeatable; passed to wrangler dev).
 */
const port = flag("--port", "8787");
const persistTo = flag("--persist-to", ".wrangler/state");
const argv = process.argv;

ensureDevVars();
if (argv.includes("--fresh")) rmSync(persistTo, { recursive: true, force: true });
if (argv.includes("--skip-build") || buildIsCurrent()) console.log("✔ Build is up to date");
else await phase("Building", () => run("remix", ["vite:build", "--logLevel", "warn"]));

const vars = argv.flatMap((arg, index) => (arg === "--var" && argv[index + 1] ? ["--var", argv[index + 1]!] : []));
await serveLocally({ port, wranglerArgs: ["--persist-to", persistTo, ...vars] });
