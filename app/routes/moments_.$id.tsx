import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, redirect, useActionData, useLoaderData } from "@remix-run/react";
import { DomainError } from "#domain/errors.ts";
import {
  addToMoment,
  deleteMoment,
  momentLimits,
  moveInMoment,
  removeFromMoment,
  updateMoment,
  viewMoment,
} from "#domain/moments/moments.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { Field, FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { pageMeta } from "#app/meta.ts";
import { notFound } from "#app/responses.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, `Edit ${data?.title ?? "moment"}`);

/** Editing a moment: its details and cover, its posts in order (up, down, remove), and adding a post by its link. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const view = await viewMoment(context.scope.domain, user.id, params.id ?? "");
  if (view.moment.ownerId !== user.id) throw notFound();
  return {
    id: view.moment.id,
    username: user.username,
    title: view.moment.title,
    description: view.moment.description,
    visibility: view.moment.visibility,
    coverMediaId: view.moment.coverMediaId,
    items: view.items.map((item) => ({
      id: item.post.id,
      author: item.author.username,
      text: item.post.text.slice(0, 140),
      pictures: item.media
        .filter((media) => media.type === "image")
        .map((media) => ({ id: media.id, url: `/media/${media.previewKey ?? media.key}`, description: media.description })),
    })),
  };
}

/** A post's id from its page address (…/status/<id>) or the id itself. */
const postIdOf = (value: string) => value.trim().match(/(?:\/status\/)?(\d{1,19})\/?$/)?.[1] ?? value.trim();

export const action = formAction(async ({ request, params, context, form }) => {
  requireViewer(context, request);
  const { domain } = context.scope;
  const id = params.id ?? "";
  const postId = String(form.get("postId") ?? "");
  switch (form.get("intent")) {
    case "details":
      await updateMoment(domain, id, {
        title: String(form.get("title") ?? ""),
        description: String(form.get("description") ?? ""),
        visibility: form.get("visibility") === "unlisted" ? "unlisted" : "public",
        coverMediaId: form.get("coverMediaId") ? String(form.get("coverMediaId")) : null,
      });
      return null;
    case "add":
      await addToMoment(domain, id, postIdOf(String(form.get("post") ?? "")));
      return null;
    case "remove":
      await removeFromMoment(domain, id, postId);
      return null;
    case "up":
    case "down":
      await moveInMoment(domain, id, postId, form.get("intent") as "up" | "down");
      return null;
    case "delete":
      await deleteMoment(domain, id);
      return redirect("/moments");
    default:
      throw new DomainError("invalid", "Unknown action");
  }
});

function ItemButton({ intent, postId, label, name }: { intent: string; postId: string; label: string; name: string }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="postId" value={postId} />
      <button type="submit" className="min-h-11 min-w-11 rounded-full border border-line px-3 text-sm font-semibold">
        {label}
        <span className="sr-only"> {name}</span>
      </button>
    </Form>
  );
}

export default function EditMoment() {
  const data = useLoaderData<typeof loader>();
  const problem = useActionData<FormProblem | null>();
  const pictures = data.items.flatMap((item) => item.pictures);
  return (
    <>
      <PageHeader title={`Edit ${data.title}`} back={`/${data.username}/moments/${data.id}`} />
      <FormMessage error={problem?.formError} />
      <Form method="post" className="flex flex-col gap-3 border-b border-line px-4 py-4" noValidate>
        <input type="hidden" name="intent" value="details" />
        <Field
          label="Title"
          name="title"
          maxLength={momentLimits.title}
          required
          defaultValue={problem?.values.title ?? data.title}
          error={problem?.fieldErrors.title}
        />
        <Field
          label="Description"
          name="description"
          maxLength={momentLimits.description}
          defaultValue={problem?.values.description ?? data.description}
          error={problem?.fieldErrors.description}
        />
        <fieldset className="flex flex-col gap-1">
          <legend className="font-medium">Who can find it</legend>
          <label className="flex min-h-11 items-center gap-2">
            <input type="radio" name="visibility" value="public" defaultChecked={data.visibility === "public"} className="size-5" />
            Public: listed on your profile
          </label>
          <label className="flex min-h-11 items-center gap-2">
            <input type="radio" name="visibility" value="unlisted" defaultChecked={data.visibility === "unlisted"} className="size-5" />
            Unlisted: only people with the link
          </label>
        </fieldset>
        {pictures.length > 0 && (
          <fieldset className="flex flex-col gap-1">
            <legend className="font-medium">Cover</legend>
            <label className="flex min-h-11 items-center gap-2">
              <input type="radio" name="coverMediaId" value="" defaultChecked={!data.coverMediaId} className="size-5" />
              The first picture
            </label>
            {pictures.map((picture) => (
              <label key={picture.id} className="flex min-h-11 items-center gap-2">
                <input
                  type="radio"
                  name="coverMediaId"
                  value={picture.id}
                  defaultChecked={data.coverMediaId === picture.id}
                  className="size-5"
                />
                <img src={picture.url} alt="" width={48} height={48} className="size-12 rounded object-cover" />
                {picture.description || "A picture without a description"}
              </label>
            ))}
          </fieldset>
        )}
        <div>
          <SubmitButton intent="details" pendingLabel="Saving…">
            Save
          </SubmitButton>
        </div>
      </Form>
      <section aria-labelledby="moment-posts" className="border-b border-line py-3">
        <h2 id="moment-posts" className="px-4 font-bold">
          Posts ({data.items.length} of at most {momentLimits.items})
        </h2>
        <ol className="divide-y divide-line">
          {data.items.map((item, index) => {
            const name = `post ${index + 1} by @${item.author}`;
            return (
              <li key={item.id} className="flex flex-wrap items-center gap-2 px-4 py-2">
                <p className="min-w-0 flex-1 break-words">
                  <span className="font-semibold">@{item.author}</span> {item.text}
                </p>
                {index > 0 && <ItemButton intent="up" postId={item.id} label="Up" name={name} />}
                {index < data.items.length - 1 && <ItemButton intent="down" postId={item.id} label="Down" name={name} />}
                <ItemButton intent="remove" postId={item.id} label="Remove" name={name} />
              </li>
            );
          })}
        </ol>
        <Form method="post" className="flex flex-col gap-3 px-4 pt-3" noValidate>
          <input type="hidden" name="intent" value="add" />
          <Field label="Add a post" name="post" hint="Paste the post's link or id." defaultValue={problem?.values.post} required />
          <div>
            <SubmitButton intent="add" variant="secondary" pendingLabel="Adding…">
              Add post
            </SubmitButton>
          </div>
        </Form>
      </section>
      <Form method="post" className="px-4 py-4">
        <input type="hidden" name="intent" value="delete" />
        <SubmitButton intent="delete" variant="danger" pendingLabel="Deleting…">
          Delete this moment
        </SubmitButton>
      </Form>
    </>
  );
}
