import { useFetcher, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import type { PostCardData } from "#app/presenters/post-card.server.ts";
import { countOf, pluralOf } from "#app/plural.ts";
import { BookmarkIcon, HeartIcon, QuoteIcon, ReplyIcon, RepostIcon } from "./icons.tsx";
import { useReturnPath } from "./return-path.ts";

/** A toggle on a post: the intents that set and clear it, whether it is set, and its public count if it has one. */
export type Mark = { on: string; off: string; pressed: boolean; count: number | null };

/**
 * The state a mark shows: with JavaScript the new state shows at once, before the server answers (the fetcher's
 * pending intent); the count moves with it.
 */
function useMark(postId: string, mark: Mark) {
  const fetcher = useFetcher({ key: `${mark.on}:${postId}` });
  const pending = fetcher.formData?.get("intent");
  const pressed = pending ? pending === mark.on : mark.pressed;
  const count = mark.count === null ? null : mark.count + (pressed === mark.pressed ? 0 : pressed ? 1 : -1);
  return { fetcher, pressed, count };
}

/**
 * Like, repost, bookmark and dislike are real forms: without JavaScript they post and come back to this post on the
 * same page (the return path's anchor); with it they submit in place.
 */
export function MarkForm({
  postId,
  rowId,
  mark,
  className,
  title,
  children,
}: {
  postId: string;
  rowId: string;
  mark: Mark;
  className: string;
  title?: string;
  children: (state: { pressed: boolean; count: number | null }) => ReactNode;
}) {
  const { fetcher, pressed, count } = useMark(postId, mark);
  const returnPath = useReturnPath(`post-${rowId}`);
  return (
    <fetcher.Form method="post" action="/resources/engage">
      <input type="hidden" name="postId" value={postId} />
      <input type="hidden" name="redirectTo" value={returnPath} />
      <button type="submit" name="intent" value={pressed ? mark.off : mark.on} aria-pressed={pressed} title={title} className={className}>
        {children({ pressed, count })}
      </button>
    </fetcher.Form>
  );
}

/** Every action has the same width on every post, so the icons line up down the timeline whatever the counts are. */
const slot = "flex min-h-8 w-full items-center gap-1 rounded-full px-2 py-1 hover:bg-raised";

/** A count beside its icon, in a fixed-width slot; nothing for zero. */
function VisibleCount({ count }: { count: number | null }) {
  return (
    <span aria-hidden="true" className="min-w-[3ch] text-left tabular-nums">
      {count ? count : ""}
    </span>
  );
}

/** Repost and quote share one button, as on X: a menu (a <details>, so it works without JavaScript) offers both. */
function RepostMenu({ post, quotable }: { post: PostCardData; quotable: boolean }) {
  const mark: Mark = { on: "reblog", off: "unreblog", pressed: Boolean(post.viewer?.reblogged), count: post.counts.reposts };
  const { pressed, count } = useMark(post.id, mark);
  const item = "flex w-full items-center gap-3 px-4 py-2.5 text-left text-ink hover:bg-raised";
  return (
    <details className="group relative">
      <summary title="Repost or quote" className={`${slot} cursor-pointer list-none ${pressed ? "text-accent" : ""}`}>
        <RepostIcon />
        <VisibleCount count={count} />
        <span className="sr-only">{`Repost or quote, ${countOf(count ?? 0, { one: "repost", other: "reposts" })}${pressed ? ", reposted by you" : ""}`}</span>
      </summary>
      <div className="absolute left-0 z-10 mt-1 w-48 overflow-hidden rounded-lg border border-line bg-surface py-1 shadow-lg">
        <MarkForm postId={post.id} rowId={post.rowId} mark={mark} className={item}>
          {({ pressed }) => (
            <>
              <RepostIcon />
              {pressed ? "Undo repost" : "Repost"}
            </>
          )}
        </MarkForm>
        {quotable && (
          <a href={`/compose?quote=${post.id}`} className={item}>
            <QuoteIcon />
            Quote
          </a>
        )}
      </div>
    </details>
  );
}

/** Reply, repost or quote, like and bookmark, each named for screen readers and with a tooltip. */
export function EngagementBar({ post }: { post: PostCardData }) {
  const signedIn = Boolean(useRouteLoaderData<{ viewer: unknown }>("root")?.viewer);
  const replies = countOf(post.counts.replies, { one: "reply", other: "replies" });
  const quotable = (post.visibility === "public" || post.visibility === "unlisted") && post.quotePolicy !== "nobody";
  return (
    <div className="mt-2 grid max-w-md grid-cols-4 items-center text-sm text-muted">
      <a href={`/${post.author.username}/status/${post.id}#reply`} title="Reply" className={slot}>
        <ReplyIcon />
        <VisibleCount count={post.counts.replies} />
        <span className="sr-only">{`Reply, ${replies}`}</span>
      </a>
      {signedIn ? (
        <>
          <RepostMenu post={post} quotable={quotable} />
          <MarkForm
            postId={post.id}
            rowId={post.rowId}
            mark={{ on: "favourite", off: "unfavourite", pressed: Boolean(post.viewer?.favourited), count: post.counts.likes }}
            title="Like"
            className={`${slot} aria-pressed:text-accent`}
          >
            {({ count }) => (
              <>
                <HeartIcon />
                <VisibleCount count={count} />
                <span className="sr-only">{`Like, ${countOf(count ?? 0, { one: "like", other: "likes" })}`}</span>
              </>
            )}
          </MarkForm>
          <MarkForm
            postId={post.id}
            rowId={post.rowId}
            mark={{ on: "bookmark", off: "unbookmark", pressed: Boolean(post.viewer?.bookmarked), count: null }}
            title="Bookmark (only you see it)"
            className={`${slot} aria-pressed:text-accent`}
          >
            {() => (
              <>
                <BookmarkIcon />
                <span className="sr-only">Bookmark</span>
              </>
            )}
          </MarkForm>
        </>
      ) : (
        <>
          <span title="Reposts" className={slot}>
            <RepostIcon />
            <span className="tabular-nums">{post.counts.reposts}</span>
            <span className="sr-only">{` ${pluralOf(post.counts.reposts, { one: "repost", other: "reposts" })}`}</span>
          </span>
          <span title="Likes" className={slot}>
            <HeartIcon />
            <span className="tabular-nums">{post.counts.likes}</span>
            <span className="sr-only">{` ${pluralOf(post.counts.likes, { one: "like", other: "likes" })}`}</span>
          </span>
        </>
      )}
    </div>
  );
}
