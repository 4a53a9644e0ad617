import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { newId } from "../ids.ts";

/** Queue messages that exhausted their retries or could never be processed, kept for review in /admin. */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    queue: text("queue").notNull(),
    body: text("body", { mode: "json" }).notNull(),
    reason: text("reason").notNull(),
    attempts: integer("attempts").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("dead_letters_created_idx").on(t.createdAt)],
);
