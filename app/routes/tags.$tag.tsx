import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { tagTimeline } from "#domain/timelines.ts";
import { PageHeader } from "#app/components/forms.tsx";
import { PostCard } from "#app/components/post-card.tsx";
import { presentPostCard } from "#app/presenters/post-card.server.ts";
import { pageLinks, pageRequestOf } from "#app/paging.server.ts";
import { PageLink } from "#app/components/page-link.tsx";
import { pageMeta } from "#app/meta.ts";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageMeta(matches, `#${data?.tag ?? ""}`, `Public posts tagged #${data?.tag ?? ""}, newest first.`);

/** Public posts with a hashtag, newest first, where every hashtag in a post links to. */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const tag = (params.tag ?? "").replace(/^#/, "");
  const pageRequest = pageRequestOf(request);
  const page = await tagTimeline(context.scope.domain, context.scope.viewer?.user.id ?? null, tag, pageRequest);
  return { now: Date.now(), tag, posts: page.items.map(presentPostCard), ...pageLinks(request, pageRequest, page) };
}

export default function TagTimeline() {
  const { now, tag, posts, older } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title={`#${tag}`} description="Public posts with this hashtag, newest first." />
      {posts.length === 0 ? (
        <p className="px-4 py-8 text-center text-muted">{`No public posts with #${tag} yet.`}</p>
      ) : (
        <section aria-label={`Posts with #${tag}`}>
          {posts.map((post) => (
            <PostCard key={post.rowId} post={post} now={now} />
          ))}
        </section>
      )}
      <PageLink to={older} rel="next">
        Older posts
      </PageLink>
    </>
  );
}
