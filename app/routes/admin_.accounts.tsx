import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { activeInvites, createInvite, revokeInvite } from "#domain/accounts/invites.ts";
import { can } from "#domain/accounts/permissions.ts";
import { registrationsMode, registrationsModes, setRegistrationsMode, type RegistrationsMode } from "#domain/accounts/registrations.ts";
import { DomainError } from "#domain/errors.ts";
import { accountStatuses, approveSignUp, rejectSignUp, searchAccounts, statusOf, type AccountStatus } from "#domain/moderation/accounts.ts";
import { requirePermission } from "#app/auth/viewer.server.ts";
import { AdminNav } from "#app/components/admin.tsx";
import { FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";
import { pageLinks, pageRequestOf } from "#app/paging.server.ts";

export const meta = titled("Accounts · Admin");

const statusLabels: Record<AccountStatus, string> = {
  active: "Active",
  pending: "Waiting for approval",
  limited: "Limited",
  disabled: "Log-in disabled",
  suspended: "Suspended",
};

const modeLabels: Record<RegistrationsMode, string> = {
  open: "Open: anyone can sign up",
  approval: "Approval: a moderator approves each sign-up",
  closed: "Closed: only people with an invite link",
};

const isStatus = (value: string | null): value is AccountStatus => accountStatuses.includes(value as AccountStatus);

/** Accounts for moderators: search, the sign-ups waiting for approval, invite links, and (admins) who may sign up. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = requirePermission(context, request, "access:moderation");
  const { domain, origin } = context.scope;
  const params = new URL(request.url).searchParams;
  const query = params.get("q")?.slice(0, 100) ?? "";
  const status = params.get("status");
  const pageRequest = pageRequestOf(request);
  const [page, mode, invites] = await Promise.all([
    searchAccounts(domain, { query, status: isStatus(status) ? status : undefined }, pageRequest),
    registrationsMode(domain),
    activeInvites(domain),
  ]);
  return {
    isAdmin: can(viewer.user, "update:instance:any"),
    query,
    status: isStatus(status) ? status : "",
    mode,
    invites: invites.map((invite) => ({
      id: invite.id,
      url: `${origin}/signup?invite=${invite.code}`,
      uses: invite.uses,
      maxUses: invite.maxUses,
      expiresAt: invite.expiresAt?.toISOString() ?? null,
    })),
    accounts: page.items.map((account) => ({
      id: account.id,
      username: account.username,
      displayName: account.displayName,
      email: account.email,
      role: account.role,
      status: statusOf(account),
      reason: account.signUpReason,
      createdAt: account.createdAt.toISOString(),
    })),
    links: pageLinks(request, pageRequest, page),
  };
}

export const action = formAction(async ({ request, context, form }) => {
  requirePermission(context, request, "access:moderation");
  const { domain } = context.scope;
  const intent = form.get("intent");
  const accountId = String(form.get("accountId") ?? "");
  switch (intent) {
    case "approve":
      await approveSignUp(domain, accountId);
      return { notice: "Approved: the account can log in now." };
    case "reject":
      await rejectSignUp(domain, accountId);
      return { notice: "Rejected: the sign-up was deleted." };
    case "registrations": {
      const mode = String(form.get("mode"));
      if (!registrationsModes.includes(mode as RegistrationsMode)) throw new DomainError("invalid", "Choose who may sign up");
      await setRegistrationsMode(domain, mode as RegistrationsMode);
      return { notice: "Registrations changed." };
    }
    case "invite":
      await createInvite(domain, {
        maxUses: form.get("maxUses") ? String(form.get("maxUses")) : null,
        expiresInHours: form.get("expiresInHours") ? String(form.get("expiresInHours")) : null,
      });
      return { notice: "Invite link made: it is listed below." };
    case "revoke-invite":
      await revokeInvite(domain, String(form.get("inviteId") ?? ""));
      return { notice: "Invite link revoked." };
    default:
      throw new DomainError("invalid", "Unknown action");
  }
});

const fieldClass = "rounded-lg border border-line bg-surface px-3 py-2";
const buttonClass = "rounded-full border border-line px-4 py-2 font-semibold";

export default function AdminAccounts() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as (Partial<FormProblem> & { notice?: string }) | undefined;
  const section = "border-t border-line px-4 py-4";
  return (
    <>
      <PageHeader title="Accounts" description="Search, review sign-ups and invite people." back="/admin" />
      <AdminNav current="/admin/accounts" isAdmin={data.isAdmin} />
      <div className="px-4 pt-3">
        <FormMessage error={result?.formError} notice={result?.notice} />
      </div>
      <section aria-labelledby="search-heading" className="px-4 py-4">
        <h2 id="search-heading" className="font-bold">
          Find accounts
        </h2>
        <Form method="get" className="mt-2 flex flex-col gap-2 sm:flex-row sm:items-end">
          <div className="flex flex-1 flex-col gap-1">
            <label htmlFor="account-query" className="text-sm font-medium">
              {data.isAdmin ? "Username, display name or email" : "Username or display name"}
            </label>
            <input id="account-query" name="q" type="search" defaultValue={data.query} maxLength={100} className={fieldClass} />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="account-status" className="text-sm font-medium">
              Status
            </label>
            <select id="account-status" name="status" defaultValue={data.status} className={fieldClass}>
              <option value="">Any</option>
              {accountStatuses.map((status) => (
                <option key={status} value={status}>
                  {statusLabels[status]}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className={buttonClass}>
            Search
          </button>
        </Form>
        {data.accounts.length === 0 && <p className="mt-3 text-muted">No accounts match.</p>}
        <ul className="mt-3 flex flex-col gap-3">
          {data.accounts.map((account) => (
            <li key={account.id} className="rounded-lg border border-line p-3">
              <p>
                <Link to={`/admin/accounts/${account.id}`} className="font-semibold text-accent underline">
                  @{account.username}
                </Link>{" "}
                {account.displayName}
              </p>
              <p className="text-sm text-muted">
                {statusLabels[account.status]} · {account.role}
                {account.email ? ` · ${account.email}` : ""} · joined {account.createdAt.slice(0, 10)}
              </p>
              {account.status === "pending" && (
                <>
                  {account.reason && <p className="mt-1 text-sm break-words">{`Why they want to join: “${account.reason}”`}</p>}
                  <Form method="post" className="mt-2 flex flex-wrap gap-2">
                    <input type="hidden" name="accountId" value={account.id} />
                    <button type="submit" name="intent" value="approve" className={buttonClass}>
                      Approve @{account.username}
                    </button>
                    <button type="submit" name="intent" value="reject" className={buttonClass}>
                      Reject @{account.username}
                    </button>
                  </Form>
                </>
              )}
            </li>
          ))}
        </ul>
        <nav aria-label="More accounts" className="mt-3 flex gap-4">
          {data.links.newer && (
            <Link to={data.links.newer} className="text-accent underline">
              Newer
            </Link>
          )}
          {data.links.older && (
            <Link to={data.links.older} className="text-accent underline">
              Older
            </Link>
          )}
        </nav>
      </section>
      <section aria-labelledby="registrations-heading" className={section}>
        <h2 id="registrations-heading" className="font-bold">
          Registrations
        </h2>
        {data.isAdmin ? (
          <Form method="post" className="mt-2 flex flex-col gap-2">
            <input type="hidden" name="intent" value="registrations" />
            <fieldset className="flex flex-col gap-2">
              <legend className="text-sm font-medium">Who may sign up</legend>
              {registrationsModes.map((mode) => (
                <label key={mode} className="flex min-h-6 items-center gap-2">
                  <input type="radio" name="mode" value={mode} defaultChecked={data.mode === mode} className="size-5" />
                  {modeLabels[mode]}
                </label>
              ))}
            </fieldset>
            <div>
              <SubmitButton intent="registrations">Save</SubmitButton>
            </div>
          </Form>
        ) : (
          <p className="mt-2">{modeLabels[data.mode]}</p>
        )}
      </section>
      <section aria-labelledby="invites-heading" className={section}>
        <h2 id="invites-heading" className="font-bold">
          Invite links
        </h2>
        <p className="text-sm text-muted">An invite lets someone sign up at once, even when registrations are closed or need approval.</p>
        <Form method="post" className="mt-2 flex flex-col gap-2 sm:flex-row sm:items-end">
          <input type="hidden" name="intent" value="invite" />
          <div className="flex flex-col gap-1">
            <label htmlFor="invite-uses" className="text-sm font-medium">
              Uses
            </label>
            <select id="invite-uses" name="maxUses" className={fieldClass}>
              <option value="">No limit</option>
              {[1, 5, 10, 25, 50, 100].map((uses) => (
                <option key={uses} value={uses}>
                  {uses}
                </option>
              ))}
            </select>
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="invite-expiry" className="text-sm font-medium">
              Expires after
            </label>
            <select id="invite-expiry" name="expiresInHours" defaultValue="168" className={fieldClass}>
              <option value="">Never</option>
              <option value="1">1 hour</option>
              <option value="24">1 day</option>
              <option value="168">1 week</option>
              <option value="720">30 days</option>
            </select>
          </div>
          <SubmitButton intent="invite" variant="secondary">
            Make an invite link
          </SubmitButton>
        </Form>
        {data.invites.length === 0 && <p className="mt-2 text-muted">No invite links in use.</p>}
        <ul className="mt-3 flex flex-col gap-3">
          {data.invites.map((invite) => (
            <li key={invite.id} className="rounded-lg border border-line p-3">
              <p className="text-sm break-all">
                <code>{invite.url}</code>
              </p>
              <p className="text-sm text-muted">
                Used {invite.uses}
                {invite.maxUses ? ` of ${invite.maxUses}` : ""} times
                {invite.expiresAt ? ` · expires ${invite.expiresAt.slice(0, 16).replace("T", " ")} UTC` : " · never expires"}
              </p>
              <Form method="post" className="mt-2">
                <input type="hidden" name="intent" value="revoke-invite" />
                <input type="hidden" name="inviteId" value={invite.id} />
                <button type="submit" className={buttonClass}>
                  Revoke
                </button>
              </Form>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
