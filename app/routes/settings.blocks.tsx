import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { useActionData, useLoaderData } from "@remix-run/react";
import { blockedAccounts, mutedAccounts, unblock, unmute } from "#domain/graph/blocks.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { AccountRow } from "#app/components/account-row.tsx";
import { FormMessage } from "#app/components/forms.tsx";
import { PageLink } from "#app/components/page-link.tsx";
import { SettingsSection } from "#app/components/settings-section.tsx";
import { formAction } from "#app/forms.server.ts";
import { pageLinks, pageRequestOf } from "#app/paging.server.ts";
import { presentAccountRow } from "#app/presenters/account-row.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Blocked and muted");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const [blockedPage, mutedPage] = [pageRequestOf(request, "blocked_"), pageRequestOf(request, "muted_")];
  const [blocked, muted] = await Promise.all([blockedAccounts(domain, user.id, blockedPage), mutedAccounts(domain, user.id, mutedPage)]);
  return {
    blocked: blocked.items.map(presentAccountRow),
    olderBlocked: pageLinks(request, blockedPage, blocked, "blocked_").older,
    muted: muted.items.map((account) => ({ ...presentAccountRow(account), until: account.muteExpiresAt?.toISOString() ?? null })),
    olderMuted: pageLinks(request, mutedPage, muted, "muted_").older,
  };
}

export const action = formAction(async ({ request, context, form }) => {
  const { user } = requireViewer(context, request);
  const accountId = String(form.get("accountId"));
  if (form.get("intent") === "unblock") await unblock(context.scope.domain, user.id, accountId);
  else if (form.get("intent") === "unmute") await unmute(context.scope.domain, user.id, accountId);
  else throw new Response("Unknown action", { status: 400 });
  return null;
});

export default function BlockedAndMuted() {
  const { blocked, olderBlocked, muted, olderMuted } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const formError = result && "formError" in result ? result.formError : undefined;
  return (
    <>
      <FormMessage error={formError} />
      <SettingsSection id="blocked-heading" title="Blocked accounts" description="You and they cannot see or reach each other.">
        {blocked.length === 0 ? (
          <p className="text-muted">You have not blocked anyone.</p>
        ) : (
          <ul className="-mx-4 divide-y divide-line">
            {blocked.map((account) => (
              <AccountRow key={account.id} account={account} actions={[{ intent: "unblock", label: "Unblock" }]} />
            ))}
          </ul>
        )}
        <PageLink to={olderBlocked} rel="next">
          More blocked accounts
        </PageLink>
      </SettingsSection>
      <SettingsSection
        id="muted-heading"
        title="Muted accounts"
        description="Their posts and notifications are hidden from you; they are not told."
      >
        {muted.length === 0 ? (
          <p className="text-muted">You have not muted anyone.</p>
        ) : (
          <ul className="-mx-4 divide-y divide-line">
            {muted.map((account) => (
              <AccountRow
                key={account.id}
                account={account}
                actions={[
                  {
                    intent: "unmute",
                    label: account.until ? `Unmute (ends ${account.until.slice(0, 16).replace("T", " ")} UTC)` : "Unmute",
                  },
                ]}
              />
            ))}
          </ul>
        )}
        <PageLink to={olderMuted} rel="next">
          More muted accounts
        </PageLink>
      </SettingsSection>
    </>
  );
}
