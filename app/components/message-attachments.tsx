import { Link } from "@remix-run/react";
import { coversMedia } from "#domain/profiles/media-display.ts";
import { useMediaDisplay } from "./post-media.tsx";
import type { ChatAttachment, ChatSharedStatus } from "#workers/api/entities/chat.ts";

/** A file size as people read it: "820 bytes", "12 KB", "3.4 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const KIND_LABELS: Record<string, string> = { "application/pdf": "PDF", "text/plain": "Text" };

/**
 * What a message carries: pictures with their alt text (the file name when there is none), videos with controls,
 * and documents as downloads with their name and size. Every URL is a members-only path (ADR 0055). Covered ones
 * (sensitive, or all, as the reader chose in /settings/reading, the rule posts follow) wait behind a disclosure that
 * works without JavaScript.
 */
export function MessageAttachments({ attachments, sensitive }: { attachments: ChatAttachment[]; sensitive: boolean }) {
  const display = useMediaDisplay();
  if (attachments.length === 0) return null;
  const list = (
    <ul aria-label="Attachments" className="flex flex-col gap-2">
      {attachments.map((attachment) => (
        <li key={attachment.id}>
          <AttachmentView attachment={attachment} />
        </li>
      ))}
    </ul>
  );
  if (!coversMedia(sensitive, display)) return list;
  return (
    <details className="group rounded-lg border border-line">
      <summary className="min-h-6 cursor-pointer px-3 py-4 text-center font-medium group-open:py-2">
        {sensitive ? "Sensitive content — Show" : "Attachments — Show"}
      </summary>
      {list}
    </details>
  );
}

function AttachmentView({ attachment }: { attachment: ChatAttachment }) {
  const size = attachment.meta.small ?? attachment.meta.original;
  const alt = attachment.description ?? `Image: ${attachment.name}`;
  if (attachment.type === "image" || attachment.type === "gifv") {
    return (
      <a href={attachment.url} className="block">
        <img
          src={attachment.type === "gifv" ? attachment.url : (attachment.preview_url ?? attachment.url)}
          alt={alt}
          width={size?.width}
          height={size?.height}
          loading="lazy"
          className="h-auto max-h-80 w-auto max-w-full rounded-lg"
        />
      </a>
    );
  }
  if (attachment.type === "video") {
    return (
      // eslint-disable-next-line jsx-a11y/media-has-caption -- uploads come without caption files; the description labels the video
      <video
        controls
        preload="metadata"
        src={attachment.url}
        poster={attachment.preview_url ?? undefined}
        aria-label={attachment.description ?? `Video: ${attachment.name}`}
        className="max-h-80 w-full rounded-lg"
      />
    );
  }
  return (
    <a href={attachment.url} download={attachment.name} className="flex min-h-6 flex-col rounded-lg border border-line px-3 py-2 underline">
      <span className="font-semibold break-all">{attachment.name}</span>
      <span className="text-sm text-muted no-underline">
        {[`${KIND_LABELS[attachment.content_type] ?? "File"}, ${fileSize(attachment.size)}`, attachment.description]
          .filter(Boolean)
          .join(" · ")}
      </span>
    </a>
  );
}

/** A post shared into the conversation, as the reader may see it now; otherwise "This post is unavailable". */
export function SharedPostCard({ card }: { card: ChatSharedStatus }) {
  if (!card.available || !card.url || !card.author) {
    return <p className="rounded-lg border border-line px-3 py-2 text-sm text-muted italic">This post is unavailable</p>;
  }
  return (
    <article aria-label={`Post by ${card.author.display_name || card.author.username}`} className="rounded-lg border border-line">
      <Link to={card.url} className="flex gap-3 px-3 py-2">
        {card.thumbnail_url && (
          <img
            src={card.thumbnail_url}
            alt={card.thumbnail_description ?? ""}
            width={64}
            height={64}
            loading="lazy"
            className="size-16 shrink-0 rounded object-cover"
          />
        )}
        <span className="flex min-w-0 flex-col text-sm">
          <span>
            <span className="font-semibold">{card.author.display_name || card.author.username}</span>{" "}
            <span className="text-muted">@{card.author.username}</span>
          </span>
          {card.spoiler_text ? <span className="italic">Content warning: {card.spoiler_text}</span> : <span>{card.excerpt}</span>}
          <span className="text-muted underline">Open the post</span>
        </span>
      </Link>
    </article>
  );
}
