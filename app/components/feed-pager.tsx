import { useFetcher, useMatches, useRevalidator } from "@remix-run/react";
import { Fragment, useEffect, useRef, useState, type ReactNode } from "react";
import { onLiveFrame } from "#app/live-socket.ts";
import { pluralOf } from "#app/plural.ts";
import { PageLink } from "./page-link.tsx";

/** A page of a feed: its items (posts, or For-you cards) and where the older page is. */
export interface FeedPage<T> {
  items: T[];
  older?: string;
}

/** A page's address as a fetcher must ask for it: the loader of an index route answers only with ?index. */
function dataAddress(href: string, indexRoute: boolean): string {
  const url = new URL(href, "http://pager.invalid");
  if (indexRoute) url.searchParams.set("index", "");
  return url.pathname + url.search;
}

type LoadedPage<T> = { href: string; page: FeedPage<T> };

/** Where the first page not yet loaded comes after the ones loaded by scrolling (none: the end was reached). */
const nextOlder = <T,>(first: FeedPage<T>, loaded: LoadedPage<T>[]) => (loaded.length > 0 ? loaded.at(-1)!.page.older : first.older);

/**
 * A feed with infinite scroll: nearing the end loads the older page below the rest, from the same loader (`pageOf`
 * finds the page in its answer). Without JavaScript the "Load older posts" link at the end opens that page instead, so
 * every post stays reachable (with JavaScript it still does, for a reader who follows it before scrolling there).
 * `seenUpTo` (the read position) puts a divider above the first item the reader had already been shown.
 */
export function FeedPager<Data, T extends { rowId: string }>({
  page,
  pageOf,
  label,
  seenUpTo,
  children,
}: {
  page: FeedPage<T>;
  pageOf: (data: Data) => FeedPage<T>;
  label: string;
  seenUpTo?: string | null;
  children: (item: T) => ReactNode;
}) {
  const fetcher = useFetcher<Data>();
  const indexRoute = useMatches().at(-1)?.id.endsWith("_index") ?? false;
  // Pages loaded by scrolling belong to the first page they followed: a new first page (another feed, or newer posts
  // shown) starts the list again.
  const firstKey = `${page.items[0]?.rowId}:${page.older}`;
  const [kept, setKept] = useState<{ firstKey: string; pages: LoadedPage<T>[] }>({ firstKey, pages: [] });
  const loaded = kept.firstKey === firstKey ? kept.pages : [];
  const older = nextOlder(page, loaded);
  const requested = useRef<string | null>(null);
  const end = useRef<HTMLDivElement>(null);
  const latest = useRef({ page, firstKey, older, busy: false });
  useEffect(() => {
    latest.current = { page, firstKey, older, busy: fetcher.state !== "idle" };
  });

  // A page answered, or answered again when Remix revalidates after an action: kept once, in its place, and only
  // while it still follows the list shown (an answer for a list since replaced is dropped).
  useEffect(() => {
    const href = requested.current;
    if (fetcher.data === undefined || !href) return;
    const data = pageOf(fetcher.data as Data);
    setKept((state) => {
      const now = latest.current;
      const pages = state.firstKey === now.firstKey ? state.pages : [];
      if (pages.some((each) => each.href === href)) {
        return { firstKey: now.firstKey, pages: pages.map((each) => (each.href === href ? { href, page: data } : each)) };
      }
      return nextOlder(now.page, pages) === href ? { firstKey: now.firstKey, pages: [...pages, { href, page: data }] } : state;
    });
    // pageOf is the caller's reading of its own loader, the same on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.data]);

  useEffect(() => {
    const target = end.current;
    if (!target || typeof IntersectionObserver === "undefined") return;
    const loadOlder = () => {
      const { older: next, busy } = latest.current;
      if (!next || busy || requested.current === next) return;
      requested.current = next;
      fetcher.load(dataAddress(next, indexRoute));
    };
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && loadOlder(), {
      rootMargin: "800px 0px",
    });
    observer.observe(target);
    return () => observer.disconnect();
    // Observing afresh after each page asks again whether the end is still in reach (a short page leaves it there).
    // eslint-disable-next-line react-hooks/exhaustive-deps -- fetcher.load is the same function whatever the fetcher holds
  }, [loaded.length, indexRoute]);

  const seen = new Set<string>();
  const items = [page, ...loaded.map((kept) => kept.page)]
    .flatMap((each) => each.items)
    .filter((item) => {
      if (seen.has(item.rowId)) return false;
      seen.add(item.rowId);
      return true;
    });
  const dividerAt = seenUpTo ? items.findIndex((item) => item.rowId <= seenUpTo) : -1;
  return (
    <>
      <section aria-label={label}>
        {items.map((item, index) => (
          <Fragment key={item.rowId}>
            {index > 0 && index === dividerAt && (
              <p className="border-b border-line bg-raised px-4 py-2 text-center text-sm font-semibold text-muted">
                You have seen the posts below
              </p>
            )}
            {children(item)}
          </Fragment>
        ))}
      </section>
      <div ref={end}>
        <p role="status" className="px-4 py-2 text-center text-sm text-muted empty:hidden">
          {fetcher.state === "loading" ? "Loading older posts…" : ""}
        </p>
        {/* Without JavaScript, or to jump there, the link opens the older page on its own. */}
        <PageLink to={older} rel="next">
          Load older posts
        </PageLink>
      </div>
    </>
  );
}

/**
 * "N new posts": on arrival, how many came in since the reader's last visit (counted by the loader from the read
 * position); and when they come back to the tab, how many arrived above the newest post shown, with a button that
 * shows them; with the page's socket, as soon as a post arrives.
 */
export function NewPostsNotice({
  arrived,
  newest,
  newsPath,
}: {
  arrived: { newPosts: number; more: boolean } | null;
  newest: string | undefined;
  newsPath: string;
}) {
  const fetcher = useFetcher<{ newPosts: number; more: boolean }>();
  const revalidator = useRevalidator();
  // The answer counts from the newest post shown when asked; once newer posts are shown, it no longer applies.
  const [askedFrom, setAskedFrom] = useState<string | null>(null);
  useEffect(() => {
    if (!newest) return;
    const check = () => {
      if (document.visibilityState !== "visible") return;
      setAskedFrom(newest);
      fetcher.load(`${newsPath}?${new URLSearchParams({ since: newest })}`);
    };
    document.addEventListener("visibilitychange", check);
    // A post arriving on the user stream (the page's socket) is asked about at once; the count comes from the loader,
    // which applies the same filters as the feed.
    const stopListening = onLiveFrame((frame) => {
      if (frame.event === "update" && frame.stream?.[0] === "user") check();
    });
    return () => {
      document.removeEventListener("visibilitychange", check);
      stopListening();
    };
    // fetcher.load is stable in what it does; watching the fetcher itself would re-register on every answer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [newest, newsPath]);
  const count = (news: { newPosts: number; more: boolean }) =>
    `${news.newPosts}${news.more ? "+" : ""} new ${pluralOf(news.newPosts, { one: "post", other: "posts" })}`;
  const waiting = fetcher.data && askedFrom === newest && fetcher.data.newPosts > 0 ? fetcher.data : null;
  if (waiting) {
    return (
      <div className="sticky top-24 z-10 flex justify-center py-2">
        <button
          type="button"
          onClick={() => {
            revalidator.revalidate();
            window.scrollTo({ top: 0 });
          }}
          className="min-h-11 rounded-full bg-accent px-5 font-semibold text-accent-ink shadow-lg"
        >
          {`Show ${count(waiting)}`}
        </button>
      </div>
    );
  }
  if (!arrived || arrived.newPosts === 0) return null;
  return (
    <p role="status" className="border-b border-line px-4 py-3 text-center font-semibold text-accent">
      {`${count(arrived)} since your last visit`}
    </p>
  );
}
