import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { reportCategories } from "#db/schema/index.ts";
import { fileReport, mastodonReportCategories, ownReport, perchCategoryOf } from "#domain/moderation/reports.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { bodyOf, booleanField, formOrJson, listField } from "../body.ts";
import { errorResponse } from "../entities/error.ts";
import { presentReport, ReportSchema } from "../entities/report.ts";
import { validationHook } from "../errors.ts";

const reportBody = z.object({
  account_id: z.string().min(1).max(64).openapi({ description: "The account to report." }),
  status_ids: listField.optional().openapi({ description: "Up to 5 of the account's posts to attach." }),
  comment: z.string().max(1000).optional(),
  forward: booleanField.optional().openapi({ description: "Accepted; this server has no remote accounts, so nothing is forwarded." }),
  category: z
    .enum([...mastodonReportCategories, ...reportCategories.filter((category) => category !== "spam" && category !== "other")])
    .optional()
    .openapi({
      description:
        "Mastodon's spam, legal, violation or other (default other; violation is stored as other, the rules it breaks " +
        "being in rule_ids), or, as a Perch extension, one of its finer categories: harassment, hate, violence, sexual, " +
        "self_harm, misinformation, illegal.",
    }),
  rule_ids: listField
    .optional()
    .openapi({ description: "The server's rules (GET /api/v1/instance/rules) the account broke; an id it does not have is a 422." }),
});

export const reportRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

reportRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/v1/reports",
    operationId: "createReport",
    tags: ["Reports"],
    summary: "Report an account",
    description:
      "Files a report with this server's moderators about an account and, optionally, up to five of its posts you can " +
      "see. Moderators are notified (`admin.report`). At most 10 reports an hour.",
    ...needs(["write:reports"]),
    request: { body: formOrJson(reportBody) },
    responses: {
      200: { description: "The report", content: { "application/json": { schema: ReportSchema } } },
      404: errorResponse("No such account or post, or one you cannot see"),
      422: errorResponse("A missing account, your own account, more than five posts or posts by someone else"),
      429: errorResponse("Too many reports recently"),
    },
  }),
  async (c) => {
    const body = bodyOf<z.infer<typeof reportBody>>(c);
    if (!body?.account_id) return c.json({ error: "account_id: is required" }, 422);
    const reporter = userOf(c);
    const report = await fileReport(c.var.scope.domain, reporter.id, {
      targetAccountId: body.account_id,
      category: perchCategoryOf(body.category ?? "other"),
      comment: body.comment ?? "",
      postIds: body.status_ids ?? [],
      ruleIds: body.rule_ids ?? [],
    });
    return c.json(presentReport(await ownReport(c.var.scope.domain, reporter.id, report.id), c.var.scope.origin), 200);
  },
);
