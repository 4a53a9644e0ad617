import { Link } from "@remix-run/react";

export interface HighlightCircle {
  id: string;
  title: string;
  cover: string | null;
}

/** A profile's highlights: a row of named circles, each opening the highlight in the story viewer. */
export function HighlightRow({ username, highlights }: { username: string; highlights: HighlightCircle[] }) {
  if (highlights.length === 0) return null;
  return (
    <nav aria-label={`@${username}'s highlights`} className="border-b border-line">
      <ul className="flex gap-3 overflow-x-auto px-4 py-3">
        {highlights.map((highlight) => (
          <li key={highlight.id} className="shrink-0">
            <Link
              to={`/highlights/${highlight.id}`}
              className="flex w-18 flex-col items-center gap-1 rounded-lg text-xs focus-visible:outline-2"
            >
              {highlight.cover ? (
                <img
                  src={highlight.cover}
                  alt=""
                  className="size-16 rounded-full object-cover ring-2 ring-line ring-offset-2 ring-offset-canvas"
                />
              ) : (
                <span aria-hidden="true" className="size-16 rounded-full bg-raised" />
              )}
              <span className="w-full truncate text-center">{highlight.title}</span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
