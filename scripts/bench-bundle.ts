import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { flag, run } from "./run.ts";

/**
 * npm run bench:bundle [-- --skip-build --runs 5 --port 8799 --check]
 * The Worker as wrangler would upload it: its size (raw and gzip), the packages that weigh most, any module bundled
 * twice, how long Node takes to import it (parse and evaluate) and how long `wrangler dev` takes from launch to the
 * first 200 from /healthz. Record figures in docs/benchmarks.md.
 * --check stops before the timings and fails when the Worker is over its gzip budget or bundles a module twice
 * (npm test runs it).
 */
const runs = Number(flag("--runs", "5"));
const check = process.argv.includes("--check");
/** ADR 0023's target for the Worker, gzip. */
const BUDGET_KIB = 650;
const port = flag("--port", "8799");
const out = mkdtempSync(join(tmpdir(), "perch-bundle-"));

if (!process.argv.includes("--skip-build")) await run("remix", ["vite:build"]);
const dryRun = execFileSync("wrangler", ["deploy", "--dry-run", "--env=", "--outdir", out, "--metafile", join(out, "meta.json")], {
  encoding: "utf8",
  env: { ...process.env, CI: "true" },
});
const worker = join(out, "entry.js");
const code = readFileSync(worker);
const upload = dryRun.match(/Total Upload: .* gzip: ([\d.]+) KiB/);
const gzipKiB = Number(upload?.[1]);
console.log(`${upload?.[0]} (wrangler's figure)`);
console.log(`entry.js: ${code.length} bytes, ${gzipSync(code, { level: 9 }).length} gzip -9, ${code.toString().split("\n").length} lines`);

interface Metafile {
  outputs: Record<string, { entryPoint?: string; inputs: Record<string, { bytesInOutput: number }> }>;
}
const meta = JSON.parse(readFileSync(join(out, "meta.json"), "utf8")) as Metafile;
const inputs = Object.entries(Object.values(meta.outputs).find((output) => output.entryPoint)!.inputs);
const packageOf = (path: string) => path.match(/^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\/(.*)$/);

const weights = new Map<string, number>();
for (const [path, { bytesInOutput }] of inputs) {
  const key = packageOf(path)?.[2] ?? path.split("/").slice(0, 2).join("/");
  weights.set(key, (weights.get(key) ?? 0) + bytesInOutput);
}
console.log("\nHeaviest (minified bytes in the bundle):");
for (const [key, bytes] of [...weights].sort((a, b) => b[1] - a[1]).slice(0, 12))
  console.log(`  ${(bytes / 1024).toFixed(0).padStart(5)} KiB  ${key}`);

// A module is in the bundle twice when one install of a package is reached both as ESM and as CJS, or when the Remix
// server build carries a package of its own. A package installed at two versions is reported, not counted: merging
// them is up to its dependents.
const installs = new Map<string, { name: string; modules: string[] }>();
for (const [path] of inputs) {
  const match = packageOf(path);
  if (!match) continue;
  const install = installs.get(match[1]!) ?? { name: match[2]!, modules: [] };
  install.modules.push(match[3]!.replace(/(^|\/)(esm|cjs|umd|dist)\//g, "/").replace(/(\.cjs)?\.[cm]?js$/, ""));
  installs.set(match[1]!, install);
}
const bothForms = [...installs.values()].filter(({ modules }) => new Set(modules).size < modules.length).map(({ name }) => name);
const names = [...installs.values()].map(({ name }) => name);
const twoVersions = [...new Set(names.filter((name, index) => names.indexOf(name) !== index))];
const inServerBuild = (JSON.parse(readFileSync("build/server/index.js.map", "utf8")) as { sources: string[] }).sources.filter((source) =>
  source.includes("node_modules/"),
);
console.log(`\nReached both as ESM and as CJS: ${bothForms.join(", ") || "nothing"}`);
console.log(`Package modules inside the Remix server build: ${inServerBuild.length || "none"}`);
console.log(`Installed at two versions: ${twoVersions.join(", ") || "nothing"}`);

if (check) {
  const failures = [
    gzipKiB > BUDGET_KIB && `the Worker is ${gzipKiB} KiB gzip, over the ${BUDGET_KIB} KiB budget`,
    bothForms.length > 0 && `bundled twice (ESM and CJS): ${bothForms.join(", ")}`,
    inServerBuild.length > 0 &&
      `the Remix server build bundles package code (${inServerBuild[0]}, ...): keep it external in vite.config.ts`,
  ].filter(Boolean);
  rmSync(out, { recursive: true, force: true });
  for (const failure of failures) console.error(`✘ ${failure}`);
  process.exit(failures.length === 0 ? 0 : 1);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

// Node cannot resolve cloudflare:workers; the Durable Object base class is all the bundle takes from it.
const hooks = join(out, "hooks.mjs");
writeFileSync(
  hooks,
  `export async function resolve(specifier, context, next) {
    if (specifier !== "cloudflare:workers") return next(specifier, context);
    return { url: "data:text/javascript,export class DurableObject {}", shortCircuit: true };
  }`,
);
const importer = join(out, "import.mjs");
writeFileSync(
  importer,
  `import { register } from "node:module";
  register(${JSON.stringify(pathToFileURL(hooks).href)});
  const started = performance.now();
  const cpu = process.cpuUsage();
  await import(${JSON.stringify(pathToFileURL(worker).href)});
  const { user, system } = process.cpuUsage(cpu);
  console.log(performance.now() - started, (user + system) / 1000);`,
);
// CPU time as well as wall time: on a busy machine the wall time is mostly waiting for a core.
const imports = Array.from({ length: runs }, () => execFileSync(process.execPath, [importer], { encoding: "utf8" }).split(" ").map(Number));
const wall = imports.map(([ms]) => ms!);
const cpu = imports.map(([, ms]) => ms!);
console.log(`\nImport in Node (parse + evaluate), median of ${runs}: ${median(wall).toFixed(0)} ms wall, ${median(cpu).toFixed(0)} ms CPU`);
console.log(`  wall [${wall.map((ms) => ms.toFixed(0)).join(", ")}], CPU [${cpu.map((ms) => ms.toFixed(0)).join(", ")}]`);

async function launchToFirstAnswer(): Promise<number> {
  const started = performance.now();
  const args = ["dev", "--port", port, "--inspector-port", String(Number(port) + 1), "--persist-to", join(out, "state")];
  const child = spawn("wrangler", args, { stdio: "ignore", detached: true });
  try {
    while (performance.now() - started < 120_000) {
      const answer = await fetch(`http://localhost:${port}/healthz`).catch(() => null);
      if (answer?.status === 200) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("wrangler dev did not answer /healthz with 200 within two minutes");
  } finally {
    process.kill(-child.pid!, "SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}
const launches: number[] = [];
for (let i = 0; i < runs; i += 1) launches.push(await launchToFirstAnswer());
console.log(
  `wrangler dev, launch to first 200 from /healthz, median of ${runs}: ${(median(launches) / 1000).toFixed(2)} s [${launches.map((ms) => (ms / 1000).toFixed(2)).join(", ")}]`,
);
rmSync(out, { recursive: true, force: true });
