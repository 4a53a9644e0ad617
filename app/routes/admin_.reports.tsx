import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { can } from "#domain/accounts/permissions.ts";
import { assignReport } from "#domain/moderation/report-handling.ts";
import type { ReportAssignee } from "#domain/moderation/reports.ts";
import { reportQueue } from "#domain/moderation/review.ts";
import { requirePermission } from "#app/auth/viewer.server.ts";
import { AdminNav, AdminSection } from "#app/components/admin.tsx";
import { FormMessage, PageHeader } from "#app/components/forms.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Reports · Admin");

const views = { anyone: "All open", mine: "Assigned to me", nobody: "Unassigned" } as const;
type View = keyof typeof views;

/** Open reports, newest first, each with who took it; moderators and admins only, checked on the server. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = requirePermission(context, request, "access:moderation");
  const asked = new URL(request.url).searchParams.get("assignee");
  const view: View = asked === "mine" || asked === "nobody" ? asked : "anyone";
  const assignee: ReportAssignee = view === "mine" ? { id: viewer.user.id } : view;
  const reports = await reportQueue(context.scope.domain, { assignee });
  return {
    view,
    me: viewer.user.id,
    isAdmin: can(viewer.user, "access:admin"),
    reports: reports.map((report) => ({
      id: report.report.id,
      category: report.report.category,
      comment: report.report.comment,
      at: report.report.createdAt.toISOString(),
      reporter: report.reporter.username,
      target: report.target.username,
      posts: report.posts.length,
      assignedToId: report.report.assignedToId,
    })),
  };
}

export const action = formAction(async ({ request, context, form }) => {
  const viewer = requirePermission(context, request, "access:moderation");
  const reportId = String(form.get("reportId") ?? "");
  const take = form.get("intent") === "assign";
  await assignReport(context.scope.domain, reportId, take ? viewer.user.id : null);
  return { notice: take ? "The report is yours." : "The report is unassigned." };
});

export default function AdminReports() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as (Partial<FormProblem> & { notice?: string }) | undefined;
  return (
    <>
      <PageHeader title="Reports" back="/admin" description="What people reported to this server's moderators." />
      <AdminNav current="/admin/reports" isAdmin={data.isAdmin} />
      <div className="px-4 pt-3">
        <FormMessage error={result?.formError} notice={result?.notice} />
      </div>
      <nav aria-label="Which reports" className="px-4 pt-2">
        <ul className="flex flex-wrap gap-2">
          {(Object.keys(views) as View[]).map((view) => (
            <li key={view}>
              <a
                href={view === "anyone" ? "/admin/reports" : `/admin/reports?assignee=${view}`}
                aria-current={view === data.view ? "page" : undefined}
                className="inline-flex min-h-11 items-center rounded-full border border-line px-4 aria-[current=page]:bg-accent-soft aria-[current=page]:font-bold"
              >
                {views[view]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <AdminSection
        id="reports-heading"
        title={`${views[data.view]} (${data.reports.length})`}
        isEmpty={data.reports.length === 0}
        empty="No open reports."
      >
        <ul className="mt-2 flex flex-col gap-4">
          {data.reports.map((report) => (
            <li key={report.id} className="rounded-lg border border-line p-3">
              <p>
                <a href={`/admin/reports/${report.id}`} className="font-semibold text-accent underline">
                  @{report.target}, reported by @{report.reporter} for {report.category}
                </a>
              </p>
              <p className="text-sm text-muted">
                {report.at.slice(0, 16).replace("T", " ")} · {report.posts} {report.posts === 1 ? "post" : "posts"} ·{" "}
                {report.assignedToId === data.me ? "assigned to you" : report.assignedToId ? "assigned to another moderator" : "unassigned"}
              </p>
              {report.comment && <p className="mt-1 text-sm">{`“${report.comment}”`}</p>}
              <Form method="post" className="mt-2">
                <input type="hidden" name="reportId" value={report.id} />
                <button
                  type="submit"
                  name="intent"
                  value={report.assignedToId === data.me ? "unassign" : "assign"}
                  className="min-h-11 rounded-full border border-line px-4 font-semibold"
                >
                  {report.assignedToId === data.me ? "Unassign" : "Assign to me"}
                  <span className="sr-only"> the report about @{report.target}</span>
                </button>
              </Form>
            </li>
          ))}
        </ul>
      </AdminSection>
    </>
  );
}
