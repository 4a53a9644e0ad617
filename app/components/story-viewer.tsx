import { Form, Link, useNavigate } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { StoryItemCard } from "#app/presenters/story.server.ts";

/** How long a picture stays before the next item, with JavaScript and motion allowed. */
const PICTURE_MS = 5000;

const overlayColours: Record<string, string> = {
  white: "bg-black/60 text-white",
  black: "bg-white/80 text-black",
  yellow: "bg-black/70 text-yellow-300",
  pink: "bg-black/70 text-pink-300",
  green: "bg-black/70 text-green-300",
  blue: "bg-black/70 text-sky-300",
};
const overlayPlaces: Record<string, string> = { top: "top-14", middle: "top-1/2 -translate-y-1/2", bottom: "bottom-40" };

/**
 * The full-screen story viewer. Without JavaScript it is a page per item with Previous, Next and Close links. With it,
 * items advance by themselves (unless the reader prefers reduced motion), holding pauses, the arrow keys and taps on
 * the left or right go back and forward, and Escape or a downward swipe closes.
 */
export function StoryViewer({
  author,
  items,
  index,
  closeTo,
  children,
}: {
  author: { username: string; displayName: string; avatar: string };
  items: StoryItemCard[];
  index: number;
  closeTo: string;
  children?: React.ReactNode;
}) {
  const item = items[index]!;
  const previous = items[index - 1]?.href ?? null;
  const next = items[index + 1]?.href ?? null;
  const navigate = useNavigate();
  const [paused, setPaused] = useState(false);
  const [shown, setShown] = useState({ itemId: item.id, done: 0 });
  const progress = shown.itemId === item.id ? shown.done : 0;
  // How far the current item had played when a pause stopped the timer, so playing again goes on from there.
  const played = useRef({ itemId: item.id, done: 0 });
  const pressed = useRef<{ x: number; y: number; at: number } | null>(null);

  useEffect(() => {
    if (paused || window.matchMedia("(prefers-reduced-motion: reduce)").matches) return;
    const length = item.mediaType === "video" && item.durationMs ? item.durationMs : PICTURE_MS;
    const already = played.current.itemId === item.id ? played.current.done : 0;
    const started = performance.now() - already * length;
    const timer = window.setInterval(() => {
      const done = (performance.now() - started) / length;
      if (done >= 1) navigate(next ?? closeTo);
      else {
        played.current = { itemId: item.id, done };
        setShown({ itemId: item.id, done });
      }
    }, 100);
    return () => window.clearInterval(timer);
  }, [item.id, item.mediaType, item.durationMs, paused, navigate, next, closeTo]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
      if (event.key === "Escape") navigate(closeTo);
      else if (event.key === "ArrowRight" && next) navigate(next);
      else if (event.key === "ArrowLeft" && previous) navigate(previous);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [navigate, next, previous, closeTo]);

  return (
    <section aria-label={`Story by ${author.displayName}`} className="fixed inset-0 z-40 flex flex-col bg-black text-white">
      <ol className="flex gap-1 px-2 pt-2" aria-label={`Item ${index + 1} of ${items.length}`}>
        {items.map((other, position) => (
          <li key={other.id} className="h-1 flex-1 overflow-hidden rounded bg-white/30">
            <span
              className="block h-full bg-white"
              style={{ width: position < index ? "100%" : position === index ? `${Math.round(progress * 100)}%` : "0%" }}
            />
          </li>
        ))}
      </ol>
      <header className="flex items-center gap-2 px-3 py-2">
        <img src={author.avatar} alt="" className="size-8 rounded-full" />
        <Link to={`/${author.username}`} className="font-semibold hover:underline">
          {author.displayName}
        </Link>
        {item.audience === "close_friends" && <span className="rounded bg-green-700 px-1.5 text-xs">Close friends</span>}
        <span className="ml-auto flex gap-2">
          <button
            type="button"
            onClick={() => setPaused((value) => !value)}
            aria-pressed={paused}
            className="min-h-11 min-w-11 rounded-full px-3 focus-visible:outline-2 focus-visible:outline-white"
          >
            {paused ? "Play" : "Pause"}
          </button>
          <Link
            to={closeTo}
            aria-label="Close the story"
            className="flex min-h-11 min-w-11 items-center justify-center rounded-full focus-visible:outline-2 focus-visible:outline-white"
          >
            ✕
          </Link>
        </span>
      </header>
      <div
        className="relative flex min-h-0 flex-1 items-center justify-center"
        role="presentation"
        onPointerDown={(event) => {
          pressed.current = { x: event.clientX, y: event.clientY, at: performance.now() };
          setPaused(true);
        }}
        onPointerUp={(event) => {
          const start = pressed.current;
          pressed.current = null;
          setPaused(false);
          if (!start || (event.target as HTMLElement).closest("a, button")) return;
          const down = event.clientY - start.y;
          // A swipe down closes; a short tap on the left third goes back, elsewhere forward; a hold only paused.
          if (down > 80) navigate(closeTo);
          else if (Math.abs(down) < 10 && performance.now() - start.at < 250) {
            const back = event.clientX < event.currentTarget.getBoundingClientRect().width / 3;
            if (back && previous) navigate(previous);
            else if (!back) navigate(next ?? closeTo);
          }
        }}
      >
        {item.src ? (
          item.mediaType === "video" ? (
            <video
              src={item.src}
              poster={item.poster ?? undefined}
              autoPlay
              muted
              playsInline
              aria-label={item.altText || "Video"}
              className="max-h-full max-w-full"
            />
          ) : (
            <img src={item.src} alt={item.altText} className="max-h-full max-w-full object-contain" />
          )
        ) : (
          <p>This story's picture is no longer kept.</p>
        )}
        {item.overlay && (
          <p
            className={`absolute inset-x-4 rounded-lg px-3 py-2 text-center text-lg font-bold ${overlayPlaces[item.overlay.position]} ${overlayColours[item.overlay.colour]}`}
          >
            {item.overlay.text}
          </p>
        )}
        <div className="absolute inset-x-0 bottom-2 flex flex-col items-center gap-2 px-4">
          {item.link && (
            <a href={item.link} rel="noopener noreferrer nofollow" className="rounded-full bg-white px-4 py-2 font-semibold text-black">
              🔗 {new URL(item.link).host}
            </a>
          )}
          {item.mention && (
            <Link to={`/${item.mention}`} className="rounded-full bg-white px-4 py-2 font-semibold text-black">
              @{item.mention}
            </Link>
          )}
        </div>
      </div>
      {item.poll && (
        <Form method="post" className="mx-4 mb-2 rounded-lg bg-white p-3 text-black">
          <input type="hidden" name="intent" value="vote" />
          <input type="hidden" name="itemId" value={item.id} />
          {item.poll.question && <p className="mb-2 font-semibold">{item.poll.question}</p>}
          <div className="flex gap-2">
            {item.poll.options.map((option, position) => (
              <button
                key={option}
                type="submit"
                name="choice"
                value={position}
                disabled={item.poll!.voted !== null || item.poll!.results !== null}
                aria-pressed={item.poll!.voted === position}
                className="min-h-11 flex-1 rounded-full border border-black px-3 font-semibold aria-pressed:bg-black aria-pressed:text-white"
              >
                {option}
                {item.poll!.results && ` · ${item.poll!.results[position]}`}
              </button>
            ))}
          </div>
        </Form>
      )}
      <nav aria-label="Story items" className="flex items-center justify-between gap-2 px-3 pb-3">
        {previous ? (
          <Link
            to={previous}
            rel="prev"
            className="min-h-11 rounded-full bg-white/15 px-4 py-2 focus-visible:outline-2 focus-visible:outline-white"
          >
            Previous
          </Link>
        ) : (
          <span />
        )}
        {children}
        <Link
          to={next ?? closeTo}
          rel={next ? "next" : undefined}
          className="min-h-11 rounded-full bg-white/15 px-4 py-2 focus-visible:outline-2 focus-visible:outline-white"
        >
          {next ? "Next" : "Done"}
        </Link>
      </nav>
    </section>
  );
}
