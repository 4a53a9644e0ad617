import type { PostBodyData } from "#app/presenters/post-card.server.ts";

/** The preview of the post's first link: its picture (a copy served from here), site, title and description. */
export function LinkCard({ card }: { card: NonNullable<PostBodyData["card"]> }) {
  return (
    <a
      href={card.url}
      rel="nofollow noopener noreferrer"
      target="_blank"
      className="mt-2 flex overflow-hidden rounded-lg border border-line hover:bg-raised"
    >
      {card.image && (
        <img
          src={card.image}
          alt=""
          width={card.width ?? undefined}
          height={card.height ?? undefined}
          loading="lazy"
          className="size-24 shrink-0 object-cover sm:size-28"
        />
      )}
      <span className="flex min-w-0 flex-col justify-center gap-0.5 px-3 py-2 text-sm">
        <span className="truncate text-muted">{card.providerName}</span>
        <span className="line-clamp-2 font-semibold">{card.title}</span>
        {card.description && <span className="line-clamp-2 text-muted">{card.description}</span>}
      </span>
    </a>
  );
}
