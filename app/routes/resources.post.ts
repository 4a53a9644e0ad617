import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import type { ShownPost } from "#domain/posts/hydrate.ts";
import { deletePost } from "#domain/posts/removal.ts";
import { requireViewer, safeRedirect } from "#app/auth/viewer.server.ts";
import { composerParams } from "#app/compose.server.ts";
import { readForm } from "#app/forms.server.ts";
import { actAndReturn } from "#app/toast.server.ts";

/**
 * Deleting from a post's menu. "Redraft" deletes too, keeping the attachments as uploads, then opens the composer with
 * everything the post had: text, settings, attachments, poll, the post it replied to or quoted.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  const form = await readForm(request);
  const postId = String(form.get("postId") ?? "");
  const back = safeRedirect(form.get("redirectTo"));
  const intent = form.get("intent");
  if (intent !== "delete" && intent !== "redraft") throw new Response("Unknown action", { status: 400 });
  return actAndReturn(context, back, async () => {
    const deleted = await deletePost(context.scope.domain, postId, { keepMedia: intent === "redraft" });
    if (intent === "redraft") return { to: `/compose?${redraftParams(deleted)}` };
    // The deleted post's own page is gone: from there, go to the author's profile.
    const to = back.includes(`/status/${postId}`) ? `/${viewer.user.username}` : back;
    return { to, toast: { kind: "success", message: "Your post was deleted." } };
  });
}

/** The composer's address parameters for a redraft: everything the deleted post had. */
function redraftParams({ post, media, poll }: ShownPost): URLSearchParams {
  return composerParams(
    post,
    media.map((attachment) => attachment.id),
    poll && { options: poll.options.map((option) => option.title), multiple: poll.poll.multiple, hideTotals: poll.poll.hideTotals },
  );
}
