import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { Composer } from "#app/components/composer.tsx";
import { PageHeader } from "#app/components/forms.tsx";
import { composerAction, composerStart, submitComposer, type ComposerComeback } from "#app/compose.server.ts";
import { pageMeta } from "#app/meta.ts";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageMeta(matches, data?.draft.inReplyTo ? `Reply to @${data.draft.inReplyTo.username}` : "New post");

/**
 * The composer on a page of its own, open: where the phone's Post button leads, and where the collapsed "What's
 * happening?" line and a reply line go without JavaScript. It takes the same address parameters as the home page's
 * composer (?inReplyTo=, ?quote=, ?draft=, a redraft's fields).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  return {
    limit: context.scope.config.POST_MAX_CHARACTERS,
    defaultVisibility: viewer.user.defaultVisibility,
    ...(await composerStart(context, request)),
  };
}

export const action = composerAction(({ request, context, form, mediaIds }) => submitComposer(context, request, form, mediaIds));

export default function Compose() {
  const { limit, defaultVisibility, draft, later } = useLoaderData<typeof loader>();
  const problem = useActionData<ComposerComeback>();
  const back = draft.inReplyTo ? `/${draft.inReplyTo.username}/status/${draft.inReplyTo.id}` : "/";
  return (
    <>
      <PageHeader title={draft.inReplyTo ? "Reply" : "New post"} back={back} />
      <Composer limit={limit} defaultVisibility={defaultVisibility} draft={draft} later={later} problem={problem} open />
    </>
  );
}
