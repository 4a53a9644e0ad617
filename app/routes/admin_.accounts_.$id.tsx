import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { roles } from "#db/schema/index.ts";
import { can } from "#domain/accounts/permissions.ts";
import type { Role } from "#domain/accounts/users.ts";
import { DomainError } from "#domain/errors.ts";
import { accountDetail, approveSignUp, changeRole, deleteAccountAsAdmin, rejectSignUp, unlimit } from "#domain/moderation/accounts.ts";
import { moderate } from "#domain/moderation/actions.ts";
import { setVerified } from "#domain/profiles/settings.ts";
import { requirePermission } from "#app/auth/viewer.server.ts";
import { AdminNav, TableScroller } from "#app/components/admin.tsx";
import { FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Account · Admin");

const time = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** One account for moderators; where and how it signed in (and its email) for admins only. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = requirePermission(context, request, "access:moderation");
  const detail = await accountDetail(context.scope.domain, params.id ?? "");
  const { account } = detail;
  return {
    isAdmin: can(viewer.user, "access:admin"),
    self: viewer.user.id === account.id,
    account: {
      id: account.id,
      username: account.username,
      displayName: account.displayName,
      role: account.role,
      verified: account.verifiedAt !== null,
      sensitized: account.sensitized,
      emailConfirmed: account.emailVerifiedAt !== null,
      createdAt: time(account.createdAt),
      reason: account.signUpReason,
    },
    status: detail.status,
    reports: detail.reports.map((view) => ({
      id: view.report.id,
      category: view.report.category,
      comment: view.report.comment,
      reporter: view.reporter.username,
      open: view.report.resolvedAt === null,
      at: time(view.report.createdAt),
    })),
    actions: detail.actions.map((action) => ({ id: action.id, kind: action.kind, reason: action.reason, at: time(action.createdAt) })),
    posts: detail.posts.map((post) => ({ id: post.id, text: post.text, state: post.moderationState, at: time(post.createdAt) })),
    restricted: detail.restricted && {
      email: detail.restricted.email,
      ips: detail.restricted.ips.map(({ ip, usedAt }) => ({ ip, usedAt: time(usedAt) })),
      logins: detail.restricted.logins.map((login) => ({
        id: login.id,
        at: time(login.createdAt),
        success: login.success,
        method: login.method,
        ip: login.ip ?? "unknown",
        userAgent: login.userAgent ?? "unknown",
      })),
    },
  };
}

const accountCommands = ["warn", "sensitize", "unsensitize", "limit", "unlimit", "disable", "enable", "suspend", "unsuspend"] as const;
type AccountCommand = (typeof accountCommands)[number];
const commandLabels: Record<AccountCommand, string> = {
  warn: "Warn",
  sensitize: "Mark all their media sensitive, now and from now on",
  unsensitize: "Let them choose what is sensitive again",
  limit: "Limit (only followers see them; they are not told)",
  unlimit: "Lift the limit",
  disable: "Disable log-in (the profile stays)",
  enable: "Enable log-in",
  suspend: "Suspend",
  unsuspend: "Unsuspend",
};

export const action = formAction(async ({ request, context, form, params }) => {
  requirePermission(context, request, "access:moderation");
  const { domain } = context.scope;
  const accountId = params.id ?? "";
  const reason = String(form.get("reason") ?? "");
  switch (form.get("intent")) {
    case "moderate": {
      const command = String(form.get("command"));
      if (!accountCommands.includes(command as AccountCommand)) throw new DomainError("invalid", "Choose an action");
      if (command === "unlimit") await unlimit(domain, accountId, reason);
      else await moderate(domain, { command: command as Exclude<AccountCommand, "unlimit">, accountId, reason });
      return { notice: "Done, and recorded in the audit log." };
    }
    case "role": {
      const role = String(form.get("role"));
      if (!roles.includes(role as Role)) throw new DomainError("invalid", "Choose a role");
      await changeRole(domain, accountId, role as Role);
      return { notice: "Role changed." };
    }
    case "verify":
    case "unverify":
      await setVerified(domain, accountId, form.get("intent") === "verify");
      return { notice: "Badge changed." };
    case "approve":
      await approveSignUp(domain, accountId);
      return { notice: "Approved: the account can log in now." };
    case "reject":
      await rejectSignUp(domain, accountId);
      return redirect("/admin/accounts?status=pending");
    case "delete":
      if (form.get("confirm") !== "on") {
        throw new DomainError("unprocessable", "Tick the box to confirm", { fields: { confirm: "Tick the box to confirm" } });
      }
      await deleteAccountAsAdmin(domain, accountId, reason);
      return redirect("/admin/accounts");
    default:
      throw new DomainError("invalid", "Unknown action");
  }
});

const fieldClass = "rounded-lg border border-line bg-surface px-3 py-2";
const buttonClass = "rounded-full border border-line px-4 py-2 font-semibold";

export default function AdminAccount() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as (Partial<FormProblem> & { notice?: string }) | undefined;
  const values = result?.values ?? {};
  const { account } = data;
  const section = "border-t border-line px-4 py-4";
  return (
    <>
      <PageHeader title={`@${account.username}`} description={account.displayName} back="/admin/accounts" />
      <AdminNav current="/admin/accounts" isAdmin={data.isAdmin} />
      <div className="px-4 pt-3">
        <FormMessage error={result?.formError} notice={result?.notice} />
      </div>
      <section aria-labelledby="standing-heading" className="px-4 py-4">
        <h2 id="standing-heading" className="font-bold">
          Standing
        </h2>
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
          <dt className="text-muted">Status</dt>
          <dd>{data.status}</dd>
          <dt className="text-muted">Role</dt>
          <dd>{account.role}</dd>
          <dt className="text-muted">Media</dt>
          <dd>{account.sensitized ? "All marked sensitive" : "Sensitive as they choose"}</dd>
          <dt className="text-muted">Verified badge</dt>
          <dd>{account.verified ? "Yes" : "No"}</dd>
          <dt className="text-muted">Email confirmed</dt>
          <dd>{account.emailConfirmed ? "Yes" : "No"}</dd>
          <dt className="text-muted">Joined</dt>
          <dd>{account.createdAt}</dd>
          {data.restricted && (
            <>
              <dt className="text-muted">Email</dt>
              <dd className="break-all">{data.restricted.email}</dd>
            </>
          )}
        </dl>
        <p className="mt-2">
          <Link to={`/${account.username}`} className="text-accent underline">
            Public profile
          </Link>
        </p>
        {data.status === "pending" && (
          <>
            {account.reason && <p className="mt-2 break-words">{`Why they want to join: “${account.reason}”`}</p>}
            <Form method="post" className="mt-2 flex flex-wrap gap-2">
              <button type="submit" name="intent" value="approve" className={buttonClass}>
                Approve
              </button>
              <button type="submit" name="intent" value="reject" className={buttonClass}>
                Reject
              </button>
            </Form>
          </>
        )}
      </section>
      {!data.self && (
        <section aria-labelledby="act-heading" className={section}>
          <h2 id="act-heading" className="font-bold">
            Act on this account
          </h2>
          <Form method="post" className="mt-2 flex flex-col gap-2">
            <input type="hidden" name="intent" value="moderate" />
            <label htmlFor="account-command" className="text-sm font-medium">
              Action
            </label>
            <select id="account-command" name="command" defaultValue={values.command} className={fieldClass}>
              {accountCommands.map((command) => (
                <option key={command} value={command}>
                  {commandLabels[command]}
                </option>
              ))}
            </select>
            <label htmlFor="account-reason" className="text-sm font-medium">
              Reason (required; shown to the account unless it is a limit)
            </label>
            <input id="account-reason" name="reason" required maxLength={1000} defaultValue={values.reason} className={fieldClass} />
            <div>
              <SubmitButton intent="moderate">Apply</SubmitButton>
            </div>
          </Form>
          {data.isAdmin && (
            <>
              <Form method="post" className="mt-4 flex flex-col gap-2 sm:flex-row sm:items-end">
                <input type="hidden" name="intent" value="role" />
                <div className="flex flex-col gap-1">
                  <label htmlFor="account-role" className="text-sm font-medium">
                    Role
                  </label>
                  <select id="account-role" name="role" defaultValue={account.role} className={fieldClass}>
                    {roles.map((role) => (
                      <option key={role} value={role}>
                        {role}
                      </option>
                    ))}
                  </select>
                </div>
                <SubmitButton intent="role" variant="secondary">
                  Change role
                </SubmitButton>
              </Form>
              <Form method="post" className="mt-4">
                <button type="submit" name="intent" value={account.verified ? "unverify" : "verify"} className={buttonClass}>
                  {account.verified ? "Remove the verified badge" : "Give the verified badge"}
                </button>
              </Form>
              <Form method="post" className="mt-4 flex flex-col gap-2 rounded-lg border border-danger p-3">
                <input type="hidden" name="intent" value="delete" />
                <label htmlFor="delete-reason" className="text-sm font-medium">
                  Reason for deleting (for the audit log)
                </label>
                <input id="delete-reason" name="reason" maxLength={1000} className={fieldClass} />
                <label className="flex min-h-6 items-center gap-2">
                  <input type="checkbox" name="confirm" className="size-5" />
                  Delete @{account.username} and everything it posted, for good
                </label>
                <div>
                  <SubmitButton intent="delete" variant="danger">
                    Delete the account
                  </SubmitButton>
                </div>
              </Form>
            </>
          )}
        </section>
      )}
      <section aria-labelledby="reports-heading" className={section}>
        <h2 id="reports-heading" className="font-bold">
          Reports against it ({data.reports.length})
        </h2>
        <ul className="mt-2 flex flex-col gap-2">
          {data.reports.map((report) => (
            <li key={report.id} className="text-sm">
              {report.at}: {report.category} by @{report.reporter}
              {report.open ? " (open)" : " (closed)"}
              {report.comment ? ` — “${report.comment}”` : ""}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="strikes-heading" className={section}>
        <h2 id="strikes-heading" className="font-bold">
          Moderation actions ({data.actions.length})
        </h2>
        <ul className="mt-2 flex flex-col gap-2">
          {data.actions.map((action) => (
            <li key={action.id} className="text-sm">
              {action.at}: {action.kind} — {action.reason}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="posts-heading" className={section}>
        <h2 id="posts-heading" className="font-bold">
          Latest posts
        </h2>
        <ul className="mt-2 flex flex-col gap-2">
          {data.posts.map((post) => (
            <li key={post.id} className="rounded border border-line p-2 text-sm break-words">
              <p>{post.text}</p>
              <p className="text-muted">
                {post.at}
                {post.state ? ` · ${post.state}` : ""} ·{" "}
                <Link to={`/${account.username}/status/${post.id}`} className="text-accent underline">
                  Open<span className="sr-only"> the post of {post.at}</span>
                </Link>
              </p>
            </li>
          ))}
        </ul>
      </section>
      {data.restricted && (
        <section aria-labelledby="logins-heading" className={section}>
          <h2 id="logins-heading" className="font-bold">
            Addresses and log-ins (admins only)
          </h2>
          <ul className="mt-2 list-disc pl-5 text-sm">
            {data.restricted.ips.map((ip) => (
              <li key={ip.ip}>
                {ip.ip}, last used {ip.usedAt}
              </li>
            ))}
          </ul>
          <TableScroller label="Log-in history" className="mt-3">
            <table className="w-full text-left text-sm">
              <caption className="text-left font-medium">Log-in history</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Result</th>
                  <th scope="col">Address</th>
                  <th scope="col">Browser</th>
                </tr>
              </thead>
              <tbody>
                {data.restricted.logins.map((login) => (
                  <tr key={login.id}>
                    <td>{login.at}</td>
                    <td>{login.success ? `signed in (${login.method})` : `failed (${login.method})`}</td>
                    <td>{login.ip}</td>
                    <td className="break-all">{login.userAgent}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroller>
        </section>
      )}
    </>
  );
}
