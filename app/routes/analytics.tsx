import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { authorAnalytics, topPosts } from "#domain/analytics/author-stats.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { DayBars } from "#app/components/day-bars.tsx";
import { PageHeader } from "#app/components/forms.tsx";
import { titled } from "#app/meta.ts";

export const meta = titled("Analytics");

/** Your own last 30 days: how far your posts went, what people did with them, and your profile and followers. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const [stats, top] = await Promise.all([authorAnalytics(domain, user.id), topPosts(domain, user.id)]);
  return {
    stats,
    top: top.map((post) => ({
      id: post.id,
      summary: (post.spoilerText || post.text).slice(0, 80) || "(no text)",
      impressions: post.impressions,
      likes: post.likes,
      reposts: post.reposts,
      replies: post.replies,
    })),
  };
}

export default function Analytics() {
  const { stats, top } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Analytics"
        description="Your last 30 days. Impressions count each person once a day per post; only you see these numbers."
      />
      <DayBars title="Impressions" days={stats.impressions} total={stats.totals.impressions} />
      <DayBars title="Likes" days={stats.likes} total={stats.totals.likes} />
      <DayBars title="Reposts" days={stats.reposts} total={stats.totals.reposts} />
      <DayBars title="Replies" days={stats.replies} total={stats.totals.replies} />
      <DayBars title="Profile visits" days={stats.profileVisits} total={stats.totals.profileVisits} />
      <DayBars title="New followers" days={stats.newFollowers} total={stats.totals.newFollowers} />
      <DayBars title="Followers at each day's end" days={stats.followers} total={stats.totals.followers} />
      <section aria-labelledby="top-posts" className="px-4 py-4">
        <h2 id="top-posts" className="font-bold">
          Your most seen posts
        </h2>
        {top.length === 0 ? (
          <p className="text-sm text-muted">No impressions in the last 30 days yet.</p>
        ) : (
          <ol className="mt-2 divide-y divide-line">
            {top.map((post) => (
              <li key={post.id} className="py-2">
                <Link to={`/analytics/${post.id}`} className="block min-h-6 underline">
                  {post.summary}
                </Link>
                <p className="text-sm text-muted">
                  {`${post.impressions} impressions · ${post.likes} likes · ${post.reposts} reposts · ${post.replies} replies`}
                </p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
