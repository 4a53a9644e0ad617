import { run } from "./run.ts";

/**
 * npm test: everything CI checks. Every step runs even when an earlier one failed, so one run reports every failure;
 * a summary follows, and the exit code is non-zero if any step failed. The Remix build comes first because the Worker
 * entry (and so the Workers-pool tests and the browser tests) serve it.
 */
const steps: [string, string, string[], Record<string, string>?][] = [
  ["Build", "remix", ["vite:build"]],
  ["Typecheck (Worker and app)", "tsc", ["--noEmit"]],
  ["Typecheck (scripts and browser tests)", "tsc", ["--noEmit", "-p", "tsconfig.node.json"]],
  ["Lint", "eslint", ["."]],
  ["Formatting", "prettier", ["--check", "."]],
  ["OpenAPI lint (Spectral's OAS rules)", "tsx", ["scripts/lint-openapi.ts"]],
  ["Worker bundle (one copy of each module, under 640 KiB gzip)", "tsx", ["scripts/bench-bundle.ts", "--skip-build", "--check"]],
  ["Workers-pool tests", "vitest", ["run"]],
  ["Browser tests", "playwright", ["test"], { PERCH_BUILT: "1" }],
];

const results: { title: string; passed: boolean; seconds: number }[] = [];
for (const [title, command, args, env] of steps) {
  const started = performance.now();
  console.log(`\n▶ ${title}`);
  const passed = await run(command, args, { env: { ...process.env, ...env } }).then(
    () => true,
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      return false;
    },
  );
  results.push({ title, passed, seconds: (performance.now() - started) / 1000 });
  console.log(`${passed ? "✔" : "✘"} ${title} (${results.at(-1)!.seconds.toFixed(1)} s)`);
}

console.log("\nSummary");
for (const { title, passed, seconds } of results) {
  console.log(`  ${passed ? "✔ passed" : "✘ FAILED"}  ${seconds.toFixed(1).padStart(6)} s  ${title}`);
}
const failed = results.filter(({ passed }) => !passed);
console.log(failed.length === 0 ? "\nEvery step passed." : `\n${failed.length} of ${results.length} steps failed.`);
process.exitCode = failed.length === 0 ? 0 : 1;
