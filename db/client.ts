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

/** What our triggers raise (migrations 0007, 0010 and 0013), by the name code knows them by. */
const triggerMessages = {
  attachmentTaken: "media attachment already belongs to a post",
  attachmentReserved: "media attachment is reserved for a draft",
  unknownPollOption: "poll option does not exist",
} as const;

/** Whether a batch failed because one of our triggers refused it (and so rolled it back). */
export function isTriggerError(error: unknown, which: keyof typeof triggerMessages): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (current.message.includes(triggerMessages[which])) return true;
  }
  return false;
}
