import { Form, Link, useLocation } from "@remix-run/react";
import type { PostCardData } from "#app/presenters/post-card.server.ts";

/** The author's own actions on a post: edit, see earlier versions, delete, or delete and write it again. */
export function PostMenu({ post }: { post: PostCardData }) {
  const location = useLocation();
  const postPath = `/${post.author.username}/status/${post.id}`;
  const item = "block w-full px-4 py-2 text-left hover:bg-raised";
  return (
    <details className="relative ml-auto">
      <summary className="cursor-pointer list-none rounded-full px-2 text-muted hover:bg-raised">
        <span aria-hidden="true">···</span>
        <span className="sr-only">Your post: actions</span>
      </summary>
      <div className="absolute right-0 z-10 mt-1 w-52 overflow-hidden rounded-lg border border-line bg-surface py-1 text-sm shadow-lg">
        <Link to={`${postPath}/edit`} className={item}>
          Edit
        </Link>
        {post.editedAt && (
          <Link to={`${postPath}/history`} className={item}>
            Edit history
          </Link>
        )}
        <Form method="post" action="/resources/post">
          <input type="hidden" name="postId" value={post.id} />
          <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
          <button type="submit" name="intent" value="redraft" className={item}>
            Delete and redraft
          </button>
          <button type="submit" name="intent" value="delete" className={`${item} text-danger`}>
            Delete
          </button>
        </Form>
      </div>
    </details>
  );
}
