import { run } from "./run.ts";

/**
 * npm test: everything CI checks, in the order that fails fastest. The Remix build comes first because the Worker
 * entry (and so the Workers-pool tests and the browser tests) serve it.
 */
const steps: [string, string, string[], Record<string, string>?][] = [
  ["Build", "remix", ["vite:build"]],
  ["Typecheck (Worker and app)", "tsc", ["--noEmit"]],
  ["Typecheck (scripts and browser tests)", "tsc", ["--noEmit", "-p", "tsconfig.node.json"]],
  ["Lint", "eslint", ["."]],
  ["Formatting", "prettier", ["--check", "."]],
  ["OpenAPI lint (Spectral's OAS rules)", "tsx", ["scripts/lint-openapi.ts"]],
  ["Workers-pool tests", "vitest", ["run"]],
  ["Browser tests", "playwright", ["test"], { PERCH_BUILT: "1" }],
];

for (const [title, command, args, env] of steps) {
  const started = performance.now();
  console.log(`\n▶ ${title}`);
  await run(command, args, { env: { ...process.env, ...env } });
  console.log(`✔ ${title} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
