import { useRouteLoaderData } from "@remix-run/react";
import { coversMedia, type MediaDisplay } from "#domain/profiles/media-display.ts";
import type { PostBodyData } from "#app/presenters/post-card.server.ts";

type Media = PostBodyData["media"][number];

/** CSS object-position from Mastodon's focal point (-1..1, y up), so crops keep what matters in view. */
const objectPosition = ({ focus }: Media) => `${((focus.x + 1) / 2) * 100}% ${((1 - focus.y) / 2) * 100}%`;

function Item({ media, single }: { media: Media; single: boolean }) {
  const frame = single ? "max-h-[32rem] w-full object-contain bg-raised" : "aspect-square w-full object-cover";
  if (media.type === "video") {
    return (
      // eslint-disable-next-line jsx-a11y/media-has-caption -- uploads come without caption files; the description labels the video
      <video
        controls
        preload="metadata"
        poster={media.previewUrl ?? undefined}
        aria-label={media.description || "Video"}
        className={`${frame} rounded-lg`}
      >
        <source src={media.url} type={media.contentType} />
        <a href={media.url}>Download the video</a>
      </video>
    );
  }
  // Animated GIFs hold still for people who asked for reduced motion.
  const still = media.type === "gifv" ? media.previewUrl : null;
  return (
    <a href={media.url} className="block overflow-hidden rounded-lg">
      <picture>
        {still && <source media="(prefers-reduced-motion: reduce)" srcSet={still} />}
        <img
          src={media.type === "gifv" ? media.url : (media.previewUrl ?? media.url)}
          alt={media.description}
          width={media.width ?? undefined}
          height={media.height ?? undefined}
          loading="lazy"
          decoding="async"
          style={{ objectPosition: objectPosition(media) }}
          className={frame}
        />
      </picture>
      {media.type === "gifv" && <span className="sr-only">(animated GIF)</span>}
    </a>
  );
}

/** How the signed-in reader asked to see sensitive media (/settings/reading); visitors get the default. */
export function useMediaDisplay(): MediaDisplay | undefined {
  return useRouteLoaderData<{ viewer: { mediaDisplay: MediaDisplay } | null }>("root")?.viewer?.mediaDisplay;
}

/**
 * Up to four images in a grid, or one video or GIF; covered media (sensitive ones, or all, as the reader chose in
 * /settings/reading) wait behind a button that works without JavaScript.
 */
export function PostMedia({ media, sensitive }: { media: Media[]; sensitive: boolean }) {
  const display = useMediaDisplay();
  if (media.length === 0) return null;
  const grid = (
    <ul aria-label="Media" className={`mt-2 grid gap-1 ${media.length > 1 ? "grid-cols-2" : "grid-cols-1"}`}>
      {media.map((item) => (
        <li key={item.id}>
          <Item media={item} single={media.length === 1} />
        </li>
      ))}
    </ul>
  );
  if (!coversMedia(sensitive, display)) return grid;
  return (
    <details className="group mt-2 rounded-lg border border-line">
      <summary className="cursor-pointer px-3 py-6 text-center font-medium group-open:py-2">
        {sensitive ? "Sensitive media: show" : "Media: show"}
      </summary>
      {grid}
    </details>
  );
}
