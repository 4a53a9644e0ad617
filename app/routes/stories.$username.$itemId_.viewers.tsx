import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { storyViewers } from "#domain/stories/interactions.ts";
import { ownItem } from "#domain/stories/items.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { AccountRow } from "#app/components/account-row.tsx";
import { PageHeader } from "#app/components/forms.tsx";
import { presentAccountRow } from "#app/presenters/account-row.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Story viewers");

/** Who viewed one of your story items, with the poll's results: yours only (anyone else gets 404), for 48 h after expiry. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const viewers = await storyViewers(domain, user.id, params.itemId!);
  const item = await ownItem(domain, user.id, params.itemId!);
  const options = item.pollOptionA && item.pollOptionB ? [item.pollOptionA, item.pollOptionB] : null;
  return {
    back: `/stories/${user.username}/${item.id}`,
    options,
    results: options ? options.map((_, option) => viewers.filter((viewer) => viewer.vote === option).length) : null,
    viewers: viewers.map((viewer) => ({ ...presentAccountRow(viewer.account), vote: viewer.vote })),
  };
}

export default function StoryViewers() {
  const { back, viewers, options, results } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Viewers"
        description={`${viewers.length} ${viewers.length === 1 ? "person" : "people"} viewed this story.`}
        back={back}
      />
      {options && results && (
        <section aria-labelledby="poll-results" className="border-b border-line px-4 py-3">
          <h2 id="poll-results" className="font-semibold">
            Poll results
          </h2>
          <ul>
            {options.map((option, position) => (
              <li key={option}>
                {option}: {results[position]}
              </li>
            ))}
          </ul>
        </section>
      )}
      {viewers.length === 0 ? (
        <p className="px-4 py-8 text-center text-muted">No one has viewed it yet.</p>
      ) : (
        <ul className="divide-y divide-line" aria-label="Viewers">
          {viewers.map((viewer) => (
            <AccountRow key={viewer.id} account={viewer} />
          ))}
        </ul>
      )}
    </>
  );
}
