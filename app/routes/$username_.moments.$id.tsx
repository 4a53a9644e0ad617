import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { viewMoment } from "#domain/moments/moments.ts";
import { PageHeader } from "#app/components/forms.tsx";
import { PostCard } from "#app/components/post-card.tsx";
import { pageMeta } from "#app/meta.ts";
import { presentPostCard } from "#app/presenters/post-card.server.ts";
import { notFound } from "#app/responses.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageMeta(matches, data?.title ?? "Moment", data?.description || undefined);

/** A moment: its cover, title and description, then its posts in the owner's order, each as this viewer may see it. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const { domain, viewer } = context.scope;
  const view = await viewMoment(domain, viewer?.user.id ?? null, params.id ?? "");
  if (view.owner.account.username.toLowerCase() !== (params.username ?? "").toLowerCase()) throw notFound();
  return {
    now: Date.now(),
    id: view.moment.id,
    title: view.moment.title,
    description: view.moment.description,
    unlisted: view.moment.visibility === "unlisted",
    owner: { username: view.owner.account.username, displayName: view.owner.account.displayName || view.owner.account.username },
    isOwner: viewer?.user.id === view.moment.ownerId,
    cover: view.cover,
    posts: view.items.map(presentPostCard),
  };
}

export default function MomentPage() {
  const { now, id, title, description, unlisted, owner, isOwner, cover, posts } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title={title} back={`/${owner.username}`} />
      {cover && <img src={cover.url} alt={cover.description} className="aspect-video w-full object-cover" />}
      <div className="flex flex-col gap-2 border-b border-line px-4 py-3">
        <p className="text-sm text-muted">
          A moment by{" "}
          <Link to={`/${owner.username}`} className="font-semibold text-ink underline">
            {owner.displayName}
          </Link>
          {unlisted ? " · Unlisted" : ""}
        </p>
        {description && <p>{description}</p>}
        {isOwner && (
          <p>
            <Link to={`/moments/${id}`} className="font-semibold text-accent underline">
              Edit this moment
            </Link>
          </p>
        )}
      </div>
      {posts.length === 0 ? (
        <p className="px-4 py-6 text-muted">No posts here that you can see.</p>
      ) : (
        <section aria-label="Posts in this moment">
          {posts.map((post) => (
            <PostCard key={post.rowId} post={post} now={now} />
          ))}
        </section>
      )}
    </>
  );
}
