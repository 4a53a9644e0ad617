import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { can } from "#domain/accounts/permissions.ts";
import { moderate, type ModeratorCommand } from "#domain/moderation/actions.ts";
import { addReportNote, assignReport, reportCase } from "#domain/moderation/report-handling.ts";
import { presentReviewed, presentReviewedMessage } from "#app/admin.server.ts";
import { requirePermission } from "#app/auth/viewer.server.ts";
import { AdminNav, AdminSection, ReviewedMessageView, ReviewedPostView } from "#app/components/admin.tsx";
import { FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Report · Admin");

/** One report as a moderator works it: the content, the account's history, notes, and the decision. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = requirePermission(context, request, "access:moderation");
  const found = await reportCase(context.scope.domain, params.id ?? "");
  const { report } = found;
  return {
    me: viewer.user.id,
    isAdmin: can(viewer.user, "access:admin"),
    report: {
      id: report.id,
      category: report.category,
      comment: report.comment,
      at: report.createdAt.toISOString(),
      resolution: report.resolution,
      resolvedAt: report.resolvedAt?.toISOString() ?? null,
    },
    reporter: found.reporter.username,
    target: { id: found.target.id, username: found.target.username },
    assignee: found.assignee,
    rules: found.rules.map((rule) => rule.text),
    posts: found.posts.map(presentReviewed),
    message: found.message && presentReviewedMessage(found.message),
    notes: found.notes.map((note) => ({ id: note.id, author: note.author, text: note.text, at: note.createdAt.toISOString() })),
    history: {
      status: found.history.account.moderationStatus,
      joined: found.history.account.createdAt.toISOString().slice(0, 10),
      postsCount: found.history.account.postsCount,
      otherReports: found.history.otherReports.map((other) => ({
        id: other.id,
        category: other.category,
        at: other.createdAt.toISOString().slice(0, 10),
        resolution: other.resolution,
      })),
      actions: found.history.actions.map((action) => ({
        id: action.id,
        kind: action.kind,
        reason: action.reason,
        at: action.createdAt.toISOString().slice(0, 10),
      })),
      recentPosts: found.history.recentPosts.map(presentReviewed),
    },
  };
}

const commandLabels: Partial<Record<ModeratorCommand, string>> = {
  dismiss: "Dismiss (nothing wrong)",
  remove_post: "Delete the reported posts",
  mark_sensitive: "Mark the reported posts or message sensitive",
  remove_message: "Remove the reported message",
  warn: "Warn the account",
  limit: "Limit (only followers see them)",
  suspend: "Suspend",
  unsuspend: "Unsuspend",
};

export const action = formAction(async ({ request, context, form, params }) => {
  const viewer = requirePermission(context, request, "access:moderation");
  const { domain } = context.scope;
  const reportId = params.id ?? "";
  switch (form.get("intent")) {
    case "assign":
    case "unassign":
      await assignReport(domain, reportId, form.get("intent") === "assign" ? viewer.user.id : null);
      return { notice: form.get("intent") === "assign" ? "The report is yours." : "The report is unassigned." };
    case "note":
      await addReportNote(domain, reportId, String(form.get("note") ?? ""));
      return { notice: "Note added." };
    case "resolve": {
      const found = await reportCase(domain, reportId);
      await moderate(domain, {
        command: String(form.get("command")) as ModeratorCommand,
        accountId: found.target.id,
        postIds: found.posts.map((post) => post.view.post.id),
        messageId: found.message?.id ?? null,
        reportId,
        reason: String(form.get("reason") ?? ""),
      });
      return { notice: "Done, and recorded in the audit log." };
    }
  }
  throw new Response("Unknown action", { status: 400 });
});

const day = (iso: string) => iso.slice(0, 16).replace("T", " ");

export default function AdminReport() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as (Partial<FormProblem> & { notice?: string }) | undefined;
  const typed = result?.values;
  const commands = (Object.keys(commandLabels) as ModeratorCommand[]).filter(
    (command) =>
      (data.posts.length > 0 || command !== "remove_post") &&
      (data.posts.length > 0 || data.message !== null || command !== "mark_sensitive") &&
      (data.message !== null || command !== "remove_message"),
  );
  const mine = data.assignee?.id === data.me;
  return (
    <>
      <PageHeader
        title={`Report about @${data.target.username}`}
        back="/admin/reports"
        description={`By @${data.reporter} for ${data.report.category}, ${day(data.report.at)}`}
      />
      <AdminNav current="/admin/reports" isAdmin={data.isAdmin} />
      <div className="px-4 pt-3">
        <FormMessage error={result?.formError} notice={result?.notice} />
      </div>
      <div className="lg:grid lg:grid-cols-2">
        <div>
          <AdminSection id="report-heading" title="The report">
            {data.report.comment && <p className="mt-1">{`“${data.report.comment}”`}</p>}
            {data.rules.length > 0 && (
              <>
                <p className="mt-2 text-sm font-medium">Rules it says were broken</p>
                <ul className="list-disc pl-5 text-sm">
                  {data.rules.map((rule) => (
                    <li key={rule}>{rule}</li>
                  ))}
                </ul>
              </>
            )}
            <p className="mt-2 text-sm">
              {data.report.resolution
                ? `Closed (${data.report.resolution}) ${day(data.report.resolvedAt ?? "")}.`
                : data.assignee
                  ? `Assigned to @${data.assignee.username}.`
                  : "Nobody has taken it yet."}
            </p>
            {!data.report.resolution && (
              <Form method="post" className="mt-2">
                <button
                  type="submit"
                  name="intent"
                  value={mine ? "unassign" : "assign"}
                  className="min-h-11 rounded-full border border-line px-4 font-semibold"
                >
                  {mine ? "Unassign" : "Assign to me"}
                </button>
              </Form>
            )}
          </AdminSection>
          <AdminSection
            id="reported-posts-heading"
            title={`Reported posts (${data.posts.length})`}
            isEmpty={data.posts.length === 0}
            empty="The report is about the account, with no posts attached."
          >
            <ul className="mt-2 flex flex-col gap-2">
              {data.posts.map((post) => (
                <li key={post.id}>
                  <ReviewedPostView post={post} />
                </li>
              ))}
            </ul>
          </AdminSection>
          {data.message && (
            <AdminSection id="reported-message-heading" title="Reported chat message">
              <p className="mt-1 text-sm text-muted">Only this message is shown, not the rest of its conversation.</p>
              <div className="mt-2">
                <ReviewedMessageView message={data.message} />
              </div>
            </AdminSection>
          )}
          {!data.report.resolution && (
            <AdminSection id="resolve-heading" title="Resolve">
              <Form method="post" className="mt-2 flex flex-col gap-2">
                <input type="hidden" name="intent" value="resolve" />
                <label htmlFor="command" className="text-sm font-medium">
                  Action
                </label>
                <select
                  id="command"
                  name="command"
                  defaultValue={typed?.command}
                  className="min-h-11 rounded-lg border border-line bg-surface px-3 py-2"
                >
                  {commands.map((command) => (
                    <option key={command} value={command}>
                      {commandLabels[command]}
                    </option>
                  ))}
                </select>
                <label htmlFor="reason" className="text-sm font-medium">
                  Reason (required; the account is shown it, unless it is a limit)
                </label>
                <input
                  id="reason"
                  name="reason"
                  required
                  maxLength={1000}
                  defaultValue={typed?.reason}
                  aria-invalid={result?.fieldErrors?.reason ? true : undefined}
                  aria-describedby={result?.fieldErrors?.reason ? "reason-error" : undefined}
                  className="rounded-lg border border-line bg-surface px-3 py-2"
                />
                {result?.fieldErrors?.reason && (
                  <p id="reason-error" className="text-sm font-medium text-danger">
                    {result.fieldErrors.reason}
                  </p>
                )}
                <div>
                  <SubmitButton intent="resolve">Apply</SubmitButton>
                </div>
              </Form>
            </AdminSection>
          )}
        </div>
        <div>
          <AdminSection id="history-heading" title={`@${data.target.username}'s history`}>
            <p className="mt-1 text-sm">
              Joined {data.history.joined}, {data.history.postsCount} posts
              {data.history.status ? `, currently ${data.history.status}` : ""}.
            </p>
            <p className="mt-2 text-sm font-medium">Earlier reports</p>
            {data.history.otherReports.length === 0 ? (
              <p className="text-sm text-muted">None.</p>
            ) : (
              <ul className="list-disc pl-5 text-sm">
                {data.history.otherReports.map((other) => (
                  <li key={other.id}>
                    <a href={`/admin/reports/${other.id}`} className="underline">
                      {other.at}: {other.category}
                    </a>{" "}
                    ({other.resolution ?? "open"})
                  </li>
                ))}
              </ul>
            )}
            <p className="mt-2 text-sm font-medium">Actions taken</p>
            {data.history.actions.length === 0 ? (
              <p className="text-sm text-muted">None.</p>
            ) : (
              <ul className="list-disc pl-5 text-sm">
                {data.history.actions.map((action) => (
                  <li key={action.id}>
                    {action.at}: {action.kind} — {action.reason}
                  </li>
                ))}
              </ul>
            )}
            <p className="mt-2 text-sm font-medium">Latest posts</p>
            <ul className="mt-1 flex flex-col gap-2">
              {data.history.recentPosts.map((post) => (
                <li key={post.id}>
                  <ReviewedPostView post={post} />
                </li>
              ))}
            </ul>
          </AdminSection>
          <AdminSection id="notes-heading" title={`Moderators' notes (${data.notes.length})`}>
            <ul className="mt-2 flex flex-col gap-2">
              {data.notes.map((note) => (
                <li key={note.id} className="rounded border border-line p-2 text-sm">
                  <p className="text-muted">
                    @{note.author ?? "a former moderator"}, {day(note.at)}
                  </p>
                  <p className="whitespace-pre-line">{note.text}</p>
                </li>
              ))}
            </ul>
            <Form method="post" className="mt-2 flex flex-col gap-2">
              <input type="hidden" name="intent" value="note" />
              <label htmlFor="note" className="text-sm font-medium">
                Add a note (only moderators see it)
              </label>
              <textarea
                id="note"
                name="note"
                rows={2}
                maxLength={2000}
                defaultValue={typed?.intent === "note" ? typed.note : undefined}
                aria-invalid={result?.fieldErrors?.note ? true : undefined}
                aria-describedby={result?.fieldErrors?.note ? "note-error" : undefined}
                className="rounded-lg border border-line bg-surface px-3 py-2"
              />
              {result?.fieldErrors?.note && (
                <p id="note-error" className="text-sm font-medium text-danger">
                  {result.fieldErrors.note}
                </p>
              )}
              <div>
                <SubmitButton intent="note" variant="secondary">
                  Add note
                </SubmitButton>
              </div>
            </Form>
          </AdminSection>
        </div>
      </div>
    </>
  );
}
