import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useActionData, useLoaderData } from "@remix-run/react";
import { postContext } from "#domain/posts/thread.ts";
import { recordPostOpened } from "#domain/recommendations/interests.ts";
import { postsLike } from "#domain/recommendations/similar-posts.ts";
import { PageHeader } from "#app/components/forms.tsx";
import { PostCard } from "#app/components/post-card.tsx";
import { presentPostCard } from "#app/presenters/post-card.server.ts";
import { loadPostPage } from "#app/posts.server.ts";
import { Composer } from "#app/components/composer.tsx";
import { composerAction, publishFromForm, type ComposerComeback } from "#app/compose.server.ts";
import { instanceOf, shareMeta } from "#app/meta.ts";
import { EmptyState } from "#app/components/empty-state.tsx";
import { ReplyIcon } from "#app/components/icons.tsx";
import { openLiveSocket } from "#app/live-socket.ts";
import { useEffect, useRef, useState } from "react";
import { noteShown } from "#workers/platform/impressions.ts";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [];
  const title = `${data.focus.author.displayName} on ${instanceOf(matches).title}: “${data.summary}”`;
  return [
    { title },
    { name: "description", content: data.share.description },
    ...shareMeta(matches, { ...data.share, title, type: "article" }),
  ];
};

/** How many posts "More like this" shows under the thread. */
const SIMILAR_ON_PAGE = 5;

/**
 * A post with its thread: what it replies to above, the conversation below, each as the viewer may see it, and "More
 * like this" after the replies. A signed-in viewer's opening of the page is their dwell signal (ADR 0039).
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { domain, viewer } = context.scope;
  const thread = await loadPostPage(
    { params, request },
    (id) => postContext(domain, viewer?.user.id ?? null, id),
    (found) => found.focus.author.username,
  );
  const focus = presentPostCard(thread.focus);
  const viewerId = viewer?.user.id ?? null;
  if (viewerId) await recordPostOpened(domain, viewerId, thread.focus.post);
  const similar = await postsLike(domain, viewerId, thread.focus.post, SIMILAR_ON_PAGE);
  await noteShown(context.scope, [thread.focus]);
  return {
    now: Date.now(),
    composer: viewer ? { limit: context.scope.config.POST_MAX_CHARACTERS, defaultVisibility: thread.focus.post.visibility } : null,
    focus,
    summary: thread.focus.post.spoilerText || thread.focus.post.text.slice(0, 80),
    share: shareOf(context.scope.origin, focus, thread.focus.post.text),
    ancestors: thread.ancestors.map(presentPostCard),
    descendants: thread.descendants.map(presentPostCard),
    similar: similar.map(presentPostCard),
  };
}

/**
 * What a shared link's preview shows: the text (only the content warning when there is one), and the first image
 * unless it is marked sensitive, else the author's avatar.
 */
function shareOf(origin: string, post: ReturnType<typeof presentPostCard>, source: string) {
  const image = post.sensitive || post.spoilerText ? undefined : post.media.find((item) => item.type === "image" || item.type === "gifv");
  const text = post.spoilerText ? `Content warning: ${post.spoilerText}` : source.replace(/\s+/g, " ").trim();
  return {
    description: text.length > 200 ? `${text.slice(0, 199)}…` : text,
    url: `${origin}/${post.author.username}/status/${post.id}`,
    image: new URL(image ? (image.previewUrl ?? image.url) : post.author.avatar, origin).href,
    largeImage: Boolean(image),
  };
}

/** Replying from the post page; the reply joins the thread below. */
export const action = composerAction(async ({ context, form, mediaIds }) => {
  await publishFromForm(context, form, mediaIds);
  return null;
});

type Counts = ReturnType<typeof presentPostCard>["counts"];

/**
 * The post's counts kept live while the page is open, for a signed-in viewer: the page's own socket on Perch's
 * perch:status stream (docs/decisions/0034). Without JavaScript the loader's counts stand; a new load supersedes these.
 */
function useLiveCounts(postId: string, served: Counts, signedIn: boolean): Counts {
  const [live, setLive] = useState<{ served: Counts; counts: Counts }>();
  const latest = useRef(served);
  useEffect(() => {
    latest.current = served;
  }, [served]);
  useEffect(() => {
    if (!signedIn) return;
    return openLiveSocket({ stream: "perch:status", status: postId }, (frame) => {
      if (frame.event !== "perch.status.counts" || !frame.payload) return;
      const { replies_count, reblogs_count, favourites_count } = JSON.parse(frame.payload) as Record<string, number>;
      setLive({ served: latest.current, counts: { replies: replies_count!, reposts: reblogs_count!, likes: favourites_count! } });
    });
  }, [postId, signedIn]);
  return live && live.served === served ? live.counts : served;
}

export default function PostPage() {
  const { now, focus: served, ancestors, descendants, similar, composer } = useLoaderData<typeof loader>();
  const counts = useLiveCounts(served.id, served.counts, Boolean(composer));
  const focus = { ...served, counts };
  const problem = useActionData<ComposerComeback | null>();
  return (
    <>
      <PageHeader title="Post" back={`/${focus.author.username}`} />
      {ancestors.length > 0 && (
        <section aria-label="Earlier in the thread">
          {ancestors.map((post) => (
            <PostCard key={post.rowId} post={post} now={now} />
          ))}
        </section>
      )}
      <div className="border-l-4 border-accent">
        <PostCard post={focus} now={now} detailed />
      </div>
      {composer && (
        <div id="reply" className="scroll-mt-4">
          <Composer
            key={descendants.length}
            limit={composer.limit}
            defaultVisibility={composer.defaultVisibility}
            problem={problem ?? undefined}
            inReplyToId={focus.id}
            placeholder={`Reply to @${focus.author.username}`}
          />
        </div>
      )}
      <section aria-label="Replies">
        {descendants.length === 0 ? (
          <EmptyState icon={ReplyIcon} title="No replies yet">
            {composer ? "Be the first to reply." : "Replies to this post will show here."}
          </EmptyState>
        ) : (
          descendants.map((post) => <PostCard key={post.rowId} post={post} now={now} />)
        )}
      </section>
      {similar.length > 0 && (
        <section aria-labelledby="more-like-this" className="border-t border-line">
          <h2 id="more-like-this" className="px-4 pt-3 pb-1 text-xl font-bold">
            More like this
          </h2>
          {similar.map((post) => (
            <PostCard key={post.rowId} post={post} now={now} />
          ))}
        </section>
      )}
    </>
  );
}
