import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { reportCategories } from "#db/schema/index.ts";
import { fileReport, MAX_REPORTED_POSTS, type ReportCategory } from "#domain/moderation/reports.ts";
import { profileTimeline } from "#domain/timelines.ts";
import { accountOrNotFound } from "#app/accounts.server.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { domainProblem, readForm, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";
import { notFound } from "#app/responses.server.ts";
import { redirectWithToast } from "#app/toast.server.ts";

export const meta = titled("Report");

/** What each category means, in the reporter's words. */
const categoryLabels: Record<ReportCategory, { label: string; hint: string }> = {
  spam: { label: "Spam", hint: "Ads, scams, repeated or automated posting." },
  harassment: { label: "Harassment", hint: "Targeting, threatening or bullying someone." },
  hate: { label: "Hate", hint: "Attacks on people for who they are." },
  violence: { label: "Violence", hint: "Threats, glorified or graphic violence." },
  sexual: { label: "Sexual content", hint: "Sexual content, or nudity not marked sensitive." },
  self_harm: { label: "Self-harm", hint: "Encouraging suicide or self-harm." },
  misinformation: { label: "Misinformation", hint: "False information that could cause harm." },
  illegal: { label: "Illegal", hint: "Something against the law." },
  other: { label: "Something else", hint: "Tell the moderators in the comment." },
};

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
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 font-bold">What is wrong?</legend>
          {reportCategories.map((value) => (
            <label key={value} className="flex items-start gap-3 rounded-lg p-2 hover:bg-raised">
              <input type="radio" name="category" value={value} defaultChecked={category === value} className="mt-1" />
              <span className="font-medium">
                {categoryLabels[value].label}
                <span className="block text-sm font-normal text-muted">{categoryLabels[value].hint}</span>
              </span>
            </label>
          ))}
          {problem?.fieldErrors.category && <p className="text-sm font-medium text-danger">{problem.fieldErrors.category}</p>}
        </fieldset>
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
        <div className="flex flex-col gap-1.5">
          <label htmlFor="report-comment" className="font-medium">
            Anything the moderators should know? (optional)
          </label>
          <textarea
            id="report-comment"
            name="comment"
            rows={4}
            maxLength={1000}
            defaultValue={values?.comment ?? ""}
            aria-invalid={problem?.fieldErrors.comment ? true : undefined}
            className="rounded-lg border border-line bg-surface px-3 py-2 text-ink"
          />
          {problem?.fieldErrors.comment && <p className="text-sm font-medium text-danger">{problem.fieldErrors.comment}</p>}
        </div>
        <div>
          <SubmitButton pendingLabel="Sending…">Send report</SubmitButton>
        </div>
      </Form>
    </>
  );
}
