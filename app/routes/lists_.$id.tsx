import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { accountCollection } from "#domain/graph/follows.ts";
import { viewAccount } from "#domain/profiles/access.ts";
import { addToList, listMembersOf, ownList, removeFromList, updateList } from "#domain/graph/lists.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { AccountRow } from "#app/components/account-row.tsx";
import { Field, FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { SettingsSection } from "#app/components/settings-section.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { presentAccountRow } from "#app/presenters/account-row.server.ts";
import { pageMeta } from "#app/meta.ts";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title ?? "List");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const list = await ownList(domain, user.id, params.id ?? "");
  const [members, following] = await Promise.all([
    listMembersOf(domain, list.id),
    viewAccount(domain, user.id, { id: user.id }).then((self) => accountCollection(domain, user.id, self, "following", { limit: 40 })),
  ]);
  const memberIds = new Set(members.map((member) => member.id));
  return {
    title: list.title,
    members: members.map(presentAccountRow),
    candidates: following.items.filter((account) => !memberIds.has(account.id)).map(presentAccountRow),
  };
}

export const action = formAction(async ({ request, params, context, form }) => {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const list = await ownList(domain, user.id, params.id ?? "");
  switch (form.get("intent")) {
    case "rename":
      await updateList(domain, user.id, list.id, { title: String(form.get("title") ?? "") });
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

export default function ListPage() {
  const { title, members, candidates } = useLoaderData<typeof loader>();
  const problem = useActionData<FormProblem | null>();
  return (
    <>
      <PageHeader title={title} />
      <FormMessage error={problem?.formError} />
      <SettingsSection id="rename-heading" title="Name">
        <Form method="post" className="flex flex-col gap-3" noValidate>
          <input type="hidden" name="intent" value="rename" />
          <Field
            label="List name"
            name="title"
            defaultValue={problem?.values.title ?? title}
            maxLength={100}
            error={problem?.fieldErrors.title}
          />
          <div>
            <SubmitButton intent="rename" pendingLabel="Saving…">
              Rename
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
