import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, Link, redirect, useActionData, useLoaderData } from "@remix-run/react";
import { createMoment, momentLimits, momentsOf } from "#domain/moments/moments.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { Field, FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Your moments");

/** Your moments, and a form to start one. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const { moments } = await momentsOf(context.scope.domain, user.id, user.id);
  return {
    username: user.username,
    moments: moments.map((moment) => ({ id: moment.id, title: moment.title, unlisted: moment.visibility === "unlisted" })),
  };
}

export const action = formAction(async ({ request, context, form }) => {
  requireViewer(context, request);
  const moment = await createMoment(context.scope.domain, {
    title: String(form.get("title") ?? ""),
    description: String(form.get("description") ?? ""),
    visibility: form.get("visibility") === "unlisted" ? "unlisted" : "public",
  });
  return redirect(`/moments/${moment.id}`);
});

export default function Moments() {
  const { username, moments } = useLoaderData<typeof loader>();
  const problem = useActionData<FormProblem | null>();
  return (
    <>
      <PageHeader title="Your moments" description="Posts you gathered under a title, to share as one." />
      {moments.length > 0 && (
        <ul className="divide-y divide-line border-b border-line">
          {moments.map((moment) => (
            <li key={moment.id} className="flex items-center justify-between gap-3 px-4 py-3">
              <Link to={`/${username}/moments/${moment.id}`} className="min-h-6 font-semibold hover:underline">
                {moment.title}
                {moment.unlisted ? <span className="font-normal text-muted"> · Unlisted</span> : null}
              </Link>
              <Link to={`/moments/${moment.id}`} className="rounded-full border border-line px-3 py-1.5 text-sm font-semibold">
                Edit<span className="sr-only"> {moment.title}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <Form method="post" className="flex flex-col gap-3 px-4 py-4" noValidate>
        <h2 className="font-bold">New moment</h2>
        <FormMessage error={problem?.formError} />
        <Field
          label="Title"
          name="title"
          maxLength={momentLimits.title}
          required
          error={problem?.fieldErrors.title}
          defaultValue={problem?.values.title}
        />
        <Field
          label="Description"
          name="description"
          maxLength={momentLimits.description}
          error={problem?.fieldErrors.description}
          defaultValue={problem?.values.description}
        />
        <fieldset className="flex flex-col gap-1">
          <legend className="font-medium">Who can find it</legend>
          <label className="flex min-h-11 items-center gap-2">
            <input
              type="radio"
              name="visibility"
              value="public"
              defaultChecked={problem?.values.visibility !== "unlisted"}
              className="size-5"
            />
            Public: listed on your profile
          </label>
          <label className="flex min-h-11 items-center gap-2">
            <input
              type="radio"
              name="visibility"
              value="unlisted"
              defaultChecked={problem?.values.visibility === "unlisted"}
              className="size-5"
            />
            Unlisted: only people with the link
          </label>
        </fieldset>
        <div>
          <SubmitButton pendingLabel="Creating…">Create moment</SubmitButton>
        </div>
      </Form>
    </>
  );
}
