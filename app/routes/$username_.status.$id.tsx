import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { DomainError } from "#domain/errors.ts";
import { postContext } from "#domain/posts/thread.ts";
import { PageHeader } from "#app/components/forms.tsx";
import { PostCard } from "#app/components/post-card.tsx";
import { presentPostCard } from "#app/presenters/post-card.server.ts";
import { notFound } from "#app/responses.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.focus.author.displayName} on Perch: “${data.summary}”` }] : [];

/** A post with its thread: what it replies to above, the conversation below, each as the viewer may see it. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const { domain, viewer } = context.scope;
  let thread: Awaited<ReturnType<typeof postContext>>;
  try {
    thread = await postContext(domain, viewer?.user.id ?? null, params.id ?? "");
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not_found") throw notFound("This post does not exist, or you cannot see it.");
    throw error;
  }
  const author = thread.focus.author.username;
  if (author.toLowerCase() !== (params.username ?? "").toLowerCase()) throw redirect(`/${author}/status/${thread.focus.post.id}`, 301);
  const focus = presentPostCard(thread.focus);
  return {
    now: Date.now(),
    focus,
    summary: thread.focus.post.text.slice(0, 80),
    ancestors: thread.ancestors.map(presentPostCard),
    descendants: thread.descendants.map(presentPostCard),
  };
}

export default function PostPage() {
  const { now, focus, ancestors, descendants } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Post" />
      {ancestors.length > 0 && (
        <section aria-label="Earlier in the thread">
          {ancestors.map((post) => (
            <PostCard key={post.rowId} post={post} now={now} />
          ))}
        </section>
      )}
      <div className="border-l-4 border-accent">
        <PostCard post={focus} now={now} />
      </div>
      <section aria-label="Replies">
        {descendants.length === 0 ? (
          <p className="px-4 py-6 text-center text-muted">No replies yet.</p>
        ) : (
          descendants.map((post) => <PostCard key={post.rowId} post={post} now={now} />)
        )}
      </section>
    </>
  );
}
