import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { avatarPath } from "#domain/profiles/profile.ts";
import { highlightItemsFor } from "#domain/stories/highlights.ts";
import { StoryViewer } from "#app/components/story-viewer.tsx";
import { presentStoryItem } from "#app/presenters/story.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Highlight");

/**
 * A highlight, viewed like a story: `?item=` picks the item (the first by default); Previous and Next are links, so
 * it works without JavaScript. Items the viewer may not see are left out; a highlight with none for them is not found.
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
    author: { username: author.username, displayName: author.displayName || author.username, avatar: avatarPath(author) },
    items: items.map((view) => ({ ...presentStoryItem(view), href: `/highlights/${highlight.id}?item=${view.item.id}` })),
    index,
  };
}

export default function HighlightPage() {
  const { title, author, items, index } = useLoaderData<typeof loader>();
  return (
    <StoryViewer author={author} items={items} index={index} closeTo={`/${author.username}`}>
      <p className="truncate font-semibold">{title}</p>
    </StoryViewer>
  );
}
