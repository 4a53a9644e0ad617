import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { pageRequestSchema } from "#domain/pagination.ts";
import { publicTimeline } from "#domain/timelines.ts";
import { PostCard } from "#app/components/post-card.tsx";
import { presentPostCard } from "#app/presenters/post-card.server.ts";
import { badRequest } from "#app/responses.server.ts";

export const meta: MetaFunction = ({ matches }) => {
  const root = matches.find((match) => match.id === "root")?.data as { instance?: { title: string } } | undefined;
  return [{ title: `Latest posts · ${root?.instance?.title ?? "Perch"}` }];
};

/** The public timeline, paged with the same cursors as the API; the links work without JavaScript. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const page = pageRequestSchema.safeParse(Object.fromEntries(url.searchParams));
  if (!page.success) throw badRequest(page.error);
  const views = await publicTimeline(context.scope.domain, context.scope.viewer?.user.id ?? null, page.data);
  const posts = views.map(presentPostCard);
  const paging = page.data.max_id !== undefined || page.data.min_id !== undefined || page.data.since_id !== undefined;
  const link = (cursor: "max_id" | "min_id", id: string) => {
    const params = new URLSearchParams({ [cursor]: id });
    if (url.searchParams.has("limit")) params.set("limit", String(page.data.limit));
    return `/?${params}`;
  };
  const last = posts.at(-1);
  const first = posts[0];
  return {
    now: Date.now(),
    posts,
    older: last && posts.length === page.data.limit ? link("max_id", last.id) : undefined,
    newer: first && paging ? link("min_id", first.id) : undefined,
    paging,
  };
}

export default function PublicTimeline() {
  const { now, posts, older, newer, paging } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="sticky top-0 z-10 border-b border-line bg-canvas/85 px-4 py-3 backdrop-blur">
        <h1 className="text-xl font-bold">Latest posts</h1>
        <p className="text-sm text-muted">Public posts from everyone here, newest first.</p>
      </div>
      {newer && (
        <PageLink to={newer} rel="prev">
          Newer posts
        </PageLink>
      )}
      {posts.length > 0 ? (
        <section aria-label="Posts">
          {posts.map((post) => (
            <PostCard key={post.rowId} post={post} now={now} />
          ))}
        </section>
      ) : (
        <EmptyTimeline paging={paging} />
      )}
      {older && (
        <PageLink to={older} rel="next">
          Older posts
        </PageLink>
      )}
    </>
  );
}

function PageLink({ to, rel, children }: { to: string; rel: "next" | "prev"; children: string }) {
  return (
    <nav aria-label={rel === "next" ? "Older posts" : "Newer posts"} className="border-b border-line">
      <Link to={to} rel={rel} prefetch="intent" className="block px-4 py-4 text-center font-semibold text-accent hover:bg-raised">
        {children}
      </Link>
    </nav>
  );
}

function EmptyTimeline({ paging }: { paging: boolean }) {
  return (
    <div className="px-6 py-16 text-center">
      <p className="text-lg font-semibold">{paging ? "You've reached the end" : "Nothing posted yet"}</p>
      <p className="mt-2 text-muted">
        {paging ? (
          <Link to="/" className="text-accent underline underline-offset-2">
            Back to the newest posts
          </Link>
        ) : (
          "When people post publicly, their posts appear here."
        )}
      </p>
    </div>
  );
}
