import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Migration } from "#db/migrate.ts";

/**
 * The migrations in db/migrations, in file-name order, each split into statements at drizzle-kit's
 * `--> statement-breakpoint` markers (hand-written files use them too, so a trigger's BEGIN ... END stays whole).
 * The names are the file names, as `wrangler d1 migrations apply` records them in d1_migrations.
 */
export function readMigrationFiles(directory = "db/migrations"): Migration[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .map((name) => ({
      name,
      queries: readFileSync(join(directory, name), "utf8")
        .split("--> statement-breakpoint")
        .map((query) => query.trim())
        .filter(Boolean),
    }));
}
