import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { can } from "#domain/accounts/permissions.ts";
import { recentDeadLetters } from "#domain/dead-letters.ts";
import { instanceStats } from "#domain/instance.ts";
import { auditEntries, decideAppeal, moderate, openAppeals, type ModeratorCommand } from "#domain/moderation/actions.ts";
import { dailyCounts, heldPosts, reportQueue, type ReviewedPost } from "#domain/moderation/review.ts";
import { aiClassificationOn, readModerationSettings, updateModerationSettings } from "#domain/moderation/settings.ts";
import { requirePermission } from "#app/auth/viewer.server.ts";
import { AdminNav } from "#app/components/admin-nav.tsx";
import { FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Admin");

const commandLabels: Record<ModeratorCommand, string> = {
  dismiss: "Dismiss",
  approve_post: "Approve the post",
  remove_post: "Remove the post",
  mark_sensitive: "Mark sensitive",
  warn: "Warn",
  limit: "Limit (only followers see them)",
  suspend: "Suspend",
  unsuspend: "Unsuspend",
};

const presentReviewed = ({ view, decisions }: ReviewedPost) => ({
  id: view.post.id,
  accountId: view.post.authorId,
  username: view.author.username,
  text: view.post.text,
  state: view.post.moderationState,
  decisions: decisions.map((decision) => ({
    id: decision.id,
    classifier: decision.classifier,
    model: decision.model,
    outcome: decision.outcome,
    reason: decision.reason,
  })),
});

/** Moderators' and admins' area: every loader and action checks the permission on the server. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = requirePermission(context, request, "access:moderation");
  const { domain } = context.scope;
  const isAdmin = can(viewer.user, "access:admin");
  const [stats, letters, reports, held, appeals, settings, days, audit] = await Promise.all([
    instanceStats(domain),
    isAdmin ? recentDeadLetters(domain, 10) : Promise.resolve([]),
    reportQueue(domain),
    heldPosts(domain),
    openAppeals(domain),
    readModerationSettings(domain),
    dailyCounts(domain, 30),
    auditEntries(domain, 20),
  ]);
  return {
    username: viewer.user.username,
    isAdmin,
    aiOn: aiClassificationOn(domain),
    stats,
    deadLetters: letters.map((letter) => ({
      id: letter.id,
      queue: letter.queue,
      reason: letter.reason,
      at: letter.createdAt.toISOString(),
    })),
    reports: reports.map((report) => ({
      id: report.report.id,
      category: report.report.category,
      comment: report.report.comment,
      reporter: report.reporter.username,
      target: { id: report.target.id, username: report.target.username },
      posts: report.posts.map(presentReviewed),
    })),
    held: held.map(presentReviewed),
    appeals: appeals.map((action) => ({ id: action.id, kind: action.kind, reason: action.reason, appeal: action.appealText ?? "" })),
    blockedWords: settings.blockedWords.join("\n"),
    blockedDomains: settings.blockedDomains.join("\n"),
    days,
    audit: audit.map((entry) => ({
      id: entry.id,
      action: entry.action,
      target: `${entry.targetKind} ${entry.targetId}`,
      reason: entry.reason,
      at: entry.createdAt.toISOString(),
    })),
  };
}

const lines = (value: FormDataEntryValue | null) =>
  String(value ?? "")
    .split(/\n/)
    .map((line) => line.trim())
    .filter(Boolean);

export const action = formAction(async ({ request, context, form }) => {
  requirePermission(context, request, "access:moderation");
  const { domain } = context.scope;
  const intent = form.get("intent");
  if (intent === "moderate") {
    await moderate(domain, {
      command: String(form.get("command")) as ModeratorCommand,
      accountId: String(form.get("accountId") ?? ""),
      postId: form.get("postId") ? String(form.get("postId")) : null,
      reportId: form.get("reportId") ? String(form.get("reportId")) : null,
      reason: String(form.get("reason") ?? ""),
    });
    return { notice: "Done, and recorded in the audit log." };
  }
  if (intent === "appeal") {
    await decideAppeal(domain, String(form.get("actionId")), form.get("decision") === "overturned" ? "overturned" : "upheld");
    return { notice: "Appeal answered." };
  }
  if (intent === "settings") {
    const current = await readModerationSettings(domain);
    await updateModerationSettings(domain, {
      ...current,
      blockedWords: lines(form.get("blockedWords")),
      blockedDomains: lines(form.get("blockedDomains")),
    });
    return { notice: "Settings saved." };
  }
  throw new Response("Unknown action", { status: 400 });
});

type ReviewedData = ReturnType<typeof presentReviewed>;

/** The decision form: a command, a required reason, and what it is about. */
function ModerateForm({
  accountId,
  postId,
  reportId,
  commands,
}: {
  accountId: string;
  postId?: string;
  reportId?: string;
  commands: ModeratorCommand[];
}) {
  const id = `moderate-${reportId ?? postId ?? accountId}`;
  return (
    <Form method="post" className="mt-2 flex flex-col gap-2">
      <input type="hidden" name="intent" value="moderate" />
      <input type="hidden" name="accountId" value={accountId} />
      {postId && <input type="hidden" name="postId" value={postId} />}
      {reportId && <input type="hidden" name="reportId" value={reportId} />}
      <label htmlFor={`${id}-command`} className="text-sm font-medium">
        Action
      </label>
      <select id={`${id}-command`} name="command" className="rounded-lg border border-line bg-surface px-3 py-2">
        {commands.map((command) => (
          <option key={command} value={command}>
            {commandLabels[command]}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-reason`} className="text-sm font-medium">
        Reason (required; the account is shown it)
      </label>
      <input id={`${id}-reason`} name="reason" required maxLength={1000} className="rounded-lg border border-line bg-surface px-3 py-2" />
      <div>
        <SubmitButton intent="moderate">Apply</SubmitButton>
      </div>
    </Form>
  );
}

function Decisions({ post }: { post: ReviewedData }) {
  if (post.decisions.length === 0) return null;
  return (
    <ul className="mt-1 list-disc pl-5 text-sm text-muted">
      {post.decisions.map((decision) => (
        <li key={decision.id}>
          {decision.classifier}
          {decision.model ? ` (${decision.model})` : ""}: {decision.outcome} — {decision.reason}
        </li>
      ))}
    </ul>
  );
}

export default function Admin() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as (Partial<FormProblem> & { notice?: string }) | undefined;
  const section = "border-t border-line px-4 py-4";
  const postCommands: ModeratorCommand[] = ["remove_post", "mark_sensitive", "warn", "limit", "suspend"];
  return (
    <>
      <PageHeader title="Admin" description={`Signed in as @${data.username}.`} />
      <AdminNav current="/admin" admin={data.isAdmin} />
      <div className="px-4 pt-3">
        <FormMessage error={result?.formError} notice={result?.notice} />
        <p className="mt-2 text-sm" role="note">
          {data.aiOn
            ? "AI classification is on: Claude reviews new and edited posts after the local rules."
            : "AI classification is off (no ANTHROPIC_API_KEY): only the local rules review posts."}
        </p>
      </div>
      <section aria-labelledby="reports-heading" className={section}>
        <h2 id="reports-heading" className="font-bold">
          Open reports ({data.reports.length})
        </h2>
        {data.reports.length === 0 && <p className="text-muted">No open reports.</p>}
        <ul className="mt-2 flex flex-col gap-4">
          {data.reports.map((report) => (
            <li key={report.id} className="rounded-lg border border-line p-3">
              <p>
                <strong>@{report.target.username}</strong>, reported by @{report.reporter} for {report.category}
              </p>
              {report.comment && <p className="mt-1 text-sm">{`“${report.comment}”`}</p>}
              {report.posts.map((post) => (
                <div key={post.id} className="mt-2 rounded border border-line p-2">
                  <p className="text-sm break-words">{post.text}</p>
                  {post.state && <p className="text-sm text-muted">State: {post.state}</p>}
                  <Decisions post={post} />
                </div>
              ))}
              <ModerateForm
                accountId={report.target.id}
                postId={report.posts[0]?.id}
                reportId={report.id}
                commands={[
                  "dismiss",
                  ...(report.posts.length
                    ? postCommands
                    : postCommands.filter((command) => !command.endsWith("post") && command !== "mark_sensitive")),
                ]}
              />
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="held-heading" className={section}>
        <h2 id="held-heading" className="font-bold">
          Held for review ({data.held.length})
        </h2>
        {data.held.length === 0 && <p className="text-muted">Nothing is waiting.</p>}
        <ul className="mt-2 flex flex-col gap-4">
          {data.held.map((post) => (
            <li key={post.id} className="rounded-lg border border-line p-3">
              <p className="text-sm">@{post.username}</p>
              <p className="break-words">{post.text}</p>
              <Decisions post={post} />
              <ModerateForm accountId={post.accountId} postId={post.id} commands={["approve_post", ...postCommands]} />
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="appeals-heading" className={section}>
        <h2 id="appeals-heading" className="font-bold">
          Appeals ({data.appeals.length})
        </h2>
        {data.appeals.length === 0 && <p className="text-muted">No appeals waiting.</p>}
        <ul className="mt-2 flex flex-col gap-4">
          {data.appeals.map((appeal) => (
            <li key={appeal.id} className="rounded-lg border border-line p-3">
              <p>
                {appeal.kind}: {appeal.reason}
              </p>
              <p className="mt-1 text-sm">{`Appeal: “${appeal.appeal}”`}</p>
              <Form method="post" className="mt-2 flex gap-2">
                <input type="hidden" name="intent" value="appeal" />
                <input type="hidden" name="actionId" value={appeal.id} />
                <button
                  type="submit"
                  name="decision"
                  value="overturned"
                  className="rounded-full border border-line px-4 py-2 font-semibold"
                >
                  Overturn
                </button>
                <button type="submit" name="decision" value="upheld" className="rounded-full border border-line px-4 py-2 font-semibold">
                  Uphold
                </button>
              </Form>
            </li>
          ))}
        </ul>
      </section>
      {data.isAdmin && (
        <section aria-labelledby="settings-heading" className={section}>
          <h2 id="settings-heading" className="font-bold">
            Instance moderation settings
          </h2>
          <Form method="post" className="mt-2 flex flex-col gap-2">
            <input type="hidden" name="intent" value="settings" />
            <label htmlFor="blocked-words" className="font-medium">
              Blocked words (one per line)
            </label>
            <textarea
              id="blocked-words"
              name="blockedWords"
              rows={3}
              defaultValue={data.blockedWords}
              className="rounded-lg border border-line bg-surface px-3 py-2"
            />
            <label htmlFor="blocked-domains" className="font-medium">
              Blocked link domains (one per line)
            </label>
            <textarea
              id="blocked-domains"
              name="blockedDomains"
              rows={3}
              defaultValue={data.blockedDomains}
              className="rounded-lg border border-line bg-surface px-3 py-2"
            />
            <div>
              <SubmitButton intent="settings">Save settings</SubmitButton>
            </div>
          </Form>
        </section>
      )}
      <section aria-labelledby="stats-heading" className={section}>
        <h2 id="stats-heading" className="font-bold">
          This server
        </h2>
        <dl className="mt-2 grid grid-cols-3 gap-4">
          <div>
            <dt className="text-sm text-muted">Accounts</dt>
            <dd className="text-2xl font-bold">{data.stats.users}</dd>
          </div>
          <div>
            <dt className="text-sm text-muted">Posts</dt>
            <dd className="text-2xl font-bold">{data.stats.posts}</dd>
          </div>
          <div>
            <dt className="text-sm text-muted">Active this month</dt>
            <dd className="text-2xl font-bold">{data.stats.activeUsersThisMonth}</dd>
          </div>
        </dl>
        <table className="mt-4 w-full text-sm">
          <caption className="text-left font-medium">Last 30 days (UTC)</caption>
          <thead>
            <tr>
              <th scope="col" className="text-left">
                Day
              </th>
              <th scope="col">Sign-ups</th>
              <th scope="col">Posts</th>
              <th scope="col">Reports</th>
            </tr>
          </thead>
          <tbody>
            {data.days.map((day) => (
              <tr key={day.day}>
                <th scope="row" className="text-left font-normal">
                  {day.day}
                </th>
                <td className="text-center">{day.signUps}</td>
                <td className="text-center">{day.posts}</td>
                <td className="text-center">{day.reports}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {data.isAdmin && (
        <section aria-labelledby="trends-heading" className={section}>
          <h2 id="trends-heading" className="font-bold">
            Trends
          </h2>
          <p className="mt-2">
            <a href="/admin/trends" className="font-semibold text-accent underline">
              Review trending hashtags, posts and links
            </a>
          </p>
        </section>
      )}
      <section aria-labelledby="audit-heading" className={section}>
        <h2 id="audit-heading" className="font-bold">
          Audit log
        </h2>
        <ul className="mt-2 list-disc pl-5 text-sm">
          {data.audit.map((entry) => (
            <li key={entry.id}>
              {entry.at.slice(0, 16).replace("T", " ")} {entry.action} on {entry.target}: {entry.reason}
            </li>
          ))}
        </ul>
      </section>
      {data.isAdmin && (
        <section aria-labelledby="letters-heading" className={section}>
          <h2 id="letters-heading" className="font-bold">
            Recent dead letters
          </h2>
          {data.deadLetters.length === 0 ? (
            <p className="text-muted">None: every background job has succeeded.</p>
          ) : (
            <ul className="mt-2 list-disc pl-5">
              {data.deadLetters.map((letter) => (
                <li key={letter.id}>
                  {letter.queue}: {letter.reason} ({letter.at.slice(0, 16).replace("T", " ")})
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}
