import { z } from "@hono/zod-openapi";
import { reportCategories } from "#db/schema/index.ts";
import type { ListedAccount } from "#domain/moderation/accounts.ts";
import type { HandledReport } from "#domain/moderation/report-handling.ts";
import { mastodonCategoryOf, mastodonReportCategories } from "#domain/moderation/reports.ts";
import { AdminAccountSchema, presentAdminAccount } from "./admin-account.ts";
import { presentStatus, StatusSchema } from "./status.ts";

export const AdminReportSchema = z
  .object({
    id: z.string(),
    action_taken: z.boolean(),
    action_taken_at: z.iso.datetime().nullable(),
    category: z.enum(mastodonReportCategories),
    comment: z.string(),
    forwarded: z.boolean(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    account: AdminAccountSchema.openapi({ description: "Who filed it." }),
    target_account: AdminAccountSchema,
    assigned_account: AdminAccountSchema.nullable(),
    action_taken_by_account: AdminAccountSchema.nullable(),
    statuses: z.array(StatusSchema).openapi({ description: "The attached posts, whatever their moderation state." }),
    rules: z.array(z.object({ id: z.string(), text: z.string() })).openapi({ description: "Always empty: this server has no rules." }),
    perch: z
      .object({ category: z.enum(reportCategories) })
      .openapi("AdminReportPerch", { description: "Perch extension: the report's own, finer category (ADR 0019)." }),
  })
  .openapi("Admin_Report", { description: "Mastodon's Admin::Report: a report as moderators handle it." });

/** The ids of the accounts a report names, to read as moderators see them (listedAccounts). */
export const accountIdsOf = ({ report }: HandledReport) =>
  [report.reporterId, report.targetAccountId, report.assignedToId, report.resolvedById].filter((id): id is string => id !== null);

/** A report with the accounts it names; one deleted since (the moderator who resolved it) is null. */
export function presentAdminReport(
  view: HandledReport,
  accounts: Map<string, ListedAccount>,
  origin: string,
): z.infer<typeof AdminReportSchema> {
  const { report } = view;
  const account = (id: string | null) => {
    const found = id ? accounts.get(id) : undefined;
    return found ? presentAdminAccount(found, origin) : null;
  };
  return {
    id: report.id,
    action_taken: report.resolvedAt !== null,
    action_taken_at: report.resolvedAt?.toISOString() ?? null,
    category: mastodonCategoryOf(report.category),
    comment: report.comment,
    forwarded: false,
    created_at: report.createdAt.toISOString(),
    updated_at: (report.resolvedAt ?? report.createdAt).toISOString(),
    account: account(report.reporterId)!,
    target_account: account(report.targetAccountId)!,
    assigned_account: account(report.assignedToId),
    action_taken_by_account: account(report.resolvedById),
    statuses: view.posts.map((post) => presentStatus(post, origin)),
    rules: [],
    perch: { category: report.category },
  };
}
