import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { flag, run } from "./run.ts";

/**
 * npm run bench:bundle [-- --skip-build --runs 5 --port 8799]
 * The Worker as wrangler would upload it: its size (raw and gzip), the packages that weigh most, any module bundled
 * twice, how long Node takes to import it (parse and evaluate) and how long `wrangler dev` takes from launch to the
 * first 200 from /healthz. It measures; it asserts nothing. Record figures in docs/benchmarks.md.
 */
const runs = Number(flag("--runs", "5"));
const port = flag("--port", "8799");
const out = mkdtempSync(join(tmpdir(), "perch-bundle-"));

if (!process.argv.includes("--skip-build")) await run("remix", ["vite:build"]);
const dryRun = execFileSync("wrangler", ["deploy", "--dry-run", "--env=", "--outdir", out, "--metafile", join(out, "meta.json")], {
  encoding: "utf8",
  env: { ...process.env, CI: "true" },
});
const worker = join(out, "entry.js");
const code = readFileSync(worker);
console.log(`${dryRun.match(/Total Upload: .*/)?.[0]} (wrangler's figure)`);
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

// A module is bundled twice when a package is installed twice, or when one install is reached both as ESM and as CJS.
const files = new Map<string, { roots: Set<string>; modules: string[] }>();
for (const [path] of inputs) {
  const match = packageOf(path);
  if (!match) continue;
  const entry = files.get(match[2]!) ?? { roots: new Set(), modules: [] };
  entry.roots.add(match[1]!);
  entry.modules.push(match[3]!.replace(/(^|\/)(esm|cjs|umd|dist)\//g, "/").replace(/(\.cjs)?\.[cm]?js$/, ""));
  files.set(match[2]!, entry);
}
const twice = [...files].filter(([, { roots, modules }]) => roots.size > 1 || new Set(modules).size < modules.length);
const inServerBuild = (JSON.parse(readFileSync("build/server/index.js.map", "utf8")) as { sources: string[] }).sources.filter((source) =>
  source.includes("node_modules/"),
);
console.log(`\nBundled twice: ${twice.map(([name, { roots }]) => `${name} (${roots.size} installs)`).join(", ") || "nothing"}`);
console.log(`Package modules inside the Remix server build: ${inServerBuild.length || "none"}`);

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
