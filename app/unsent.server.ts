import { redirect, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { deleteDraft, draftsPage, failedCount, publishDraft, reschedule, type DraftKind, type DraftView } from "#domain/posts/drafts.ts";
import { requireViewer } from "./auth/viewer.server.ts";
import { formAction, formProblem } from "./forms.server.ts";
import { pageLinks, pageRequestOf } from "./paging.server.ts";
import { presentMedia } from "./presenters/post-card.server.ts";
import { instantOf, localValueOf, readableIn, timeZoneOf } from "./time-zones.server.ts";
import { redirectWithToast } from "./toast.server.ts";

/** Where each kind of unsent post is listed. */
export const unsentPaths: Record<DraftKind, string> = { draft: "/drafts", scheduled: "/scheduled" };

/** A draft or scheduled post as its list shows it, times in the reader's zone. */
function presentUnsent({ draft, media }: DraftView, zone: string) {
  return {
    id: draft.id,
    text: draft.text,
    morePosts: draft.thread.length,
    spoilerText: draft.spoilerText,
    visibility: draft.visibility,
    media: media.map(presentMedia),
    pollOptions: draft.poll?.options ?? [],
    replying: Boolean(draft.inReplyToId),
    quoting: Boolean(draft.quoteOfId),
    scheduledAt: draft.scheduledAt && {
      iso: draft.scheduledAt.toISOString(),
      local: localValueOf(draft.scheduledAt, zone),
      readable: readableIn(draft.scheduledAt, zone),
    },
    failure: draft.failure,
    updated: readableIn(draft.updatedAt, zone),
  };
}

export type UnsentItem = ReturnType<typeof presentUnsent>;

/** The viewer's drafts or scheduled posts, newest first, paged like every listing. */
export function unsentLoader(kind: DraftKind) {
  return async ({ request, context }: LoaderFunctionArgs) => {
    const { user } = requireViewer(context, request);
    const { domain } = context.scope;
    const pageRequest = pageRequestOf(request);
    const timeZone = timeZoneOf(request);
    const page = await draftsPage(domain, user.id, kind, pageRequest);
    return {
      kind,
      timeZone,
      items: page.items.map((view) => presentUnsent(view, timeZone)),
      failed: kind === "scheduled" ? await failedCount(domain, user.id) : 0,
      ...pageLinks(request, pageRequest, page),
    };
  };
}

/**
 * The buttons beside each listed post: publish it now (and open it), delete it, or give it a time (read in the zone
 * the form names). A refusal comes back beside that post, with what was typed.
 */
export function unsentAction(kind: DraftKind) {
  return formAction(async ({ request, context, form }) => {
    const viewer = requireViewer(context, request);
    const { domain } = context.scope;
    const id = String(form.get("draftId") ?? "");
    const intent = form.get("intent");
    if (intent === "publish") {
      const [first] = await publishDraft(domain, id, kind);
      return redirect(`/${viewer.user.username}/status/${first!.id}`);
    }
    if (intent === "delete") {
      await deleteDraft(domain, viewer.user.id, id, kind);
      const message = kind === "scheduled" ? "The scheduled post was cancelled." : "The draft was deleted.";
      return redirectWithToast(context, unsentPaths[kind], { kind: "success", message });
    }
    if (intent === "schedule") {
      const zone = String(form.get("timeZone") ?? "");
      const at = instantOf(String(form.get("scheduledAt") ?? ""), zone);
      if (!at)
        return formProblem(form, {
          formError: "Pick the date and time to publish it",
          fieldErrors: { scheduledAt: "Pick a date and time" },
        });
      await reschedule(domain, id, at, kind);
      return redirectWithToast(context, unsentPaths.scheduled, { kind: "success", message: `Scheduled for ${readableIn(at, zone)}.` });
    }
    throw new Response("Unknown action", { status: 400 });
  });
}
