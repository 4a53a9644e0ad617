import { z } from "@hono/zod-openapi";
import { reportCategories } from "#db/schema/index.ts";
import { mastodonCategoryOf, mastodonReportCategories, type ReportView } from "#domain/moderation/reports.ts";
import { AccountSchema, presentAccount } from "./account.ts";

export const ReportSchema = z
  .object({
    id: z.string(),
    action_taken: z.boolean(),
    action_taken_at: z.iso.datetime().nullable(),
    category: z.enum(mastodonReportCategories),
    comment: z.string(),
    forwarded: z.boolean().openapi({ description: "Always false: reports go to this server's moderators only." }),
    created_at: z.iso.datetime(),
    status_ids: z.array(z.string()).nullable(),
    rule_ids: z.array(z.string()).nullable(),
    target_account: AccountSchema,
    perch: z
      .object({ category: z.enum(reportCategories) })
      .openapi("ReportPerch", { description: "Perch extension: the report's own, finer category (ADR 0019)." }),
  })
  .openapi("Report", { description: "Mastodon's Report entity, as its reporter sees it." });

export function presentReport(view: ReportView, origin: string): z.infer<typeof ReportSchema> {
  const { report } = view;
  return {
    id: report.id,
    action_taken: report.resolvedAt !== null,
    action_taken_at: report.resolvedAt?.toISOString() ?? null,
    category: mastodonCategoryOf(report.category),
    comment: report.comment,
    forwarded: false,
    created_at: report.createdAt.toISOString(),
    status_ids: view.postIds,
    rule_ids: report.ruleIds,
    target_account: presentAccount(view.target, origin),
    perch: { category: report.category },
  };
}
