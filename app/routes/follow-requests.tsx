import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { useActionData, useLoaderData } from "@remix-run/react";
import { acceptFollowRequest, pendingFollowRequests, rejectFollowRequest } from "#domain/graph/follows.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { AccountRow } from "#app/components/account-row.tsx";
import { FormMessage, PageHeader } from "#app/components/forms.tsx";
import { formAction } from "#app/forms.server.ts";
import { presentAccountRow } from "#app/presenters/account-row.server.ts";
import { pageLinks, pageRequestOf } from "#app/paging.server.ts";
import { PageLink } from "#app/components/page-link.tsx";
import { titled } from "#app/meta.ts";

export const meta = titled("Follow requests");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const pageRequest = pageRequestOf(request);
  const page = await pendingFollowRequests(context.scope.domain, user.id, pageRequest);
  return { locked: user.locked, requests: page.items.map(presentAccountRow), ...pageLinks(request, pageRequest, page) };
}

export const action = formAction(async ({ request, context, form }) => {
  const { user } = requireViewer(context, request);
  const requester = String(form.get("accountId"));
  if (form.get("intent") === "accept") await acceptFollowRequest(context.scope.domain, user.id, requester);
  else if (form.get("intent") === "reject") await rejectFollowRequest(context.scope.domain, user.id, requester);
  else throw new Response("Unknown action", { status: 400 });
  return null;
});

export default function FollowRequests() {
  const { locked, requests, older } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const formError = result && "formError" in result ? result.formError : undefined;
  return (
    <>
      <PageHeader
        title="Follow requests"
        description={locked ? "People who asked to follow you." : "Your account is open: anyone can follow you without asking."}
      />
      <FormMessage error={formError} />
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
      <PageLink to={older} rel="next">
        More requests
      </PageLink>
    </>
  );
}
