import { Link } from "@remix-run/react";
import type { MediaTileData } from "#app/presenters/post-card.server.ts";
import { PlayIcon, StackIcon } from "./icons.tsx";

/** What a tile says to a screen reader besides the picture's own description. */
function tileLabel(tile: MediaTileData): string {
  const kind = tile.media?.type === "video" ? "Video" : tile.media?.type === "gifv" ? "Animated GIF" : "Image";
  const more = tile.count > 1 ? `, 1 of ${tile.count}` : "";
  return `${kind}${more}${tile.sensitive ? ", sensitive" : ""}: open the post`;
}

/** One square: the still (a video's poster, a GIF's first frame) cropped around its focal point; sensitive ones hidden. */
function Tile({ tile }: { tile: MediaTileData }) {
  const media = tile.media;
  const still = media && (media.type === "image" ? (media.previewUrl ?? media.url) : media.previewUrl);
  return (
    <Link
      to={tile.path}
      className="relative block aspect-square overflow-hidden bg-raised focus-visible:outline focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-accent"
    >
      {media && still && !tile.sensitive ? (
        <img
          src={still}
          alt={media.description}
          loading="lazy"
          decoding="async"
          style={{ objectPosition: `${((media.focus.x + 1) / 2) * 100}% ${((1 - media.focus.y) / 2) * 100}%` }}
          className="size-full object-cover"
        />
      ) : (
        <span aria-hidden="true" className="flex size-full items-center justify-center p-2 text-center text-sm text-muted">
          {tile.sensitive ? "Sensitive media" : media?.type === "video" ? "Video" : "Media"}
        </span>
      )}
      <span className="sr-only">{tileLabel(tile)}</span>
      {(media?.type === "video" || media?.type === "gifv" || tile.count > 1) && (
        <span aria-hidden="true" className="absolute top-1.5 right-1.5 rounded-full bg-black/60 p-1 text-white">
          {tile.count > 1 ? <StackIcon className="size-4" /> : <PlayIcon className="size-4" />}
        </span>
      )}
    </Link>
  );
}

/** A profile's posts with pictures and videos as an Instagram-like grid of squares, three across, each opening its post. */
export function MediaGrid({ tiles, label }: { tiles: MediaTileData[]; label: string }) {
  return (
    <ul aria-label={label} className="grid grid-cols-3 gap-0.5">
      {tiles.map((tile) => (
        <li key={tile.rowId}>
          <Tile tile={tile} />
        </li>
      ))}
    </ul>
  );
}
