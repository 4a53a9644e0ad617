import { redirect, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { avatarPath } from "#domain/profiles/profile.ts";
import { deleteHighlight, highlightItemsFor, updateHighlight } from "#domain/stories/highlights.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { FormMessage } from "#app/components/forms.tsx";
import { StoryViewer } from "#app/components/story-viewer.tsx";
import { formAction } from "#app/forms.server.ts";
import { presentStoryItem } from "#app/presenters/story.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Highlight");

/**
 * A highlight, viewed like a story: `?item=` picks the item (the first by default); Previous and Next are links, so
 * it works without JavaScript. Items the viewer may not see are left out; a highlight with none for them is not found.
 * Its owner edits it here: take the item out, move it earlier, make it the cover, rename or delete the highlight
 * (more items come from the archive or the story viewer).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain, viewer } = context.scope;
  const { highlight, items } = await highlightItemsFor(domain, viewer?.user.id ?? null, params.id!);
  const author = items[0]!.author;
  const asked = new URL(request.url).searchParams.get("item");
  const index = Math.max(
    0,
    items.findIndex((view) => view.item.id === asked),
  );
  return {
    title: highlight.title,
    own: viewer?.user.id === highlight.ownerId,
    cover: highlight.coverItemId,
    author: { username: author.username, displayName: author.displayName || author.username, avatar: avatarPath(author) },
    items: items.map((view) => ({ ...presentStoryItem(view), href: `/highlights/${highlight.id}?item=${view.item.id}` })),
    index,
  };
}

export const action = formAction(async ({ request, context, params, form }) => {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const id = params.id!;
  const intent = form.get("intent");
  const itemId = String(form.get("itemId") ?? "");
  if (intent === "delete") {
    await deleteHighlight(domain, user.id, id);
    return redirect(`/${user.username}`);
  }
  // The owner sees every item of their highlight, so this is its whole order.
  const itemIds = (await highlightItemsFor(domain, user.id, id)).items.map((view) => view.item.id);
  const at = itemIds.indexOf(itemId);
  if (intent === "rename") await updateHighlight(domain, user.id, id, { title: String(form.get("title") ?? "") });
  else if (intent === "cover") await updateHighlight(domain, user.id, id, { coverItemId: itemId });
  else if (intent === "remove") {
    await updateHighlight(domain, user.id, id, { itemIds: itemIds.filter((kept) => kept !== itemId) });
    return redirect(`/highlights/${id}`);
  } else if (intent === "earlier" && at > 0) {
    [itemIds[at - 1], itemIds[at]] = [itemIds[at]!, itemIds[at - 1]!];
    await updateHighlight(domain, user.id, id, { itemIds });
  } else if (intent !== "earlier") throw new Response("Unknown action", { status: 400 });
  return redirect(`/highlights/${id}?item=${itemId}`);
});

const button = "min-h-11 rounded-full bg-white/15 px-3";

export default function HighlightPage() {
  const { title, own, cover, author, items, index } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const item = items[index]!;
  const hidden = (intent: string) => (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="itemId" value={item.id} />
    </>
  );
  return (
    <StoryViewer author={author} items={items} index={index} closeTo={`/${author.username}`}>
      <div className="flex min-w-0 flex-1 flex-col gap-2">
        <p className="truncate font-semibold">{title}</p>
        {own && (
          <>
            <FormMessage error={result && "formError" in result ? result.formError : undefined} />
            <div className="flex flex-wrap items-center gap-1">
              {index > 0 && (
                <Form method="post">
                  {hidden("earlier")}
                  <button type="submit" className={button}>
                    Move earlier
                  </button>
                </Form>
              )}
              {item.id !== cover && (
                <Form method="post">
                  {hidden("cover")}
                  <button type="submit" className={button}>
                    Make cover
                  </button>
                </Form>
              )}
              <Form method="post">
                {hidden("remove")}
                <button type="submit" className={button}>
                  Remove from highlight
                </button>
              </Form>
              <Form method="post" className="flex items-center gap-1">
                {hidden("rename")}
                <label className="sr-only" htmlFor="highlight-title">
                  Highlight's name
                </label>
                <input id="highlight-title" name="title" defaultValue={title} className="w-28 rounded bg-white/15 p-2" />
                <button type="submit" className={button}>
                  Rename
                </button>
              </Form>
              <Form method="post">
                {hidden("delete")}
                <button type="submit" className="min-h-11 rounded-full bg-red-700 px-3">
                  Delete highlight
                </button>
              </Form>
            </div>
          </>
        )}
      </div>
    </StoryViewer>
  );
}
