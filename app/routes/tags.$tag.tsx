import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { pageRequestSchema } from "#domain/pagination.ts";
import { tagTimeline } from "#domain/timelines.ts";
import { PageHeader } from "#app/components/forms.tsx";
import { PostCard } from "#app/components/post-card.tsx";
import { presentPostCard } from "#app/presenters/post-card.server.ts";
import { badRequest } from "#app/responses.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `#${data?.tag ?? ""} · Perch` }];

/** Public posts with a hashtag, newest first, where every hashtag in a post links to. */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const tag = (params.tag ?? "").replace(/^#/, "");
  const page = pageRequestSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!page.success) throw badRequest(page.error);
  const views = await tagTimeline(context.scope.domain, context.scope.viewer?.user.id ?? null, tag, page.data);
  const posts = views.map(presentPostCard);
  return { now: Date.now(), tag, posts, older: posts.length === page.data.limit ? posts.at(-1)?.id : undefined };
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
      {older && (
        <nav aria-label="Older posts" className="border-t border-line">
          <Link to={`?max_id=${older}`} rel="next" className="block px-4 py-4 text-center font-semibold text-accent">
            Older posts
          </Link>
        </nav>
      )}
    </>
  );
}
