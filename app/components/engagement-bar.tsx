import { useFetcher, useLocation, useRouteLoaderData } from "@remix-run/react";
import type { PostCardData } from "#app/presenters/post-card.server.ts";
import { BookmarkIcon, HeartIcon, QuoteIcon, ReplyIcon, RepostIcon, ThumbDownIcon } from "./icons.tsx";

/** A toggle on a post. Private marks (bookmark, dislike) have no count: nobody else sees them. */
type Mark = { on: string; off: string; pressed: boolean; count: number | null; label: [string, string]; icon: typeof HeartIcon };

/**
 * Like, repost, bookmark and dislike as real forms (they work without JavaScript, then come back to this page); with
 * JavaScript they submit in place and show the new state at once, before the server answers.
 */
function MarkButton({ postId, mark }: { postId: string; mark: Mark }) {
  const fetcher = useFetcher({ key: `${mark.on}:${postId}` });
  const location = useLocation();
  const pending = fetcher.formData?.get("intent");
  const pressed = pending ? pending === mark.on : mark.pressed;
  const count = mark.count === null ? null : mark.count + (pending ? (pressed ? 1 : -1) * (mark.pressed === pressed ? 0 : 1) : 0);
  const Icon = mark.icon;
  return (
    <fetcher.Form method="post" action="/resources/engage">
      <input type="hidden" name="postId" value={postId} />
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <button
        type="submit"
        name="intent"
        value={pressed ? mark.off : mark.on}
        aria-pressed={pressed}
        className="flex items-center gap-1.5 rounded-full px-2 py-1 hover:bg-raised aria-pressed:text-accent"
      >
        <Icon />
        <span aria-hidden="true">{count ? count : ""}</span>
        <span className="sr-only">
          {count === null ? mark.label[0] : `${mark.label[0]}, ${count} ${count === 1 ? mark.label[1] : `${mark.label[1]}s`}`}
        </span>
      </button>
    </fetcher.Form>
  );
}

export function EngagementBar({ post }: { post: PostCardData }) {
  const signedIn = Boolean(useRouteLoaderData<{ viewer: unknown }>("root")?.viewer);
  const marks: Mark[] = [
    {
      on: "reblog",
      off: "unreblog",
      pressed: Boolean(post.viewer?.reblogged),
      count: post.counts.reposts,
      label: ["Repost", "repost"],
      icon: RepostIcon,
    },
    {
      on: "favourite",
      off: "unfavourite",
      pressed: Boolean(post.viewer?.favourited),
      count: post.counts.likes,
      label: ["Like", "like"],
      icon: HeartIcon,
    },
  ];
  return (
    <div className="mt-2 flex max-w-md items-center justify-between text-sm text-muted">
      <a href={`/${post.author.username}/status/${post.id}`} className="flex items-center gap-1.5 rounded-full px-2 py-1 hover:bg-raised">
        <ReplyIcon />
        <span aria-hidden="true">{post.counts.replies > 0 ? post.counts.replies : ""}</span>
        <span className="sr-only">{`Reply, ${post.counts.replies} ${post.counts.replies === 1 ? "reply" : "replies"}`}</span>
      </a>
      {signedIn ? (
        <>
          {marks.map((mark) => (
            <MarkButton key={mark.on} postId={post.id} mark={mark} />
          ))}
          {(post.visibility === "public" || post.visibility === "unlisted") && post.quotePolicy !== "nobody" && (
            <a href={`/?quote=${post.id}#compose`} className="flex items-center gap-1.5 rounded-full px-2 py-1 hover:bg-raised">
              <QuoteIcon />
              <span className="sr-only">Quote</span>
            </a>
          )}
          <MarkButton
            postId={post.id}
            mark={{
              on: "bookmark",
              off: "unbookmark",
              pressed: Boolean(post.viewer?.bookmarked),
              count: null,
              label: ["Bookmark", "bookmark"],
              icon: BookmarkIcon,
            }}
          />
          <MarkButton
            postId={post.id}
            mark={{
              on: "dislike",
              off: "undislike",
              pressed: Boolean(post.viewer?.disliked),
              count: null,
              label: ["Dislike (only you see this; shows you less like it)", "dislike"],
              icon: ThumbDownIcon,
            }}
          />
        </>
      ) : (
        <span className="flex gap-6" aria-label="Engagement">
          <span>{`${post.counts.reposts} reposts`}</span>
          <span>{`${post.counts.likes} likes`}</span>
        </span>
      )}
    </div>
  );
}
