import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { markedPosts } from "#domain/posts/removal.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { PageHeader } from "#app/components/forms.tsx";
import { PostCard } from "#app/components/post-card.tsx";
import { presentPostCard } from "#app/presenters/post-card.server.ts";
import { pageLinks, pageRequestOf } from "#app/paging.server.ts";
import { PageLink } from "#app/components/page-link.tsx";
import { titled } from "#app/meta.ts";
import { EmptyState } from "#app/components/empty-state.tsx";
import { BookmarkIcon } from "#app/components/icons.tsx";
import { noteShown } from "#workers/platform/impressions.ts";

export const meta = titled("Bookmarks");

/** The viewer's bookmarks, newest first: private, only ever shown to them. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const pageRequest = pageRequestOf(request);
  const page = await markedPosts(context.scope.domain, user.id, "bookmarks", pageRequest);
  await noteShown(context.scope, page.items);
  return { now: Date.now(), posts: page.items.map(presentPostCard), ...pageLinks(request, pageRequest, page) };
}

export default function Bookmarks() {
  const { now, posts, older } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Bookmarks" description="Only you can see what you bookmarked." />
      {posts.length === 0 ? (
        <EmptyState icon={BookmarkIcon} title="Nothing bookmarked yet" next={{ to: "/?feed=latest", label: "Find posts to keep" }}>
          Use the bookmark button on a post to keep it here.
        </EmptyState>
      ) : (
        <section aria-label="Bookmarked posts">
          {posts.map((post) => (
            <PostCard key={post.rowId} post={post} now={now} />
          ))}
        </section>
      )}
      <PageLink to={older} rel="next">
        Older bookmarks
      </PageLink>
    </>
  );
}
