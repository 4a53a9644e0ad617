import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { addToHighlight, createHighlight, ownHighlights, storyArchive } from "#domain/stories/highlights.ts";
import { storyLimits } from "#domain/stories/limits.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { FormMessage, PageHeader } from "#app/components/forms.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Your story archive");

/**
 * Your private archive: your expired stories whose files are kept, newest first, each with its viewers while the author
 * may still read them (48 hours) and a form to keep it in a highlight, new or existing. Only you see it.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const [items, highlights] = await Promise.all([storyArchive(domain, user.id), ownHighlights(domain, user.id)]);
  const now = Date.now();
  return {
    username: user.username,
    items: items.map((item) => ({
      id: item.id,
      thumbnail: `/media/${item.previewKey ?? item.key}`,
      video: item.mediaType === "video" && !item.previewKey,
      altText: item.altText,
      overlay: item.overlayText,
      postedAt: item.createdAt.toISOString(),
      viewersOpen: now < item.expiresAt.getTime() + storyLimits.viewersAfterExpiryMs,
      inHighlights: highlights.filter(({ itemIds }) => itemIds.includes(item.id)).map(({ highlight }) => highlight.title),
    })),
    highlights: highlights.map(({ highlight }) => ({ id: highlight.id, title: highlight.title })),
  };
}

export const action = formAction(async ({ request, context, form }) => {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const itemId = String(form.get("itemId") ?? "");
  const existing = String(form.get("highlightId") ?? "");
  if (existing) await addToHighlight(domain, user.id, existing, itemId);
  else await createHighlight(domain, user.id, { title: String(form.get("title") ?? ""), itemIds: [itemId] });
  return { notice: "Kept in your highlight" };
});

export default function StoryArchive() {
  const { username, items, highlights } = useLoaderData<typeof loader>();
  const result = useActionData<FormProblem | { notice: string }>();
  return (
    <>
      <PageHeader
        title="Your story archive"
        description="Your expired stories, kept privately while your archive is on. Keep any of them in a highlight on your profile."
        back="/settings/stories"
      />
      <div className="px-4 pt-3">
        <FormMessage
          error={result && "formError" in result ? result.formError : undefined}
          notice={result && "notice" in result ? result.notice : undefined}
        />
      </div>
      {items.length === 0 ? (
        <p className="px-4 py-8 text-center text-muted">Nothing in your archive yet: stories come here when their 24 hours end.</p>
      ) : (
        <ul aria-label="Archived stories" className="divide-y divide-line">
          {items.map((item, position) => (
            <li key={item.id} className="flex gap-3 px-4 py-3">
              {item.video ? (
                <span className="flex h-28 w-16 shrink-0 items-center justify-center rounded bg-raised text-xs">Video</span>
              ) : (
                <img src={item.thumbnail} alt={item.altText} width={64} height={112} className="h-28 w-16 shrink-0 rounded object-cover" />
              )}
              <div className="flex min-w-0 flex-1 flex-col gap-2">
                <p className="text-sm">
                  <time dateTime={item.postedAt}>{item.postedAt.slice(0, 16).replace("T", " ")} UTC</time>
                  {item.overlay && <span className="block truncate font-semibold">{item.overlay}</span>}
                  {item.inHighlights.length > 0 && <span className="block text-muted">In {item.inHighlights.join(", ")}</span>}
                </p>
                {item.viewersOpen && (
                  <Link to={`/stories/${username}/${item.id}/viewers`} className="min-h-6 self-start text-sm underline">
                    Viewers
                  </Link>
                )}
                <Form method="post" className="flex flex-wrap items-end gap-2">
                  <input type="hidden" name="itemId" value={item.id} />
                  <label className="flex flex-col text-sm">
                    Highlight
                    <select name="highlightId" className="rounded-lg border border-line bg-surface px-2 py-1.5 text-ink">
                      <option value="">New highlight…</option>
                      {highlights.map((highlight) => (
                        <option key={highlight.id} value={highlight.id}>
                          {highlight.title}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label className="flex flex-col text-sm">
                    New highlight's name
                    <input name="title" className="w-32 rounded-lg border border-line bg-surface px-2 py-1.5 text-ink" />
                  </label>
                  <button type="submit" className="min-h-6 rounded-full border border-line px-3 py-1.5 text-sm font-semibold">
                    Keep in highlight<span className="sr-only">{` (story ${position + 1})`}</span>
                  </button>
                </Form>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
