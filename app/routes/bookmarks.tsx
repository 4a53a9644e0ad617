import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { pageRequestSchema } from "#domain/pagination.ts";
import { markedPosts } from "#domain/posts/removal.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { PageHeader } from "#app/components/forms.tsx";
import { PostCard } from "#app/components/post-card.tsx";
import { presentPostCard } from "#app/presenters/post-card.server.ts";
import { badRequest } from "#app/responses.server.ts";

export const meta: MetaFunction = () => [{ title: "Bookmarks · Perch" }];

/** The viewer's bookmarks, newest first: private, only ever shown to them. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const page = pageRequestSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!page.success) throw badRequest(page.error);
  const { posts, cursors } = await markedPosts(context.scope.domain, user.id, "bookmarks", page.data);
  return {
    now: Date.now(),
    posts: posts.map(presentPostCard),
    older: cursors.length === page.data.limit ? cursors.at(-1) : undefined,
  };
}

export default function Bookmarks() {
  const { now, posts, older } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Bookmarks" description="Only you can see what you bookmarked." />
      {posts.length === 0 ? (
        <p className="px-4 py-8 text-center text-muted">Nothing bookmarked yet. Use the bookmark button on a post to keep it here.</p>
      ) : (
        <section aria-label="Bookmarked posts">
          {posts.map((post) => (
            <PostCard key={post.rowId} post={post} now={now} />
          ))}
        </section>
      )}
      {older && (
        <nav aria-label="Older bookmarks" className="border-t border-line">
          <Link to={`?max_id=${older}`} className="block px-4 py-4 text-center font-semibold text-accent">
            Older bookmarks
          </Link>
        </nav>
      )}
    </>
  );
}
