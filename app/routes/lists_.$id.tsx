import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { accountCollection } from "#domain/graph/follows.ts";
import { viewAccount } from "#domain/profiles/access.ts";
import { addToList, listMembersOf, ownList, removeFromList, updateList } from "#domain/graph/lists.ts";
import { listTimeline } from "#domain/timelines.ts";
import { listRepliesPolicies } from "#db/schema/index.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { AccountRow } from "#app/components/account-row.tsx";
import { Field, FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { SettingsSection } from "#app/components/settings-section.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { presentAccountRow } from "#app/presenters/account-row.server.ts";
import { pageMeta } from "#app/meta.ts";
import { PostCard } from "#app/components/post-card.tsx";
import { presentPostCard } from "#app/presenters/post-card.server.ts";
import { pageLinks, pageRequestOf } from "#app/paging.server.ts";
import { PageLink } from "#app/components/page-link.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { ListIcon } from "#app/components/icons.tsx";
import { noteShown } from "#workers/platform/impressions.ts";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title ?? "List");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const list = await ownList(domain, user.id, params.id ?? "");
  const pageRequest = pageRequestOf(request);
  const [timeline, members, following] = await Promise.all([
    listTimeline(domain, user.id, list.id, pageRequest),
    listMembersOf(domain, list.id),
    viewAccount(domain, user.id, { id: user.id }).then((self) => accountCollection(domain, user.id, self, "following", { limit: 40 })),
  ]);
  await noteShown(context.scope, timeline.items);
  const memberIds = new Set(members.map((member) => member.id));
  return {
    now: Date.now(),
    title: list.title,
    repliesPolicy: list.repliesPolicy,
    exclusive: list.exclusive,
    posts: timeline.items.map(presentPostCard),
    ...pageLinks(request, pageRequest, timeline),
    members: members.map(presentAccountRow),
    candidates: following.items.filter((account) => !memberIds.has(account.id)).map(presentAccountRow),
  };
}

export const action = formAction(async ({ request, params, context, form }) => {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const list = await ownList(domain, user.id, params.id ?? "");
  switch (form.get("intent")) {
    case "settings":
      await updateList(domain, user.id, list.id, {
        title: String(form.get("title") ?? ""),
        repliesPolicy: listRepliesPolicies.find((policy) => policy === form.get("repliesPolicy")),
        exclusive: form.get("exclusive") === "on",
      });
      return null;
    case "add":
      await addToList(domain, user.id, list.id, [String(form.get("accountId"))]);
      return null;
    case "remove":
      await removeFromList(domain, user.id, list.id, [String(form.get("accountId"))]);
      return null;
    default:
      throw new Response("Unknown action", { status: 400 });
  }
});

const repliesLabels: Record<(typeof listRepliesPolicies)[number], string> = {
  list: "Replies to members of this list",
  followed: "Replies to anyone you follow",
  none: "No replies to others",
};

export default function ListPage() {
  const { now, title, repliesPolicy, exclusive, posts, older, newer, members, candidates } = useLoaderData<typeof loader>();
  const problem = useActionData<FormProblem | null>();
  return (
    <>
      <PageHeader title={title} description="Posts and reposts by the people in this list, newest first." />
      <FormMessage error={problem?.formError} />
      <PageLink to={newer} rel="prev">
        Newer posts
      </PageLink>
      {posts.length === 0 ? (
        <EmptyState icon={ListIcon} title="No posts here yet">
          {members.length === 0 ? "Add people you follow below to see their posts here." : undefined}
        </EmptyState>
      ) : (
        <section aria-label={`Posts in ${title}`}>
          {posts.map((post) => (
            <PostCard key={post.rowId} post={post} now={now} />
          ))}
        </section>
      )}
      <PageLink to={older} rel="next">
        Older posts
      </PageLink>
      <SettingsSection id="settings-heading" title="Settings">
        <Form method="post" className="flex flex-col gap-3" noValidate>
          <input type="hidden" name="intent" value="settings" />
          <Field
            label="List name"
            name="title"
            defaultValue={problem?.values.title ?? title}
            maxLength={100}
            error={problem?.fieldErrors.title}
          />
          <label className="flex flex-col gap-1">
            <span className="font-semibold">Show replies</span>
            <select
              name="repliesPolicy"
              defaultValue={problem?.values.repliesPolicy ?? repliesPolicy}
              className="min-h-11 rounded-lg border border-line bg-canvas px-3"
            >
              {listRepliesPolicies.map((policy) => (
                <option key={policy} value={policy}>
                  {repliesLabels[policy]}
                </option>
              ))}
            </select>
          </label>
          <label className="flex min-h-11 items-center gap-3">
            <input
              type="checkbox"
              name="exclusive"
              defaultChecked={problem ? problem.values.exclusive === "on" : exclusive}
              className="size-6"
            />
            <span>Hide these people&apos;s posts from your Following feed</span>
          </label>
          <div>
            <SubmitButton intent="settings" pendingLabel="Saving…">
              Save
            </SubmitButton>
          </div>
        </Form>
      </SettingsSection>
      <SettingsSection id="members-heading" title={`In this list (${members.length})`}>
        <ul className="-mx-4 divide-y divide-line">
          {members.map((account) => (
            <AccountRow key={account.id} account={account} actions={[{ intent: "remove", label: "Remove" }]} />
          ))}
        </ul>
      </SettingsSection>
      <SettingsSection id="add-heading" title="Add people you follow">
        {candidates.length === 0 ? (
          <p className="text-muted">Everyone you follow is already here.</p>
        ) : (
          <ul className="-mx-4 divide-y divide-line">
            {candidates.map((account) => (
              <AccountRow key={account.id} account={account} actions={[{ intent: "add", label: "Add" }]} />
            ))}
          </ul>
        )}
      </SettingsSection>
    </>
  );
}
