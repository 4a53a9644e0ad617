import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { viewPost } from "#domain/posts/thread.ts";
import { requireViewer, safeRedirect } from "#app/auth/viewer.server.ts";
import { PageHeader } from "#app/components/forms.tsx";
import { DeleteConfirmation } from "#app/components/post-menu.tsx";
import { titled } from "#app/meta.ts";
import { loadPostPage } from "#app/posts.server.ts";

export const meta = titled("Delete post");

/**
 * "Delete this post?" as a page: where the post menu's Delete leads without JavaScript (with it, a dialog asks). Only
 * the author gets here; the form posts to the same action as the dialog.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const { post, author } = await loadPostPage(
    { params, request },
    (id) => viewPost(context.scope.domain, user.id, id),
    (view) => view.author.username,
  );
  if (post.authorId !== user.id) throw new Response("You can only delete your own posts.", { status: 403 });
  const path = `/${author.username}/status/${post.id}`;
  return { postId: post.id, text: post.text, back: safeRedirect(new URL(request.url).searchParams.get("redirectTo"), path) };
}

export default function DeletePost() {
  const { postId, text, back } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Delete post" />
      <div className="px-4 py-6">
        {text && <blockquote className="mb-4 rounded-lg border border-line px-3 py-2 break-words whitespace-pre-line">{text}</blockquote>}
        <DeleteConfirmation postId={postId} back={back} headingId="delete-heading" onCancel={back} />
      </div>
    </>
  );
}
