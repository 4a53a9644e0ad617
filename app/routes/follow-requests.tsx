import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { acceptFollowRequest, pendingFollowRequests, rejectFollowRequest } from "#domain/graph/follows.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { AccountRow } from "#app/components/account-row.tsx";
import { PageHeader } from "#app/components/forms.tsx";
import { presentAccountRow } from "#app/presenters/account-row.server.ts";

export const meta: MetaFunction = () => [{ title: "Follow requests · Perch" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const page = await pendingFollowRequests(context.scope.domain, user.id, { limit: 40 });
  return { locked: user.locked, requests: page.accounts.map(presentAccountRow) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requireViewer(context, request);
  const form = await request.formData();
  const requester = String(form.get("accountId"));
  if (form.get("intent") === "accept") await acceptFollowRequest(context.scope.domain, user.id, requester);
  else if (form.get("intent") === "reject") await rejectFollowRequest(context.scope.domain, user.id, requester);
  else throw new Response("Unknown action", { status: 400 });
  return null;
}

export default function FollowRequests() {
  const { locked, requests } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Follow requests"
        description={locked ? "People who asked to follow you." : "Your account is open: anyone can follow you without asking."}
      />
      {requests.length === 0 ? (
        <p className="px-4 py-8 text-center text-muted">No one is waiting.</p>
      ) : (
        <ul className="divide-y divide-line">
          {requests.map((account) => (
            <AccountRow
              key={account.id}
              account={account}
              actions={[
                { intent: "accept", label: "Accept" },
                { intent: "reject", label: "Decline" },
              ]}
            />
          ))}
        </ul>
      )}
    </>
  );
}
