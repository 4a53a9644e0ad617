import { notifications } from "#db/schema/index.ts";
import type { DomainContext } from "./context.ts";

export type NewNotification = Omit<typeof notifications.$inferInsert, "id" | "readAt">;

/** A notification row binds six parameters (its id included) and a D1 statement at most 100. */
const ROWS_PER_STATEMENT = 16;

/** The statements that write these notifications, each within D1's parameter limit, for a batch. */
export function notificationInserts(ctx: DomainContext, rows: NewNotification[]) {
  const statements = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    statements.push(ctx.db.insert(notifications).values(rows.slice(start, start + ROWS_PER_STATEMENT)));
  }
  return statements;
}
