import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { createList, deleteList, listsOf } from "#domain/graph/lists.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { Field, FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";
import { EmptyState } from "#app/components/empty-state.tsx";
import { ListIcon } from "#app/components/icons.tsx";

export const meta = titled("Lists");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  return { lists: (await listsOf(context.scope.domain, user.id)).map((list) => ({ id: list.id, title: list.title })) };
}

export const action = formAction(async ({ request, context, form }) => {
  const { user } = requireViewer(context, request);
  if (form.get("intent") === "delete") {
    await deleteList(context.scope.domain, user.id, String(form.get("listId")));
    return null;
  }
  await createList(context.scope.domain, user.id, { title: String(form.get("title") ?? "") });
  return null;
});

export default function Lists() {
  const { lists } = useLoaderData<typeof loader>();
  const problem = useActionData<FormProblem | null>();
  return (
    <>
      <PageHeader title="Lists" description="Groups of people you follow, to read them apart." />
      {lists.length === 0 ? (
        <EmptyState icon={ListIcon} title="No lists yet">
          Make one below, then add people you follow to it.
        </EmptyState>
      ) : (
        <ul className="divide-y divide-line border-b border-line">
          {lists.map((list) => (
            <li key={list.id} className="flex items-center justify-between gap-4 px-4 py-3">
              <Link to={`/lists/${list.id}`} className="font-semibold hover:underline">
                {list.title}
              </Link>
              <Form method="post">
                <input type="hidden" name="intent" value="delete" />
                <input type="hidden" name="listId" value={list.id} />
                <button type="submit" className="rounded-full border border-line px-3 py-1.5 text-sm font-semibold">
                  Delete<span className="sr-only"> {list.title}</span>
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      <Form method="post" className="flex flex-col gap-3 px-4 py-4" noValidate>
        <FormMessage error={problem?.formError} />
        <Field
          label="New list"
          name="title"
          maxLength={100}
          required
          error={problem?.fieldErrors.title}
          defaultValue={problem?.values.title}
        />
        <div>
          <SubmitButton pendingLabel="Creating…">Create list</SubmitButton>
        </div>
      </Form>
    </>
  );
}
