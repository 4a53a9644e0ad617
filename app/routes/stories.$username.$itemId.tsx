import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { avatarPath } from "#domain/profiles/profile.ts";
import { ownHighlights, addToHighlight, createHighlight } from "#domain/stories/highlights.ts";
import { markStoryViewed, voteInStoryPoll } from "#domain/stories/interactions.ts";
import { replyToStory } from "#domain/stories/replies.ts";
import { addToStoryList } from "#domain/stories/settings.ts";
import { deleteStoryItem, reshareMention, viewStoryItem } from "#domain/stories/items.ts";
import { DomainError } from "#domain/errors.ts";
import { StoryViewer } from "#app/components/story-viewer.tsx";
import { FormMessage } from "#app/components/forms.tsx";
import { formAction } from "#app/forms.server.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { presentStoryItem } from "#app/presenters/story.server.ts";
import { titled } from "#app/meta.ts";
import { redirect } from "@remix-run/cloudflare";

export const meta = titled("Story");

/**
 * One story item, full screen: the page without JavaScript, the viewer with it. Opening it records the view (once;
 * the author's own are not counted). An item you may not see is not found; an expired one is gone (410) for its author.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const { domain, viewer } = context.scope;
  const viewerId = viewer?.user.id ?? null;
  const { view, items, index } = await viewStoryItem(domain, viewerId, params.itemId!);
  if (view.author.username.toLowerCase() !== params.username!.toLowerCase()) throw new DomainError("not_found", "Record not found");
  if (viewerId) await markStoryViewed(domain, viewerId, view.item.id);
  const own = viewerId === view.author.id;
  return {
    author: {
      id: view.author.id,
      username: view.author.username,
      displayName: view.author.displayName || view.author.username,
      avatar: avatarPath(view.author),
    },
    items: items.map(presentStoryItem),
    index,
    own,
    signedIn: Boolean(viewerId),
    me: viewer?.user.username ?? null,
    highlights: own ? (await ownHighlights(domain, viewerId!)).map(({ highlight }) => ({ id: highlight.id, title: highlight.title })) : [],
  };
}

export const action = formAction(async ({ request, context, form, params }) => {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const itemId = String(form.get("itemId") ?? params.itemId);
  const intent = form.get("intent");
  if (intent === "vote") await voteInStoryPoll(domain, user.id, itemId, Number(form.get("choice")));
  else if (intent === "reply") await replyToStory(domain, user.id, itemId, { kind: "reply", text: String(form.get("text") ?? "") });
  else if (intent === "react") await replyToStory(domain, user.id, itemId, { kind: "reaction", text: String(form.get("emoji") ?? "") });
  else if (intent === "mute") {
    // Their stories leave the tray; following them, and their posts, are unchanged.
    await addToStoryList(domain, user.id, "muted", String(form.get("authorId") ?? ""));
    return redirect("/");
  } else if (intent === "reshare") {
    const shared = await reshareMention(domain, itemId);
    return redirect(`/stories/${user.username}/${shared.id}`);
  } else if (intent === "delete") {
    await deleteStoryItem(domain, user.id, itemId);
    return redirect("/");
  } else if (intent === "highlight") {
    const existing = String(form.get("highlightId") ?? "");
    if (existing) await addToHighlight(domain, user.id, existing, itemId);
    else await createHighlight(domain, user.id, { title: String(form.get("title") ?? ""), itemIds: [itemId] });
    return { notice: "Kept in your highlight" };
  } else throw new Response("Unknown action", { status: 400 });
  return { notice: intent === "vote" ? "Voted" : "Sent to the author as a message" };
});

export default function StoryItemPage() {
  const { author, items, index, own, signedIn, me, highlights } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const item = items[index]!;
  const error = result && "formError" in result ? result.formError : undefined;
  const notice = result && "notice" in result ? result.notice : undefined;
  return (
    <StoryViewer author={author} items={items} index={index} closeTo="/">
      <div className="flex min-w-0 flex-1 flex-col gap-2">
        <FormMessage error={error} notice={notice} />
        {own ? (
          <div className="flex flex-wrap items-center gap-2">
            <Link to={`/stories/${author.username}/${item.id}/viewers`} className="min-h-11 rounded-full bg-white/15 px-4 py-2">
              Viewers
            </Link>
            <Form method="post" className="flex flex-wrap items-center gap-1">
              <input type="hidden" name="intent" value="highlight" />
              <input type="hidden" name="itemId" value={item.id} />
              <label className="sr-only" htmlFor="highlightId">
                Highlight
              </label>
              <select id="highlightId" name="highlightId" className="rounded bg-white/15 p-2">
                <option value="">New highlight…</option>
                {highlights.map((highlight) => (
                  <option key={highlight.id} value={highlight.id}>
                    {highlight.title}
                  </option>
                ))}
              </select>
              <label className="sr-only" htmlFor="highlightTitle">
                New highlight's name
              </label>
              <input id="highlightTitle" name="title" placeholder="Name" className="w-24 rounded bg-white/15 p-2" />
              <button type="submit" className="min-h-11 rounded-full bg-white/15 px-3">
                Keep in highlight
              </button>
            </Form>
            <Form method="post">
              <input type="hidden" name="intent" value="delete" />
              <input type="hidden" name="itemId" value={item.id} />
              <button type="submit" className="min-h-11 rounded-full bg-red-700 px-3">
                Delete
              </button>
            </Form>
          </div>
        ) : (
          signedIn && (
            <div className="flex flex-wrap items-center gap-1">
              {item.mention && item.mention.toLowerCase() === me?.toLowerCase() && (
                <Form method="post">
                  <input type="hidden" name="intent" value="reshare" />
                  <input type="hidden" name="itemId" value={item.id} />
                  <button type="submit" className="min-h-11 rounded-full bg-white px-3 font-semibold text-black">
                    Add to your story
                  </button>
                </Form>
              )}
              <Form method="post" className="flex min-w-48 flex-1 gap-1">
                <input type="hidden" name="intent" value="reply" />
                <input type="hidden" name="itemId" value={item.id} />
                <label htmlFor="reply" className="sr-only">
                  Reply to {author.displayName}
                </label>
                <input
                  id="reply"
                  name="text"
                  placeholder={`Reply to ${author.displayName}…`}
                  className="min-w-0 flex-1 rounded-full bg-white/15 px-3 py-2"
                />
                <button type="submit" className="min-h-11 shrink-0 rounded-full bg-white/15 px-3">
                  Send
                </button>
              </Form>
              <Form method="post">
                <input type="hidden" name="intent" value="mute" />
                <input type="hidden" name="authorId" value={author.id} />
                <button type="submit" className="min-h-11 rounded-full bg-white/15 px-3">
                  Mute story<span className="sr-only">{` of @${author.username}`}</span>
                </button>
              </Form>
              <Form method="post">
                <input type="hidden" name="intent" value="react" />
                <input type="hidden" name="itemId" value={item.id} />
                <input type="hidden" name="emoji" value="❤️" />
                <button type="submit" aria-label="React with a heart" className="min-h-11 min-w-11 rounded-full bg-white/15">
                  ❤️
                </button>
              </Form>
            </div>
          )
        )}
      </div>
    </StoryViewer>
  );
}
