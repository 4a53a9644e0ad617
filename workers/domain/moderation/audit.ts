import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { auditLog, users } from "#db/schema/index.ts";
import { assertCan } from "../accounts/permissions.ts";
import type { DomainContext } from "../context.ts";
import { TREND_AUDIT_ACTIONS } from "../trends/review.ts";
import { moderatorCommands } from "./actions.ts";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Give a date as YYYY-MM-DD")
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), "Give a real date");

/** What the audit log can be narrowed to; every field optional, dates inclusive (UTC). */
export const auditFilterSchema = z.object({
  moderator: z.string().trim().max(64).optional(),
  action: z.string().trim().max(64).optional(),
  target: z.string().trim().max(64).optional(),
  from: day.optional(),
  to: day.optional(),
  before: z.string().max(64).optional(),
});
export type AuditFilter = z.input<typeof auditFilterSchema>;

export const AUDIT_PAGE_SIZE = 50;

/**
 * The audit log, newest first, narrowed by moderator (username), action, target id and a range of days, a page at a
 * time (`before` is the last entry's id). The log is append-only: triggers refuse any update or delete (ADR 0058).
 */
export async function auditEntries(ctx: DomainContext, filter: AuditFilter = {}) {
  assertCan(ctx, "read:report:any");
  const f = auditFilterSchema.parse(filter);
  const rows = await ctx.db
    .select({ entry: auditLog, moderator: users.username })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.moderatorId))
    .where(
      and(
        f.moderator ? sql`lower(${users.username}) = lower(${f.moderator.replace(/^@/, "")})` : undefined,
        f.action ? eq(auditLog.action, f.action) : undefined,
        f.target ? eq(auditLog.targetId, f.target) : undefined,
        f.from ? gte(auditLog.createdAt, new Date(`${f.from}T00:00:00Z`)) : undefined,
        f.to ? lt(auditLog.createdAt, new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000)) : undefined,
        f.before ? lt(auditLog.id, f.before) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE + 1);
  return {
    entries: rows.slice(0, AUDIT_PAGE_SIZE).map((row) => ({ ...row.entry, moderator: row.moderator })),
    next: rows.length > AUDIT_PAGE_SIZE ? rows[AUDIT_PAGE_SIZE - 1]!.entry.id : null,
  };
}

/** Actions the log records from this area, offered as the filter's suggestions (others may be typed). */
export const knownAuditActions = [
  ...moderatorCommands,
  "appeal_upheld",
  "appeal_overturned",
  "assign_report",
  "unassign_report",
  "note_report",
  "update_settings",
  "add_emoji",
  "disable_emoji",
  "enable_emoji",
  "delete_emoji",
  "block_email",
  "unblock_email",
  ...Object.values(TREND_AUDIT_ACTIONS),
] as const;
