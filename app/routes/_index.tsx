import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { arriveHome } from "#domain/home-feed/news.ts";
import { advanceMarker } from "#domain/markers.ts";
import { homeTimeline, publicTimeline } from "#domain/timelines.ts";
import { forYouTimeline } from "#domain/ranking/for-you.ts";
import { FeedPager, NewPostsNotice } from "#app/components/feed-pager.tsx";
import { PostCard } from "#app/components/post-card.tsx";
import { ForYouCard } from "#app/components/for-you-card.tsx";
import { presentForYouCard } from "#app/presenters/for-you-card.server.ts";
import { chosenFeed, type Feed } from "#app/feed-choice.server.ts";
import { presentPostCard } from "#app/presenters/post-card.server.ts";
import { pageLinks, pageRequestOf } from "#app/paging.server.ts";
import { PageLink } from "#app/components/page-link.tsx";
import { Composer } from "#app/components/composer.tsx";
import { composerAction, composerStart, submitComposer, type ComposerComeback } from "#app/compose.server.ts";
import { pageMeta } from "#app/meta.ts";
import { EmptyState } from "#app/components/empty-state.tsx";
import { HomeIcon, PenIcon, PeopleIcon } from "#app/components/icons.tsx";
import { StoryTray } from "#app/components/story-tray.tsx";
import { presentTrayEntry } from "#app/presenters/story.server.ts";
import { storyTray } from "#domain/stories/tray.ts";
import { noteShown } from "#workers/platform/impressions.ts";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageMeta(matches, data ? feedTitles[data.feed] : "Latest posts");

const feedTitles: Record<Feed, string> = { following: "Following", "for-you": "For you", latest: "Latest posts" };

/**
 * Home: for a signed-in person the Following feed (docs/decisions/0022), the ranked For-you feed (docs/ranking.md) and
 * the public timeline as tabs (?feed=), the last one chosen remembered; for a visitor the public timeline. Paged with
 * the same cursors as the API; the links work without JavaScript, and with it older pages of Following and Latest load
 * as the reader scrolls. Showing the Following feed moves the home marker (Mastodon's read position) to the newest post
 * shown, so the next visit can say how many posts are new.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const pageRequest = pageRequestOf(request);
  const { viewer, config, domain } = context.scope;
  const choice = viewer ? await chosenFeed(request) : { feed: "latest" as const, setCookie: null };
  const { feed } = choice;
  const ranked = feed === "for-you" ? await forYouTimeline(domain, viewer!.user.id, pageRequest) : null;
  const page =
    ranked ??
    (feed === "following"
      ? await homeTimeline(domain, viewer!.user.id, pageRequest)
      : await publicTimeline(domain, viewer?.user.id ?? null, pageRequest));
  const paging = pageRequest.max_id !== undefined || pageRequest.min_id !== undefined || pageRequest.since_id !== undefined;
  // Arriving at the Following feed: what came in since the last visit, and the read position moves to the newest post
  // shown; a page of it further on moves the position only forward.
  let news = null;
  if (feed === "following" && !paging) news = await arriveHome(domain, viewer!.user.id, page as Awaited<ReturnType<typeof homeTimeline>>);
  else if (feed === "following" && page.newer) await advanceMarker(domain, viewer!.user.id, "home", page.newer);
  await noteShown(context.scope, ranked ? ranked.items.map((item) => item.post) : (page as Awaited<ReturnType<typeof homeTimeline>>).items);
  const body = {
    now: Date.now(),
    feed,
    signedIn: Boolean(viewer),
    stories:
      viewer && !paging ? { me: viewer.user.username, circles: (await storyTray(domain, viewer.user.id)).map(presentTrayEntry) } : null,
    composer: viewer
      ? {
          limit: config.POST_MAX_CHARACTERS,
          defaultVisibility: viewer.user.defaultVisibility,
          ...(await composerStart(context, request)),
        }
      : null,
    posts: ranked ? [] : (page as Awaited<ReturnType<typeof homeTimeline>>).items.map(presentPostCard),
    forYou: ranked ? ranked.items.map(presentForYouCard) : null,
    ...pageLinks(request, pageRequest, page),
    paging,
    news,
  };
  return data(body, choice.setCookie ? { headers: { "Set-Cookie": choice.setCookie } } : undefined);
}

/** Posting from the home page: the new post (or the first of a thread) opens when published; a scheduled post or draft joins its list. */
export const action = composerAction(({ request, context, form, mediaIds }) => submitComposer(context, request, form, mediaIds));

/** The loader's answer as the page reads it, also for the older pages the pager asks it for. */
type HomeData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function Home() {
  const { now, feed, signedIn, posts, forYou, older, newer, paging, composer, news, stories } = useLoaderData<typeof loader>();
  const problem = useActionData<ComposerComeback>();
  return (
    <>
      <div className="sticky top-0 z-10 border-b border-line bg-canvas/85 px-4 pt-3 backdrop-blur">
        <h1 className="text-xl font-bold">{feedTitles[feed]}</h1>
        <p className="pb-3 text-sm text-muted">{feedIntros[feed]}</p>
        {signedIn && <FeedTabs feed={feed} />}
      </div>
      {stories && <StoryTray circles={stories.circles} me={stories.me} />}
      {composer && (
        <Composer
          limit={composer.limit}
          defaultVisibility={composer.defaultVisibility}
          draft={composer.draft}
          later={composer.later}
          problem={problem}
        />
      )}
      {feed === "following" && <NewPostsNotice arrived={news} newest={posts[0]?.rowId} newsPath="/resources/home-news" />}
      <PageLink to={newer} rel="prev">
        Newer posts
      </PageLink>
      {(forYou ?? posts).length === 0 && <EmptyTimeline paging={paging} feed={feed} />}
      {/* A page that read-time filters emptied still leads on to older posts. */}
      {forYou
        ? (forYou.length > 0 || older) && (
            <FeedPager
              page={{ items: forYou, older }}
              pageOf={(data: HomeData) => ({ items: data.forYou ?? [], older: data.older })}
              label="Posts"
            >
              {(item) => <ForYouCard item={item} now={now} />}
            </FeedPager>
          )
        : (posts.length > 0 || older) && (
            <FeedPager
              page={{ items: posts, older }}
              pageOf={(data: HomeData) => ({ items: data.posts, older: data.older })}
              label="Posts"
              seenUpTo={news?.since}
            >
              {(post) => <PostCard post={post} now={now} />}
            </FeedPager>
          )}
    </>
  );
}

const feedIntros: Record<Feed, string> = {
  following: "Posts from you and the people you follow, newest first.",
  "for-you": "Posts picked for you, each with the reason why. See docs/ranking.md for how they are chosen.",
  latest: "Public posts from everyone here, newest first.",
};

function FeedTabs({ feed }: { feed: Feed }) {
  const tab = (name: typeof feed, to: string, label: string) => (
    <Link
      to={to}
      aria-current={feed === name ? "page" : undefined}
      className={`flex min-h-11 flex-1 items-center justify-center border-b-2 font-semibold ${
        feed === name ? "border-accent text-ink" : "border-transparent text-muted hover:text-ink"
      }`}
    >
      {label}
    </Link>
  );
  return (
    <nav aria-label="Timelines" className="-mx-4 flex">
      {tab("following", "/?feed=following", "Following")}
      {tab("for-you", "/?feed=for-you", "For you")}
      {tab("latest", "/?feed=latest", "Latest")}
    </nav>
  );
}

const emptyTitles: Record<Feed, string> = {
  following: "Your feed is empty",
  "for-you": "Nothing to pick for you yet",
  latest: "Nothing posted yet",
};

function EmptyTimeline({ paging, feed }: { paging: boolean; feed: Feed }) {
  if (paging)
    return <EmptyState icon={HomeIcon} title="You've reached the end" next={{ to: `/?feed=${feed}`, label: "Back to the newest posts" }} />;
  if (feed === "latest")
    return (
      <EmptyState icon={PenIcon} title={emptyTitles.latest}>
        When people post publicly, their posts appear here.
      </EmptyState>
    );
  return (
    <EmptyState icon={PeopleIcon} title={emptyTitles[feed]} next={{ to: "/?feed=latest", label: "Find people to follow" }}>
      {feed === "for-you"
        ? "Follow people and hashtags, and like posts: For you picks from what they share and like."
        : "Follow people to see their posts here, newest first."}
    </EmptyState>
  );
}
