import { useLocation } from "@remix-run/react";
import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * Where a button's form comes back to: this page, at the given anchor while the page is not yet running JavaScript.
 * Without JavaScript the form posts as a whole page load and the anchor brings the reader back to the same post
 * instead of the top of the page; with JavaScript the form submits in place, where an anchor would make the page jump.
 * (useSyncExternalStore answers false while hydrating and true after, so the server's HTML and the first render agree.)
 */
export function useReturnPath(anchor: string): string {
  const location = useLocation();
  const hydrated = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  const path = location.pathname + location.search;
  return hydrated ? path : `${path}#${anchor}`;
}
