import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useId, useState } from "react";
import { viewPost } from "#domain/posts/thread.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { editFromForm, type EditComeback } from "#app/compose.server.ts";
import { AttachedMedia } from "#app/components/attached-media.tsx";
import { QuotePolicyField, Remaining } from "#app/components/composer.tsx";
import { MediaPicker } from "#app/components/media-picker.tsx";
import { PollFields } from "#app/components/poll-fields.tsx";
import { presentMedia } from "#app/presenters/post-card.server.ts";
import { FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { formAction } from "#app/forms.server.ts";
import { loadPostPage } from "#app/posts.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Edit post");

/** Only the author edits; anyone else is told so (they can see the post, so its existence is no secret). */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const { post, author, media, poll } = await loadPostPage(
    { params, request },
    (id) => viewPost(context.scope.domain, user.id, id),
    (view) => view.author.username,
  );
  if (post.authorId !== user.id) throw new Response("You can only edit your own posts.", { status: 403 });
  if (post.reblogOfId) throw new Response("A repost cannot be edited.", { status: 422 });
  return {
    post: {
      id: post.id,
      text: post.text,
      spoilerText: post.spoilerText,
      sensitive: post.sensitive,
      language: post.language ?? "",
      quotePolicy: post.quotePolicy,
    },
    media: media.map(presentMedia),
    poll: poll && {
      options: poll.options.map((option) => option.title),
      multiple: poll.poll.multiple,
      hideTotals: poll.poll.hideTotals,
      expiresAt: poll.poll.expiresAt.toISOString(),
    },
    path: `/${author.username}/status/${post.id}`,
    limit: context.scope.config.POST_MAX_CHARACTERS,
  };
}

export const action = formAction(async ({ params, request, context, form }) => {
  const edited = await editFromForm(context, request, params.id ?? "", form);
  return "post" in edited ? redirect(`/${edited.author.username}/status/${edited.post.id}`) : edited;
});

export default function EditPost() {
  const { post, media, poll, path, limit } = useLoaderData<typeof loader>();
  const problem = useActionData<EditComeback>();
  const id = useId();
  // After a refused edit, the files chosen for it come back as uploads, offered beside the post's own attachments.
  const attached = [...media, ...(problem?.uploads ?? []).filter((upload) => !media.some((item) => item.id === upload.id))];
  const values = problem?.values;
  const [text, setText] = useState(values?.text ?? post.text);
  return (
    <>
      <PageHeader title="Edit post" description="Earlier versions stay visible in the post's edit history." />
      <Form method="post" encType="multipart/form-data" className="flex flex-col gap-3 px-4 py-4">
        <FormMessage error={problem?.formError} />
        <label htmlFor={`${id}-text`} className="font-medium">
          Text
        </label>
        <textarea
          id={`${id}-text`}
          name="text"
          rows={5}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          aria-invalid={problem?.fieldErrors.text ? true : undefined}
          className="w-full rounded-lg border border-line bg-surface px-3 py-2 text-lg"
        />
        <div className="flex justify-between gap-3 text-sm">
          <span className="font-medium text-danger">{problem?.fieldErrors.text}</span>
          <Remaining text={text} limit={limit} />
        </div>
        <AttachedMedia id={id} media={attached} values={values} />
        <MediaPicker id={id} error={problem?.fieldErrors.media} attached={attached.length} />
        <PollFields id={id} problem={problem} current={poll ?? undefined} />
        <label htmlFor={`${id}-cw`} className="font-medium">
          Content warning (shown before the post)
        </label>
        <input
          id={`${id}-cw`}
          name="spoilerText"
          maxLength={500}
          defaultValue={values?.spoilerText ?? post.spoilerText}
          className="rounded-lg border border-line bg-surface px-3 py-2"
        />
        <label className="flex items-center gap-2">
          <input type="checkbox" name="sensitive" defaultChecked={values ? values.sensitive === "on" : post.sensitive} /> Mark media as
          sensitive
        </label>
        <label htmlFor={`${id}-language`} className="font-medium">
          Language (ISO code, e.g. en)
        </label>
        <input
          id={`${id}-language`}
          name="language"
          maxLength={3}
          defaultValue={values?.language ?? post.language}
          className="w-24 rounded-lg border border-line bg-surface px-3 py-2"
        />
        <QuotePolicyField id={id} defaultValue={values?.quotePolicy ?? post.quotePolicy} />
        <div className="flex items-center gap-4">
          <SubmitButton pendingLabel="Saving…">Save changes</SubmitButton>
          <Link to={path} className="text-accent underline">
            Cancel
          </Link>
        </div>
      </Form>
    </>
  );
}
