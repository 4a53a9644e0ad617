import { Link } from "@remix-run/react";
import type { TrayCircle } from "#app/presenters/story.server.ts";

/**
 * The story tray at the top of home: "Add to story" (or your own story) first, then the accounts you follow with
 * live stories, unseen ones ringed (green for close friends), then seen ones. A row of links: it scrolls sideways.
 */
export function StoryTray({ circles, me }: { circles: TrayCircle[]; me: string }) {
  const own = circles.find((circle) => circle.username === me);
  const others = circles.filter((circle) => circle !== own);
  return (
    <nav aria-label="Stories" className="border-b border-line">
      <ul className="flex gap-3 overflow-x-auto px-4 py-3">
        <li className="flex shrink-0 flex-col items-center gap-1">
          {own ? (
            <Circle circle={{ ...own, displayName: "Your story" }} />
          ) : (
            <Link to="/stories/new" className="flex flex-col items-center gap-1 rounded-lg text-xs focus-visible:outline-2">
              <span
                aria-hidden="true"
                className="flex size-16 items-center justify-center rounded-full border-2 border-dashed border-line text-2xl"
              >
                +
              </span>
              Add to story
            </Link>
          )}
          {own && (
            <Link to="/stories/new" className="text-xs font-semibold text-accent hover:underline">
              Add to story
            </Link>
          )}
        </li>
        {others.map((circle) => (
          <li key={circle.username} className="shrink-0">
            <Circle circle={circle} />
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Circle({ circle }: { circle: TrayCircle }) {
  const ring = !circle.unseen ? "ring-line" : circle.closeFriends ? "ring-green-600" : "ring-accent";
  const state = circle.unseen ? (circle.closeFriends ? "new close friends story" : "new story") : "seen";
  return (
    <Link to={circle.href} className="flex w-18 flex-col items-center gap-1 rounded-lg text-xs focus-visible:outline-2">
      <img src={circle.avatar} alt="" className={`size-16 rounded-full object-cover ring-2 ring-offset-2 ring-offset-canvas ${ring}`} />
      <span className="w-full truncate text-center">
        {circle.displayName}
        <span className="sr-only">, {state}</span>
      </span>
    </Link>
  );
}
