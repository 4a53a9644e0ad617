import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DomainError } from "#domain/errors.ts";
import { visibleProfile } from "#domain/profiles/access.ts";
import { searchAccounts } from "#domain/search/accounts.ts";
import { searchHashtags } from "#domain/search/hashtags.ts";
import {
  clearRecentSearches,
  recentSearchesOf,
  rememberSearch,
  removeSavedSearch,
  savedSearchesOf,
  saveSearch,
} from "#domain/search/history.ts";
import { searchPosts } from "#domain/search/posts.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { formAction } from "#app/forms.server.ts";
import { pageLinks, pageRequestOf } from "#app/paging.server.ts";
import { presentAccountRow } from "#app/presenters/account-row.server.ts";
import { presentMediaTile, presentPostCard } from "#app/presenters/post-card.server.ts";
import { AccountRow } from "#app/components/account-row.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { FormMessage, PageHeader } from "#app/components/forms.tsx";
import { SearchIcon } from "#app/components/icons.tsx";
import { MediaGrid } from "#app/components/media-grid.tsx";
import { PageLink } from "#app/components/page-link.tsx";
import { PostCard } from "#app/components/post-card.tsx";
import { TabLinks } from "#app/components/tab-links.tsx";
import { pageMeta } from "#app/meta.ts";
import { passActionHeaders } from "#app/route-headers.ts";
import { overSearchLimit } from "#workers/platform/rate-limit.ts";
import { noteShown } from "#workers/platform/impressions.ts";

const TABS = [
  { tab: "top", label: "Top" },
  { tab: "latest", label: "Latest" },
  { tab: "people", label: "People" },
  { tab: "media", label: "Media" },
  { tab: "tags", label: "Tags" },
] as const;
type Tab = (typeof TABS)[number]["tab"];
const PAGE_SIZE = 20;

export const headers = passActionHeaders;

export const meta: MetaFunction<typeof loader> = ({ data: loaded, matches }) =>
  pageMeta(matches, loaded?.q ? `${loaded.q} - Search` : "Search", "Search posts, people and hashtags.");

const tabOf = (value: string | null): Tab => TABS.find((entry) => entry.tab === value)?.tab ?? "top";
const offsetOf = (value: string | null) => Math.min(Math.max(Number.parseInt(value ?? "0", 10) || 0, 0), 10_000);

/** The search box and its five tabs; with the box empty, the searcher's recent and saved searches. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim();
  const tab = tabOf(url.searchParams.get("tab"));
  const viewerId = context.scope.viewer?.user.id ?? null;
  const domain = context.scope.domain;
  const base = {
    now: Date.now(),
    q,
    tab,
    error: null as string | null,
    posts: [],
    tiles: [],
    people: [],
    tags: [],
    older: undefined,
    newer: undefined,
    next: undefined,
  };
  const [recent, saved] =
    viewerId && !q ? await Promise.all([recentSearchesOf(domain, viewerId), savedSearchesOf(domain, viewerId)]) : [[], []];
  const savedHere = viewerId && q ? (await savedSearchesOf(domain, viewerId)).find((entry) => entry.query === q) : undefined;
  const history = { recent, saved, signedIn: viewerId !== null, savedId: savedHere?.id ?? null };
  if (!q) return { ...base, ...history };
  if (await overSearchLimit(context.cloudflare.env, { userId: viewerId, ip: context.scope.client.ip })) {
    const error = "You are searching faster than Perch allows (60 searches a minute). Try again in a minute.";
    return data({ ...base, ...history, error }, { status: 429, headers: { "Retry-After": "60" } });
  }
  try {
    const results = await resultsFor(request, context.scope, tab, q);
    if (viewerId) await rememberSearch(domain, viewerId, q);
    return { ...base, ...history, ...results };
  } catch (error) {
    if (!(error instanceof DomainError) || (error.kind !== "unprocessable" && error.kind !== "unauthenticated")) throw error;
    return data({ ...base, ...history, error: error.message }, { status: error.kind === "unprocessable" ? 422 : 401 });
  }
}

async function resultsFor(request: Request, scope: LoaderFunctionArgs["context"]["scope"], tab: Tab, q: string) {
  const viewerId = scope.viewer?.user.id ?? null;
  const url = new URL(request.url);
  const offset = offsetOf(url.searchParams.get("offset"));
  const nextLink = (nextOffset: number | null) => {
    if (nextOffset === null) return undefined;
    const params = new URLSearchParams(url.searchParams);
    params.set("offset", String(nextOffset));
    return `/search?${params}`;
  };
  switch (tab) {
    case "people": {
      const page = await searchAccounts(scope.domain, viewerId, new URL(scope.origin).host, { query: q, limit: PAGE_SIZE, offset });
      return { people: page.items.map((view) => presentAccountRow(visibleProfile(view))), next: nextLink(page.nextOffset) };
    }
    case "tags": {
      const page = await searchHashtags(scope.domain, viewerId, { query: q, limit: PAGE_SIZE, offset });
      return { tags: page.items, next: nextLink(page.nextOffset) };
    }
    case "top": {
      const page = await searchPosts(scope.domain, viewerId, { query: q, order: "top", page: { limit: PAGE_SIZE }, offset });
      await noteShown(scope, page.items);
      return { posts: page.items.map(presentPostCard), next: nextLink(page.nextOffset) };
    }
    case "latest":
    case "media": {
      const pageRequest = pageRequestOf(request);
      const page = await searchPosts(scope.domain, viewerId, { query: q, order: "latest", page: pageRequest, onlyMedia: tab === "media" });
      await noteShown(scope, page.items);
      const shown = tab === "media" ? { tiles: page.items.map(presentMediaTile) } : { posts: page.items.map(presentPostCard) };
      return { ...shown, ...pageLinks(request, pageRequest, page) };
    }
  }
}

/** Save or remove a search, or clear the recent ones. */
export const action = formAction(async ({ request, context, form }) => {
  const { user } = requireViewer(context, request);
  const domain = context.scope.domain;
  const intent = form.get("intent");
  if (intent === "save") await saveSearch(domain, user.id, String(form.get("query") ?? ""));
  else if (intent === "unsave") await removeSavedSearch(domain, user.id, String(form.get("id") ?? ""));
  else if (intent === "clear-recent") await clearRecentSearches(domain, user.id);
  else throw new DomainError("invalid", "Unknown action");
  return { done: intent };
});

const searchLink = (query: string, tab: Tab = "top") => `/search?${new URLSearchParams({ q: query, tab })}`;

export default function Search() {
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const { q, tab, now } = loaded;
  const error = loaded.error ?? (acted && "formError" in acted ? acted.formError : undefined);
  return (
    <>
      <PageHeader title="Search" description="Posts, people and hashtags. Operators such as from:, #tag and has:media work too." />
      <Form method="get" action="/search" role="search" className="flex gap-2 border-b border-line px-4 py-3">
        <label htmlFor="search-q" className="sr-only">
          Search
        </label>
        <input
          id="search-q"
          type="search"
          name="q"
          defaultValue={q}
          maxLength={500}
          placeholder="Search"
          aria-describedby={error ? "search-error" : undefined}
          aria-invalid={error ? true : undefined}
          className="min-h-11 min-w-0 flex-1 rounded-full border border-line bg-raised px-4"
        />
        {tab !== "top" && <input type="hidden" name="tab" value={tab} />}
        <button type="submit" className="min-h-11 rounded-full bg-accent px-4 font-semibold text-accent-ink">
          Search
        </button>
      </Form>
      {error && (
        <div id="search-error" className="px-4 pt-3">
          <FormMessage error={error} />
        </div>
      )}
      {q ? <Results loaded={loaded} now={now} /> : <History loaded={loaded} />}
      <details className="border-t border-line px-4 py-3 text-sm text-muted">
        <summary className="min-h-11 cursor-pointer content-center font-semibold text-ink">Search operators</summary>
        <p className="mt-2">
          &quot;exact phrase&quot;, -word, from:name, to:name, @name, #tag, has:media, has:poll, has:link, min_faves:5, since:2026-01-31,
          until:2026-12-31, lang:en, filter:replies, -filter:replies, and in:likes or in:bookmarks for your own history.
        </p>
      </details>
    </>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

function Results({ loaded, now }: { loaded: Loaded; now: number }) {
  const { q, tab, posts, tiles, people, tags, older, newer, next, signedIn, savedId } = loaded;
  return (
    <>
      <TabLinks
        label="Search results"
        tabs={TABS.map((entry) => ({ to: searchLink(q, entry.tab), label: entry.label, current: entry.tab === tab }))}
      />
      {signedIn && (
        <Form method="post" className="flex justify-end border-b border-line px-4 py-2">
          <input type="hidden" name="intent" value={savedId ? "unsave" : "save"} />
          <input type="hidden" name={savedId ? "id" : "query"} value={savedId ?? q} />
          <button type="submit" className="min-h-11 rounded-full border border-line px-4 text-sm font-semibold">
            {savedId ? "Remove saved search" : "Save this search"}
          </button>
        </Form>
      )}
      <PageLink to={newer} rel="prev">
        Newer posts
      </PageLink>
      {(tab === "top" || tab === "latest") &&
        (posts.length === 0 ? (
          <NothingFound q={q} />
        ) : (
          <section aria-label={`Posts matching ${q}`}>
            {posts.map((post) => (
              <PostCard key={post.rowId} post={post} now={now} />
            ))}
          </section>
        ))}
      {tab === "media" && (tiles.length === 0 ? <NothingFound q={q} /> : <MediaGrid tiles={tiles} label={`Media matching ${q}`} />)}
      {tab === "people" &&
        (people.length === 0 ? (
          <NothingFound q={q} />
        ) : (
          <ul aria-label={`People matching ${q}`} className="divide-y divide-line">
            {people.map((account) => (
              <AccountRow key={account.id} account={account} />
            ))}
          </ul>
        ))}
      {tab === "tags" &&
        (tags.length === 0 ? (
          <NothingFound q={q} />
        ) : (
          <ul aria-label={`Hashtags matching ${q}`} className="divide-y divide-line">
            {tags.map((tag) => (
              <li key={tag.name}>
                <Link to={`/tags/${encodeURIComponent(tag.name)}`} className="flex min-h-11 flex-col justify-center px-4 py-3">
                  <span className="font-semibold">{`#${tag.name}`}</span>
                  <span className="text-sm text-muted">
                    {`${tag.uses === 1 ? "1 post" : `${tag.uses} posts`} by ${tag.accounts === 1 ? "1 person" : `${tag.accounts} people`}`}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        ))}
      <PageLink to={older ?? next} rel="next">
        More results
      </PageLink>
    </>
  );
}

function NothingFound({ q }: { q: string }) {
  return (
    <EmptyState icon={SearchIcon} title={`No results for "${q}"`}>
      Try other words, or another tab.
    </EmptyState>
  );
}

function History({ loaded }: { loaded: Loaded }) {
  const { recent, saved, signedIn } = loaded;
  if (!signedIn) return <EmptyState icon={SearchIcon} title="Find posts, people and hashtags" />;
  return (
    <>
      <section aria-labelledby="recent-heading" className="border-b border-line px-4 py-3">
        <div className="flex items-center justify-between gap-2">
          <h2 id="recent-heading" className="font-semibold">
            Recent searches
          </h2>
          {recent.length > 0 && (
            <Form method="post">
              <input type="hidden" name="intent" value="clear-recent" />
              <button type="submit" className="min-h-11 rounded-full px-3 text-sm font-semibold text-accent">
                Clear recent searches
              </button>
            </Form>
          )}
        </div>
        {recent.length === 0 ? (
          <p className="py-2 text-sm text-muted">Nothing yet.</p>
        ) : (
          <ul className="py-1">
            {recent.map((query) => (
              <li key={query}>
                <Link to={searchLink(query)} className="flex min-h-11 items-center">
                  {query}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="saved-heading" className="px-4 py-3">
        <h2 id="saved-heading" className="font-semibold">
          Saved searches
        </h2>
        {saved.length === 0 ? (
          <p className="py-2 text-sm text-muted">Search, then choose &quot;Save this search&quot; to keep it here.</p>
        ) : (
          <ul className="py-1">
            {saved.map((entry) => (
              <li key={entry.id} className="flex items-center justify-between gap-2">
                <Link to={searchLink(entry.query)} className="flex min-h-11 min-w-0 flex-1 items-center truncate">
                  {entry.query}
                </Link>
                <Form method="post">
                  <input type="hidden" name="intent" value="unsave" />
                  <input type="hidden" name="id" value={entry.id} />
                  <button type="submit" className="min-h-11 rounded-full border border-line px-3 text-sm font-semibold">
                    Remove<span className="sr-only">{` saved search ${entry.query}`}</span>
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
