import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, useLoaderData } from "@remix-run/react";
import { setTagFollowed, viewTag } from "#domain/graph/followed-tags.ts";
import { DomainError } from "#domain/errors.ts";
import { emptyPage, type Page } from "#domain/pagination.ts";
import type { ShownPost } from "#domain/posts/hydrate.ts";
import { tagTimeline } from "#domain/timelines.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { formAction } from "#app/forms.server.ts";
import { PageHeader } from "#app/components/forms.tsx";
import { PostCard } from "#app/components/post-card.tsx";
import { presentPostCard } from "#app/presenters/post-card.server.ts";
import { pageLinks, pageRequestOf } from "#app/paging.server.ts";
import { PageLink } from "#app/components/page-link.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { HashIcon } from "#app/components/icons.tsx";
import { pageMeta } from "#app/meta.ts";
import { noteShown } from "#workers/platform/impressions.ts";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageMeta(matches, `#${data?.tag ?? ""}`, `Public posts tagged #${data?.tag ?? ""}, newest first.`);

/** Public posts with a hashtag, newest first, where every hashtag in a post links to. */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const tag = (params.tag ?? "").replace(/^#/, "");
  const pageRequest = pageRequestOf(request);
  const viewerId = context.scope.viewer?.user.id ?? null;
  const page = await tagTimeline(context.scope.domain, viewerId, tag, pageRequest).catch(unusedTagIsEmpty);
  const following = viewerId ? (await viewTag(context.scope.domain, viewerId, tag)).following : null;
  await noteShown(context.scope, page.items);
  return { now: Date.now(), tag, following, posts: page.items.map(presentPostCard), ...pageLinks(request, pageRequest, page) };
}

/** A hashtag nobody has used yet still has a page, empty, so that it can be followed before its first post. */
function unusedTagIsEmpty(error: unknown): Page<ShownPost> {
  if (error instanceof DomainError && error.kind === "not_found") return emptyPage();
  throw error;
}

/** Follow or unfollow the hashtag: its public posts come into the Following feed (docs/decisions/0022). */
export const action = formAction(async ({ params, request, context, form }) => {
  const viewer = requireViewer(context, request);
  const tag = await setTagFollowed(context.scope.domain, viewer.user.id, params.tag ?? "", form.get("intent") === "follow");
  return { following: tag.following };
});

export default function TagTimeline() {
  const { now, tag, following, posts, older } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title={`#${tag}`} description="Public posts with this hashtag, newest first." />
      {following !== null && (
        <Form method="post" className="border-b border-line px-4 py-3">
          <input type="hidden" name="intent" value={following ? "unfollow" : "follow"} />
          <button
            type="submit"
            className={`min-h-11 rounded-full px-4 font-semibold ${following ? "border border-line" : "bg-accent text-accent-ink"}`}
          >
            {following ? `Unfollow #${tag}` : `Follow #${tag}`}
          </button>
          <p className="mt-1 text-sm text-muted">
            {following ? "Public posts with it come into your Following feed." : "Get public posts with it in your Following feed."}
          </p>
        </Form>
      )}
      {posts.length === 0 ? (
        <EmptyState icon={HashIcon} title={`No public posts with #${tag} yet`} next={{ to: "/compose", label: "Write a post" }} />
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
