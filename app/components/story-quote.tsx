import { Link } from "@remix-run/react";
import type { StoryQuoteCard } from "#app/presenters/story.server.ts";

/** The story item a message replies to: a small thumbnail linking to it while it can be seen, else "Story unavailable". */
export function StoryQuote({ quote }: { quote: StoryQuoteCard }) {
  return (
    <div className="border-l-2 border-line pl-2 text-sm text-muted">
      {quote.href ? (
        <Link to={quote.href} className="flex min-h-6 items-center gap-2 underline">
          {quote.thumbnail && <img src={quote.thumbnail} alt="" width={32} height={56} className="h-14 w-8 rounded object-cover" />}
          {quote.label}
        </Link>
      ) : (
        <p>
          {quote.label} · <span className="italic">Story unavailable</span>
        </p>
      )}
    </div>
  );
}
