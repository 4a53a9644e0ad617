import { Link } from "@remix-run/react";
import type { PostCardData } from "#app/presenters/post-card.server.ts";
import { HeartIcon, ReplyIcon, RepostIcon } from "./icons.tsx";
import { RelativeTime } from "./relative-time.tsx";
import { RichText } from "./rich-text.tsx";

function Count({ icon: Icon, value, label }: { icon: typeof HeartIcon; value: number; label: [string, string] }) {
  return (
    <li className="flex items-center gap-1.5">
      <Icon />
      <span aria-hidden="true">{value > 0 ? value : ""}</span>
      <span className="sr-only">
        {value} {value === 1 ? label[0] : label[1]}
      </span>
    </li>
  );
}

export function PostCard({ post, now }: { post: PostCardData; now: number }) {
  const headingId = `post-${post.id}-author`;
  return (
    <article aria-labelledby={headingId} className="flex gap-3 border-b border-line px-4 py-3">
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
        <ul className="mt-3 flex max-w-sm justify-between text-sm text-muted" aria-label="Engagement">
          <Count icon={ReplyIcon} value={post.counts.replies} label={["reply", "replies"]} />
          <Count icon={RepostIcon} value={post.counts.reposts} label={["repost", "reposts"]} />
          <Count icon={HeartIcon} value={post.counts.likes} label={["like", "likes"]} />
        </ul>
      </div>
    </article>
  );
}
