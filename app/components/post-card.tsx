import { Link, useRouteLoaderData } from "@remix-run/react";
import type { PostBodyData, PostCardData } from "#app/presenters/post-card.server.ts";
import { countOf, pluralOf } from "#app/plural.ts";
import { EngagementBar } from "./engagement-bar.tsx";
import { PinIcon, RepostIcon } from "./icons.tsx";
import { LinkCard } from "./link-card.tsx";
import { PollView } from "./poll-view.tsx";
import { coversMedia } from "#domain/profiles/media-display.ts";
import { PostMedia, useMediaDisplay } from "./post-media.tsx";
import { PostMenu } from "./post-menu.tsx";
import { Reactions } from "./reactions.tsx";
import { RelativeTime } from "./relative-time.tsx";
import { RichText } from "./rich-text.tsx";

/** The text, media, poll and link card: what a content warning hides until it is opened. */
function PostBody({ post, now, canVote, anchor }: { post: PostBodyData; now: number; canVote: boolean; anchor: string }) {
  return (
    <>
      <RichText content={post.content} lang={post.language} emojis={post.emojis} />
      <PostMedia media={post.media} sensitive={post.sensitive} />
      {post.poll && <PollView poll={post.poll} now={now} canVote={canVote} anchor={anchor} />}
      {post.card && <LinkCard card={post.card} />}
    </>
  );
}

/** A post in a list or on its own page; `pinned` marks one shown above a profile's other posts. */
export function PostCard({
  post,
  now,
  detailed = false,
  pinned = false,
}: {
  post: PostCardData;
  now: number;
  detailed?: boolean;
  pinned?: boolean;
}) {
  const headingId = `post-${post.id}-author`;
  const viewer = useRouteLoaderData<{ viewer: { username: string } | null }>("root")?.viewer ?? null;
  const postPath = `/${post.author.username}/status/${post.id}`;
  return (
    // The id is the anchor a button's form comes back to without JavaScript; the margin keeps it clear of sticky headers.
    // data-post-id lets a live deletion find every card of the post (app/live-socket.ts).
    <article
      id={`post-${post.rowId}`}
      data-post-id={post.id}
      aria-labelledby={headingId}
      className="flex scroll-mt-20 flex-col border-b border-line px-4 py-3"
    >
      {pinned && (
        <p className="mb-1 flex items-center gap-2 pl-9 text-sm font-semibold text-muted">
          <PinIcon className="size-4" />
          Pinned
        </p>
      )}
      {post.repostedBy && (
        <p className="mb-1 flex items-center gap-2 pl-9 text-sm text-muted">
          <RepostIcon className="size-4" />
          <Link
            to={`/${post.repostedBy.username}`}
            className="inline-flex min-h-6 items-center hover:underline"
          >{`${post.repostedBy.displayName} reposted`}</Link>
        </p>
      )}
      <div className="flex gap-3">
        <img
          src={post.author.avatar}
          alt=""
          width={48}
          height={48}
          loading="lazy"
          decoding="async"
          className="size-12 shrink-0 rounded-full bg-raised"
        />
        <div className="min-w-0 flex-1">
          <header className="flex items-start gap-2">
            {/* The author line wraps within its own box, so the menu stays at the end of the first line. */}
            <div className="flex min-w-0 flex-1 flex-wrap items-baseline gap-x-2 text-[0.95rem]">
              <h2 id={headingId} className="font-bold">
                <Link to={`/${post.author.username}`} className="inline-flex min-h-6 items-center hover:underline">
                  {post.author.displayName}
                </Link>
                {post.author.bot && <span className="ml-1.5 rounded bg-raised px-1 text-xs font-normal text-muted">bot</span>}
              </h2>
              <span className="truncate text-muted">{`@${post.author.username}`}</span>
              <span aria-hidden="true" className="text-muted">
                ·
              </span>
              <Link to={postPath} className="inline-flex min-h-6 items-center text-muted hover:underline">
                <RelativeTime iso={post.createdAt} now={now} />
              </Link>
              {post.editedAt && (
                <Link
                  to={`${postPath}/history`}
                  className="inline-flex min-h-6 items-center text-sm text-muted underline-offset-2 hover:underline"
                >
                  Edited<span className="sr-only"> (see the earlier versions)</span>
                </Link>
              )}
            </div>
            {viewer && <PostMenu post={post} own={viewer.username === post.author.username} />}
          </header>
          {post.filteredBy.length > 0 ? (
            <details className="mt-1">
              <summary className="cursor-pointer font-medium">
                {`Filtered: ${post.filteredBy.join(", ")}`} <span className="text-sm text-muted">— Show anyway</span>
              </summary>
              <div className="mt-2">
                <PostBody post={post} now={now} canVote={Boolean(viewer)} anchor={`post-${post.rowId}`} />
              </div>
            </details>
          ) : post.spoilerText ? (
            <details className="mt-1">
              <summary className="cursor-pointer font-medium">
                {post.spoilerText} <span className="text-sm text-muted">(show post)</span>
              </summary>
              <div className="mt-2">
                <PostBody post={post} now={now} canVote={Boolean(viewer)} anchor={`post-${post.rowId}`} />
              </div>
            </details>
          ) : (
            <div className="mt-1">
              <PostBody post={post} now={now} canVote={Boolean(viewer)} anchor={`post-${post.rowId}`} />
            </div>
          )}
          {post.quote && <QuotedPost quote={post.quote} />}
          {detailed && <EngagementLinks post={post} postPath={postPath} />}
          <Reactions post={post} canReact={Boolean(viewer)} withPicker={detailed} />
          <EngagementBar post={post} />
        </div>
      </div>
    </article>
  );
}

/** On the post's own page: how many reposted and liked it, each a link to who did. */
function EngagementLinks({ post, postPath }: { post: PostCardData; postPath: string }) {
  return (
    <p className="mt-3 flex gap-4 border-y border-line py-2 text-sm">
      <Link to={`${postPath}/reposts`} className="hover:underline">
        <span className="font-semibold">{post.counts.reposts}</span>{" "}
        <span className="text-muted">{pluralOf(post.counts.reposts, { one: "Repost", other: "Reposts" })}</span>
      </Link>
      <Link to={`${postPath}/likes`} className="hover:underline">
        <span className="font-semibold">{post.counts.likes}</span>{" "}
        <span className="text-muted">{pluralOf(post.counts.likes, { one: "Like", other: "Likes" })}</span>
      </Link>
    </p>
  );
}

/**
 * The post a quote embeds, as a compact card: its author, its text cut to three lines and a thumbnail of its first
 * attachment (none when its media are covered for the reader), or a plain note that it is no longer available. The whole post is a link away.
 */
function QuotedPost({ quote }: { quote: NonNullable<PostCardData["quote"]> }) {
  const display = useMediaDisplay();
  if (quote === "unavailable")
    return <p className="mt-2 rounded-lg border border-line px-3 py-2 text-sm text-muted">This quoted post is unavailable.</p>;
  const [first] = quote.media;
  const covered = coversMedia(quote.sensitive, display);
  const thumbnail = first && !covered && !quote.spoilerText ? (first.previewUrl ?? (first.type === "image" ? first.url : null)) : null;
  return (
    <blockquote className="mt-2 flex gap-3 rounded-lg border border-line px-3 py-2 text-sm">
      <div className="min-w-0 flex-1">
        <p className="truncate">
          <span className="font-semibold">{quote.author.displayName}</span>{" "}
          <span className="text-muted">{`@${quote.author.username}`}</span>
        </p>
        {quote.spoilerText ? (
          <p className="mt-1 font-medium">{`Content warning: ${quote.spoilerText}`}</p>
        ) : (
          <div className="mt-1 line-clamp-3">
            <RichText content={quote.content} lang={quote.language} emojis={quote.emojis} />
          </div>
        )}
        {quote.media.length > 0 && !thumbnail && (
          <p className="mt-1 text-muted">{countOf(quote.media.length, { one: "attachment", other: "attachments" })}</p>
        )}
        <a href={`/${quote.author.username}/status/${quote.id}`} className="mt-1 inline-flex min-h-6 items-center text-accent underline">
          Open the quoted post
        </a>
      </div>
      {thumbnail && (
        <img
          src={thumbnail}
          alt={first!.description ?? ""}
          width={64}
          height={64}
          loading="lazy"
          className="size-16 shrink-0 rounded-md bg-raised object-cover"
        />
      )}
    </blockquote>
  );
}
