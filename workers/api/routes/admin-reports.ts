import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { listedAccounts } from "#domain/moderation/accounts.ts";
import {
  changeReport,
  listReports,
  reportForModerators,
  type HandledReport,
  type ReportChange,
} from "#domain/moderation/report-handling.ts";
import { pageRequestSchema } from "#domain/pagination.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs } from "../authentication.ts";
import { accountIdsOf, AdminReportSchema, presentAdminReport } from "../entities/admin-report.ts";
import { errorResponse } from "../entities/error.ts";
import { validationHook } from "../errors.ts";
import { paginationLinkHeader } from "../link-header.ts";
import { idParam, queryBoolean } from "../params.ts";
import { unknownQuery } from "./admin-accounts.ts";

const linkHeader = z.object({ Link: z.string().optional().openapi({ description: "RFC 8288 links to the next and previous pages" }) });

const listQuery = pageRequestSchema.extend({
  resolved: queryBoolean.openapi({ description: "Resolved reports instead of open ones (default false)." }),
  account_id: z.string().max(64).optional().openapi({ description: "Filed by this account." }),
  target_account_id: z.string().max(64).optional().openapi({ description: "About this account." }),
});

const reportResponses = {
  200: { description: "The report", content: { "application/json": { schema: AdminReportSchema } } },
  401: errorResponse("No valid token"),
  403: errorResponse("The token lacks the scope, or its user is not a moderator"),
  404: errorResponse("No such report"),
};

/** Reports with the accounts they name, read once for the whole list. */
async function present(c: Context<AppEnv>, views: HandledReport[]) {
  const { domain, origin } = c.var.scope;
  const accounts = await listedAccounts(domain, views.flatMap(accountIdsOf));
  return views.map((view) => presentAdminReport(view, accounts, origin));
}

const changeRoute = (change: ReportChange, summary: string) =>
  createRoute({
    method: "post",
    path: `/api/v1/admin/reports/{id}/${change}`,
    operationId: `adminReport_${change}`,
    tags: ["Admin"],
    summary,
    description: "Recorded in the audit log. Returns the report as it now is.",
    ...needs(["admin:write:reports"]),
    request: { params: idParam },
    responses: reportResponses,
  });

const changes: [ReportChange, string][] = [
  ["assign_to_self", "Take a report"],
  ["unassign", "Give a report back"],
  ["resolve", "Close a report without an action"],
  ["reopen", "Open a closed report again"],
];

export const adminReportRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/admin/reports",
      operationId: "adminListReports",
      tags: ["Admin"],
      summary: "Reports (moderators)",
      description: "Open reports (or resolved ones), newest first, a page at a time with Link headers. Unknown parameters are a 400.",
      ...needs(["admin:read:reports"]),
      request: { query: listQuery },
      responses: {
        200: { description: "Reports", headers: linkHeader, content: { "application/json": { schema: z.array(AdminReportSchema) } } },
        400: errorResponse("An unknown parameter or a malformed value"),
        401: errorResponse("No valid token"),
        403: errorResponse("The token lacks admin:read:reports, or its user is not a moderator"),
      },
    }),
    async (c) => {
      const refused = unknownQuery(c, listQuery);
      if (refused) return refused as never;
      const { resolved, account_id, target_account_id, ...page } = c.req.valid("query");
      const found = await listReports(c.var.scope.domain, { resolved, accountId: account_id, targetAccountId: target_account_id }, page);
      const link = paginationLinkHeader(c.req.url, c.var.scope.origin, found);
      if (link) c.header("Link", link);
      return c.json(await present(c, found.items), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/admin/reports/{id}",
      operationId: "adminGetReport",
      tags: ["Admin"],
      summary: "A report (moderators)",
      description: "With the accounts it names and its attached posts, whatever their moderation state.",
      ...needs(["admin:read:reports"]),
      request: { params: idParam },
      responses: reportResponses,
    }),
    async (c) => {
      const view = await reportForModerators(c.var.scope.domain, c.req.valid("param").id);
      return c.json((await present(c, [view]))[0]!, 200);
    },
  );

for (const [change, summary] of changes) {
  adminReportRoutes.openapi(changeRoute(change, summary), async (c) => {
    const view = await changeReport(c.var.scope.domain, c.req.valid("param").id, change);
    return c.json((await present(c, [view]))[0]!, 200);
  });
}
