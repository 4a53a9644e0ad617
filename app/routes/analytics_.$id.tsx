import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { postAnalytics } from "#domain/analytics/author-stats.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { DayBars } from "#app/components/day-bars.tsx";
import { PageHeader } from "#app/components/forms.tsx";
import { titled } from "#app/meta.ts";

export const meta = titled("Post analytics");

/** One of your posts over the last 30 days; anyone else's is not found. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const stats = await postAnalytics(context.scope.domain, user.id, params.id ?? "");
  return {
    username: user.username,
    post: { id: stats.post.id, summary: (stats.post.spoilerText || stats.post.text).slice(0, 140) || "(no text)" },
    stats: { impressions: stats.impressions, likes: stats.likes, reposts: stats.reposts, replies: stats.replies },
    totals: stats.totals,
  };
}

export default function PostAnalytics() {
  const { username, post, stats, totals } = useLoaderData<typeof loader>();
  const sum = (days: { count: number }[]) => days.reduce((total, day) => total + day.count, 0);
  return (
    <>
      <PageHeader title="Post analytics" back="/analytics" />
      <div className="border-b border-line px-4 py-3">
        <p>{post.summary}</p>
        <Link to={`/${username}/status/${post.id}`} className="inline-flex min-h-6 items-center text-sm underline">
          Open the post
        </Link>
        <dl className="mt-2 grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
          {(
            [
              ["Impressions", totals.impressions],
              ["Likes", totals.likes],
              ["Reposts", totals.reposts],
              ["Replies", totals.replies],
            ] as const
          ).map(([label, value]) => (
            <div key={label}>
              <dt className="text-muted">{`${label}, all time`}</dt>
              <dd className="text-xl font-bold tabular-nums">{value}</dd>
            </div>
          ))}
        </dl>
      </div>
      <DayBars title="Impressions" days={stats.impressions} total={sum(stats.impressions)} />
      <DayBars title="Likes" days={stats.likes} total={sum(stats.likes)} />
      <DayBars title="Reposts" days={stats.reposts} total={sum(stats.reposts)} />
      <DayBars title="Replies" days={stats.replies} total={sum(stats.replies)} />
    </>
  );
}
