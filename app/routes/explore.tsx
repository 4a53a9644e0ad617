import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { follow } from "#domain/graph/follows.ts";
import { dismissSuggestion, suggestionsFor } from "#domain/recommendations/suggestions.ts";
import { mediaGridFor } from "#domain/recommendations/similar-posts.ts";
import { trendingLinks, trendingPosts, trendingTags } from "#domain/trends/trending.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { FormMessage, PageHeader } from "#app/components/forms.tsx";
import { LinkCard } from "#app/components/link-card.tsx";
import { MediaGrid } from "#app/components/media-grid.tsx";
import { PostCard } from "#app/components/post-card.tsx";
import { Sparkline, usageSummary } from "#app/components/sparkline.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";
import { presentAccountRow } from "#app/presenters/account-row.server.ts";
import { presentCard, presentMediaTile, presentPostCard } from "#app/presenters/post-card.server.ts";
import { noteShown } from "#workers/platform/impressions.ts";

export const meta = titled("Explore");

/**
 * Explore: what is trending (hashtags, posts, links), who to follow, and a grid of pictures: the week's popular ones,
 * led for a signed-in viewer by those nearest their interests (ADR 0039).
 */
export async function loader({ context }: LoaderFunctionArgs) {
  const { domain, viewer } = context.scope;
  const viewerId = viewer?.user.id ?? null;
  const tags = await trendingTags(domain, viewerId, { limit: 10, offset: 0 });
  const posts = await trendingPosts(domain, viewerId, { limit: 5, offset: 0 });
  await noteShown(context.scope, posts);
  const links = await trendingLinks(domain, { limit: 5, offset: 0 });
  const suggestions = await suggestionsFor(domain, viewerId, 5);
  const media = await mediaGridFor(domain, viewerId, 12);
  return {
    now: Date.now(),
    signedIn: viewerId !== null,
    tags: tags.map((tag) => ({ name: tag.name, history: tag.history, summary: usageSummary(tag.history) })),
    posts: posts.map(presentPostCard),
    links: links.map((link) => ({ card: presentCard(link.card), summary: usageSummary(link.history) })),
    suggestions: suggestions.map((suggestion) => presentAccountRow(suggestion.account)),
    tiles: media.map(presentMediaTile),
  };
}

/** Follow or dismiss a suggestion: plain forms, so they work without JavaScript. */
export const action = formAction(async ({ request, context, form }) => {
  const { user } = requireViewer(context, request);
  const accountId = String(form.get("accountId") ?? "");
  if (form.get("intent") === "dismiss") await dismissSuggestion(context.scope.domain, user.id, accountId);
  else await follow(context.scope.domain, user.id, accountId);
  return null;
});

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="border-b border-line py-3">
      <h2 id={id} className="px-4 pb-2 text-xl font-bold">
        {title}
      </h2>
      {children}
    </section>
  );
}

export default function Explore() {
  const { now, signedIn, tags, posts, links, suggestions, tiles } = useLoaderData<typeof loader>();
  const problem = useActionData<FormProblem | null>();
  return (
    <>
      <PageHeader title="Explore" description="What people here are talking about now." />
      <FormMessage error={problem?.formError} />
      <Section id="explore-tags" title="Trending hashtags">
        {tags.length === 0 ? (
          <p className="px-4 text-muted">Nothing is trending right now.</p>
        ) : (
          <ol className="divide-y divide-line">
            {tags.map((tag) => (
              <li key={tag.name}>
                <Link
                  to={`/tags/${encodeURIComponent(tag.name)}`}
                  className="flex min-h-11 items-center gap-3 px-4 py-2 hover:bg-raised focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-accent"
                >
                  <span className="min-w-0 flex-1">
                    <span className="block truncate font-semibold">#{tag.name}</span>
                    <span className="block text-sm text-muted">{tag.summary}</span>
                  </span>
                  <Sparkline history={tag.history} className="shrink-0 text-accent" />
                </Link>
              </li>
            ))}
          </ol>
        )}
      </Section>
      <Section id="explore-follow" title="Who to follow">
        {suggestions.length === 0 ? (
          <p className="px-4 text-muted">No suggestions for now.</p>
        ) : (
          <ul>
            {suggestions.map((account) => (
              <li key={account.id} className="flex items-center gap-3 px-4 py-2">
                <img src={account.avatar} alt="" width={48} height={48} className="size-12 rounded-full bg-raised" />
                <Link to={`/${account.username}`} className="min-w-0 flex-1">
                  <span className="block truncate font-semibold">{account.displayName}</span>
                  <span className="block truncate text-sm text-muted">{`@${account.username}`}</span>
                </Link>
                {signedIn && (
                  <>
                    <Form method="post">
                      <input type="hidden" name="intent" value="follow" />
                      <input type="hidden" name="accountId" value={account.id} />
                      <button type="submit" className="min-h-11 rounded-full bg-accent px-4 text-sm font-semibold text-accent-ink">
                        Follow<span className="sr-only">{` @${account.username}`}</span>
                      </button>
                    </Form>
                    <Form method="post">
                      <input type="hidden" name="intent" value="dismiss" />
                      <input type="hidden" name="accountId" value={account.id} />
                      <button type="submit" className="min-h-11 rounded-full border border-line px-3 text-sm font-semibold">
                        Dismiss<span className="sr-only">{` @${account.username}`}</span>
                      </button>
                    </Form>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section id="explore-posts" title="Trending posts">
        {posts.length === 0 ? (
          <p className="px-4 text-muted">No post is trending right now.</p>
        ) : (
          posts.map((post) => <PostCard key={post.rowId} post={post} now={now} />)
        )}
      </Section>
      <Section id="explore-links" title="Trending links">
        {links.length === 0 ? (
          <p className="px-4 text-muted">No link is trending right now.</p>
        ) : (
          <ul className="flex flex-col gap-2 px-4">
            {links.map((link) => (
              <li key={link.card.url}>
                <LinkCard card={link.card} />
                <p className="mt-1 text-sm text-muted">{link.summary}</p>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section id="explore-media" title={signedIn ? "Pictures for you" : "Popular pictures"}>
        {tiles.length === 0 ? (
          <p className="px-4 text-muted">No pictures yet this week.</p>
        ) : (
          <MediaGrid tiles={tiles} label={signedIn ? "Posts with pictures and videos for you" : "Popular posts with pictures and videos"} />
        )}
      </Section>
    </>
  );
}
