import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { useActionData, useLoaderData } from "@remix-run/react";
import { acceptFriendship, cancelFriendRequest, friendRequestsOf, friendsOf, rejectFriendship, unfriend } from "#domain/graph/friends.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { AccountRow } from "#app/components/account-row.tsx";
import { FormMessage, PageHeader } from "#app/components/forms.tsx";
import { SettingsSection } from "#app/components/settings-section.tsx";
import { formAction } from "#app/forms.server.ts";
import { presentAccountRow } from "#app/presenters/account-row.server.ts";
import { titled } from "#app/meta.ts";
import { EmptyState } from "#app/components/empty-state.tsx";
import { PeopleIcon } from "#app/components/icons.tsx";

export const meta = titled("Friends");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const [friends, requests] = await Promise.all([friendsOf(domain, user.id), friendRequestsOf(domain, user.id)]);
  return {
    friends: friends.map(presentAccountRow),
    incoming: requests.incoming.map(presentAccountRow),
    outgoing: requests.outgoing.map(presentAccountRow),
  };
}

export const action = formAction(async ({ request, context, form }) => {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const other = String(form.get("accountId"));
  switch (form.get("intent")) {
    case "accept":
      return acceptFriendship(domain, user.id, other);
    case "decline":
      return rejectFriendship(domain, user.id, other);
    case "cancel":
      return cancelFriendRequest(domain, user.id, other);
    case "unfriend":
      return unfriend(domain, user.id, other);
    default:
      throw new Response("Unknown action", { status: 400 });
  }
});

export default function Friends() {
  const { friends, incoming, outgoing } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const formError = result && "formError" in result ? result.formError : undefined;
  return (
    <>
      <PageHeader title="Friends" description="Friends is mutual. Posts you share with friends only are seen by them alone." />
      <FormMessage error={formError} />
      {incoming.length > 0 && (
        <SettingsSection id="incoming-heading" title="Asking to be your friend">
          <ul className="-mx-4 divide-y divide-line">
            {incoming.map((account) => (
              <AccountRow
                key={account.id}
                account={account}
                actions={[
                  { intent: "accept", label: "Accept" },
                  { intent: "decline", label: "Decline" },
                ]}
              />
            ))}
          </ul>
        </SettingsSection>
      )}
      <SettingsSection id="friends-heading" title={`Your friends (${friends.length})`}>
        {friends.length === 0 ? (
          <EmptyState icon={PeopleIcon} title="No friends yet" next={{ to: "/?feed=latest", label: "Find people" }}>
            Use “Add friend” on someone’s profile.
          </EmptyState>
        ) : (
          <ul className="-mx-4 divide-y divide-line">
            {friends.map((account) => (
              <AccountRow key={account.id} account={account} actions={[{ intent: "unfriend", label: "Unfriend" }]} />
            ))}
          </ul>
        )}
      </SettingsSection>
      {outgoing.length > 0 && (
        <SettingsSection id="outgoing-heading" title="Waiting for their answer">
          <ul className="-mx-4 divide-y divide-line">
            {outgoing.map((account) => (
              <AccountRow key={account.id} account={account} actions={[{ intent: "cancel", label: "Cancel request" }]} />
            ))}
          </ul>
        </SettingsSection>
      )}
    </>
  );
}
