import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApi } from "#workers/api/app.ts";
import { openApiConfig } from "#workers/api/openapi.ts";
import { run } from "./run.ts";

/**
 * Lints the OpenAPI document the API serves at /api/openapi.json with Spectral's OpenAPI rules (.spectral.yaml),
 * failing on any error or warning. The document is generated here from the same Hono app and configuration the Worker
 * serves, with a placeholder origin, so no server is started.
 */
const document = createApi().getOpenAPI31Document(openApiConfig("https://perch.example", "admin@perch.example"));
const folder = mkdtempSync(join(tmpdir(), "perch-openapi-"));
const file = join(folder, "openapi.json");
writeFileSync(file, JSON.stringify(document, null, 2));
try {
  await run("spectral", ["lint", file, "--ruleset", ".spectral.yaml", "--fail-severity", "warn"]);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  rmSync(folder, { recursive: true, force: true });
}
