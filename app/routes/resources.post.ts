import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { deletePost } from "#domain/posts/removal.ts";
import { requireViewer, safeRedirect } from "#app/auth/viewer.server.ts";
import { actAndReturn } from "#app/toast.server.ts";

/**
 * Deleting from a post's menu. "Redraft" deletes too, then opens the composer with the text, content warning and
 * visibility it had (attachments go with the post).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  const form = await request.formData();
  const postId = String(form.get("postId") ?? "");
  const back = safeRedirect(form.get("redirectTo"));
  const intent = form.get("intent");
  if (intent !== "delete" && intent !== "redraft") throw new Response("Unknown action", { status: 400 });
  return actAndReturn(context, back, async () => {
    const { post } = await deletePost(context.scope.domain, viewer.user, postId);
    if (intent === "redraft") return { to: `/?${new URLSearchParams({ text: post.text, spoilerText: post.spoilerText, visibility: post.visibility })}#compose` };
    // The deleted post's own page is gone: from there, go to the author's profile.
    const to = back.includes(`/status/${postId}`) ? `/${viewer.user.username}` : back;
    return { to, toast: { kind: "success", message: "Your post was deleted." } };
  });
}
