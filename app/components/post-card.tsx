import { Link } from "@remix-run/react";
import type { PostCardData } from "#app/presenters/post-card.server.ts";
import { EngagementBar } from "./engagement-bar.tsx";
import { RepostIcon } from "./icons.tsx";
import { RelativeTime } from "./relative-time.tsx";
import { RichText } from "./rich-text.tsx";

export function PostCard({ post, now }: { post: PostCardData; now: number }) {
  const headingId = `post-${post.id}-author`;
  return (
    <article aria-labelledby={headingId} className="flex flex-col border-b border-line px-4 py-3">
      {post.repostedBy && (
        <p className="mb-1 flex items-center gap-2 pl-9 text-sm text-muted">
          <RepostIcon className="size-4" />
          <Link to={`/${post.repostedBy.username}`} className="hover:underline">{`${post.repostedBy.displayName} reposted`}</Link>
        </p>
      )}
      <div className="flex gap-3">
      <img src={post.author.avatar} alt="" width={48} height={48} loading="lazy" decoding="async" className="size-12 shrink-0 rounded-full bg-raised" />
      <div className="min-w-0 flex-1">
        <header className="flex flex-wrap items-baseline gap-x-2 text-[0.95rem]">
          <h2 id={headingId} className="font-bold">
            <Link to={`/${post.author.username}`} className="hover:underline">
              {post.author.displayName}
            </Link>
            {post.author.bot && <span className="ml-1.5 rounded bg-raised px-1 text-xs font-normal text-muted">bot</span>}
          </h2>
          <span className="truncate text-muted">{`@${post.author.username}`}</span>
          <span aria-hidden="true" className="text-muted">
            ·
          </span>
          <Link to={`/${post.author.username}/status/${post.id}`} className="text-muted hover:underline">
            <RelativeTime iso={post.createdAt} now={now} />
          </Link>
        </header>
        {post.spoilerText ? (
          <details className="mt-1">
            <summary className="cursor-pointer font-medium">
              {post.spoilerText} <span className="text-sm text-muted">(show post)</span>
            </summary>
            <div className="mt-2">
              <RichText content={post.content} lang={post.language} />
            </div>
          </details>
        ) : (
          <div className="mt-1">
            <RichText content={post.content} lang={post.language} />
          </div>
        )}
        {post.quote && <QuotedPost quote={post.quote} />}
        {post.reactions.length > 0 && (
          <ul aria-label="Reactions" className="mt-2 flex flex-wrap gap-1.5 text-sm">
            {post.reactions.map((reaction) => (
              <li key={reaction.emoji} className="rounded-full border border-line px-2 py-0.5">{`${reaction.emoji} ${reaction.count}`}</li>
            ))}
          </ul>
        )}
        <EngagementBar post={post} />
      </div>
      </div>
    </article>
  );
}

/** The post a quote embeds, or a plain note that it is no longer available. */
function QuotedPost({ quote }: { quote: NonNullable<PostCardData["quote"]> }) {
  if (quote === "unavailable") return <p className="mt-2 rounded-lg border border-line px-3 py-2 text-sm text-muted">This quoted post is unavailable.</p>;
  return (
    <blockquote className="mt-2 rounded-lg border border-line px-3 py-2">
      <p className="text-sm">
        <span className="font-semibold">{quote.author.displayName}</span> <span className="text-muted">{`@${quote.author.username}`}</span>
      </p>
      <div className="mt-1 text-sm">
        <RichText content={quote.content} lang={quote.language} />
      </div>
      <a href={`/${quote.author.username}/status/${quote.id}`} className="mt-1 inline-block text-sm text-accent underline">
        Open the quoted post
      </a>
    </blockquote>
  );
}
