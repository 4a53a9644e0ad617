import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema/index.ts";

export function createDatabase(d1: D1Database) {
  return drizzle(d1, { schema });
}

export type Database = ReturnType<typeof createDatabase>;
export { schema };

/** SQLite reports a duplicate key the same way through D1 locally and in Cloudflare, wrapped in drizzle's error. */
export function isUniqueConstraintError(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (current.message.includes("UNIQUE constraint failed")) return true;
  }
  return false;
}
