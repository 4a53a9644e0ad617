import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { can } from "#domain/accounts/permissions.ts";
import { decideHeldPosts, heldPosts } from "#domain/moderation/review.ts";
import { presentReviewed } from "#app/admin.server.ts";
import { requirePermission } from "#app/auth/viewer.server.ts";
import { AdminNav, AdminSection, ReviewedPostView } from "#app/components/admin.tsx";
import { FormMessage, PageHeader } from "#app/components/forms.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Held posts · Admin");

/** Posts the pipeline held, oldest first, with its verdicts; moderators and admins only, checked on the server. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = requirePermission(context, request, "access:moderation");
  const held = await heldPosts(context.scope.domain, 50);
  return { isAdmin: can(viewer.user, "access:admin"), held: held.map(presentReviewed) };
}

export const action = formAction(async ({ request, context, form }) => {
  requirePermission(context, request, "access:moderation");
  const decision = form.get("decision") === "remove" ? "remove" : "approve";
  const decided = await decideHeldPosts(context.scope.domain, {
    postIds: form.getAll("postId").map(String),
    decision,
    reason: String(form.get("reason") ?? ""),
  });
  return { notice: `${decided} ${decided === 1 ? "post" : "posts"} ${decision === "remove" ? "removed" : "approved"}.` };
});

export default function AdminQueue() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as (Partial<FormProblem> & { notice?: string }) | undefined;
  const errors = result?.fieldErrors;
  return (
    <>
      <PageHeader title="Held posts" back="/admin" description="Only their authors see these until a moderator decides." />
      <AdminNav current="/admin/queue" isAdmin={data.isAdmin} />
      <div className="px-4 pt-3">
        <FormMessage error={result?.formError} notice={result?.notice} />
      </div>
      <AdminSection
        id="held-heading"
        title={`Held for review (${data.held.length})`}
        isEmpty={data.held.length === 0}
        empty="Nothing is waiting."
      >
        <Form method="post" className="mt-2 flex flex-col gap-3">
          <fieldset aria-describedby={errors?.postIds ? "held-error" : undefined}>
            <legend className="text-sm font-medium">Choose the posts to decide</legend>
            <ul className="mt-2 flex flex-col gap-3">
              {data.held.map((post) => (
                <li key={post.id} className="flex gap-3">
                  <input
                    id={`held-${post.id}`}
                    type="checkbox"
                    name="postId"
                    value={post.id}
                    defaultChecked={result?.values?.postId === post.id}
                    className="mt-2 size-6 shrink-0"
                  />
                  <label htmlFor={`held-${post.id}`} className="min-w-0 flex-1">
                    <span className="sr-only">Post by @{post.username}: </span>
                    <ReviewedPostView post={post} />
                  </label>
                </li>
              ))}
            </ul>
            {errors?.postIds && (
              <p id="held-error" className="text-sm font-medium text-danger">
                {errors.postIds}
              </p>
            )}
          </fieldset>
          <label htmlFor="held-reason" className="text-sm font-medium">
            Reason (required; a removed post's author is shown it)
          </label>
          <input
            id="held-reason"
            name="reason"
            required
            maxLength={1000}
            defaultValue={result?.values?.reason}
            aria-invalid={errors?.reason ? true : undefined}
            aria-describedby={errors?.reason ? "held-reason-error" : undefined}
            className="rounded-lg border border-line bg-surface px-3 py-2"
          />
          {errors?.reason && (
            <p id="held-reason-error" className="text-sm font-medium text-danger">
              {errors.reason}
            </p>
          )}
          <div className="flex flex-wrap gap-2">
            <button
              type="submit"
              name="decision"
              value="approve"
              className="min-h-11 rounded-full bg-accent px-5 font-semibold text-accent-ink"
            >
              Approve the chosen posts
            </button>
            <button type="submit" name="decision" value="remove" className="min-h-11 rounded-full bg-danger px-5 font-semibold text-white">
              Remove the chosen posts
            </button>
          </div>
        </Form>
      </AdminSection>
    </>
  );
}
