import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useLoaderData } from "@remix-run/react";
import { can } from "#domain/accounts/permissions.ts";
import { auditEntries, auditFilterSchema, knownAuditActions } from "#domain/moderation/audit.ts";
import { requirePermission } from "#app/auth/viewer.server.ts";
import { AdminNav, AdminSection, TableScroller } from "#app/components/admin.tsx";
import { Field, PageHeader } from "#app/components/forms.tsx";
import { titled } from "#app/meta.ts";

export const meta = titled("Audit log · Admin");

const filterFields = ["moderator", "action", "target", "from", "to"] as const;

/**
 * Every moderator action, newest first, narrowed by the GET form's fields; moderators and admins only. A field the
 * domain refuses (a date that is not one) is shown beside it and the log is listed unfiltered by it.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = requirePermission(context, request, "access:moderation");
  const params = new URL(request.url).searchParams;
  const asked = Object.fromEntries(
    [...filterFields, "before" as const].flatMap((name) => (params.get(name) ? [[name, params.get(name)!]] : [])),
  );
  const fieldErrors: Record<string, string> = {};
  const checked = auditFilterSchema.safeParse(asked);
  if (!checked.success) for (const issue of checked.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
  const filter = Object.fromEntries(Object.entries(asked).filter(([name]) => !fieldErrors[name]));
  const { entries, next } = await auditEntries(context.scope.domain, filter);
  const nextParams = new URLSearchParams(filter);
  if (next) nextParams.set("before", next);
  return {
    isAdmin: can(viewer.user, "access:admin"),
    asked,
    fieldErrors,
    entries: entries.map((entry) => ({
      id: entry.id,
      at: entry.createdAt.toISOString().slice(0, 16).replace("T", " "),
      // No moderator id is an automatic decision; an id with no account left is a moderator who has since gone.
      by: entry.moderator ? `@${entry.moderator}` : entry.moderatorId ? `a deleted account (${entry.moderatorId})` : "the pipeline",
      action: entry.action,
      target: `${entry.targetKind} ${entry.targetId}`,
      reason: entry.reason,
    })),
    next: next ? `/admin/audit?${nextParams}` : null,
  };
}

export default function AdminAudit() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Audit log" back="/admin" description="Every moderator action, as it happened. Nothing here is ever changed." />
      <AdminNav current="/admin/audit" isAdmin={data.isAdmin} />
      <Form method="get" className="grid gap-3 border-b border-line px-4 py-4 sm:grid-cols-3">
        <Field
          label="Moderator"
          name="moderator"
          defaultValue={data.asked.moderator}
          error={data.fieldErrors.moderator}
          placeholder="username"
        />
        <Field label="Action" name="action" list="audit-actions" defaultValue={data.asked.action} error={data.fieldErrors.action} />
        <datalist id="audit-actions">
          {knownAuditActions.map((action) => (
            <option key={action} value={action} />
          ))}
        </datalist>
        <Field label="Target id" name="target" defaultValue={data.asked.target} error={data.fieldErrors.target} />
        <Field label="From (day)" name="from" type="date" defaultValue={data.asked.from} error={data.fieldErrors.from} />
        <Field label="To (day)" name="to" type="date" defaultValue={data.asked.to} error={data.fieldErrors.to} />
        <div className="flex items-end gap-2">
          <button type="submit" className="min-h-11 rounded-full bg-accent px-5 font-semibold text-accent-ink">
            Filter
          </button>
          <a href="/admin/audit" className="inline-flex min-h-11 items-center px-2 underline">
            Clear
          </a>
        </div>
      </Form>
      <AdminSection id="audit-heading" title="Entries" isEmpty={data.entries.length === 0} empty="No entries match.">
        <TableScroller label="Audit log entries">
          <table className="mt-2 w-full text-sm">
            <thead>
              <tr>
                <th scope="col" className="text-left">
                  When (UTC)
                </th>
                <th scope="col" className="text-left">
                  Who
                </th>
                <th scope="col" className="text-left">
                  Action
                </th>
                <th scope="col" className="text-left">
                  Target
                </th>
                <th scope="col" className="text-left">
                  Reason
                </th>
              </tr>
            </thead>
            <tbody>
              {data.entries.map((entry) => (
                <tr key={entry.id} className="border-t border-line align-top">
                  <td className="py-1 pr-2 whitespace-nowrap">{entry.at}</td>
                  <td className="py-1 pr-2">{entry.by}</td>
                  <td className="py-1 pr-2">{entry.action}</td>
                  <td className="py-1 pr-2 break-all">{entry.target}</td>
                  <td className="py-1 break-words">{entry.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
        {data.next && (
          <p className="mt-3">
            <a href={data.next} className="inline-flex min-h-11 items-center font-semibold text-accent underline">
              Older entries
            </a>
          </p>
        )}
      </AdminSection>
    </>
  );
}
