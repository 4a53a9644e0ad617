import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { fileReport, MAX_REPORTED_POSTS, type ReportCategory } from "#domain/moderation/reports.ts";
import { profileTimeline } from "#domain/timelines.ts";
import { accountOrNotFound } from "#app/accounts.server.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { ReportCategoryField, ReportCommentField } from "#app/components/report-fields.tsx";
import { domainProblem, readForm, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";
import { notFound } from "#app/responses.server.ts";
import { redirectWithToast } from "#app/toast.server.ts";

export const meta = titled("Report");

const RECENT_POSTS = 20;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const view = await accountOrNotFound(context.scope.domain, user.id, params.username ?? "");
  if (view.account.id === user.id) throw notFound("You cannot report yourself.");
  const recent = await profileTimeline(context.scope.domain, user.id, view, { limit: RECENT_POSTS }, { excludeReblogs: true });
  const chosen = new URL(request.url).searchParams.get("post");
  return {
    account: { id: view.account.id, username: view.account.username, displayName: view.account.displayName },
    chosen,
    posts: recent.items.map((shown) => ({ id: shown.post.id, text: shown.post.text || "(a post without text)" })),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user } = requireViewer(context, request);
  const form = await readForm(request);
  const view = await accountOrNotFound(context.scope.domain, user.id, params.username ?? "");
  const postIds = form.getAll("postIds").map(String);
  try {
    await fileReport(context.scope.domain, user.id, {
      targetAccountId: view.account.id,
      category: String(form.get("category") ?? "other") as ReportCategory,
      comment: String(form.get("comment") ?? ""),
      postIds,
    });
  } catch (error) {
    // The attached posts come back ticked: a form's typed values keep only one value per name.
    return domainProblem(form, error, { postIds });
  }
  return redirectWithToast(context, `/${view.account.username}`, {
    kind: "success",
    message: "Thank you: your report went to the moderators.",
  });
}

export default function Report() {
  const { account, chosen, posts } = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>() as (FormProblem & { postIds?: string[] }) | undefined;
  const values = problem?.values;
  const category = values?.category ?? "spam";
  return (
    <>
      <PageHeader
        title={`Report @${account.username}`}
        description="Reports go to this server's moderators only; the account is not told who reported it."
        back={`/${account.username}`}
      />
      <Form method="post" className="flex flex-col gap-5 px-4 py-4">
        <FormMessage error={problem?.formError} />
        <ReportCategoryField selected={category} error={problem?.fieldErrors.category} />
        {posts.length > 0 && (
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1 font-bold">Attach posts (up to {MAX_REPORTED_POSTS})</legend>
            {posts.map((post) => (
              <label key={post.id} className="flex items-start gap-3 rounded-lg p-2 hover:bg-raised">
                <input
                  type="checkbox"
                  name="postIds"
                  value={post.id}
                  defaultChecked={problem?.postIds ? problem.postIds.includes(post.id) : post.id === chosen}
                  className="mt-1"
                />
                <span className="line-clamp-3 break-words">{post.text}</span>
              </label>
            ))}
            {problem?.fieldErrors.postIds && <p className="text-sm font-medium text-danger">{problem.fieldErrors.postIds}</p>}
          </fieldset>
        )}
        <ReportCommentField value={values?.comment ?? ""} error={problem?.fieldErrors.comment} />
        <div>
          <SubmitButton pendingLabel="Sending…">Send report</SubmitButton>
        </div>
      </Form>
    </>
  );
}
