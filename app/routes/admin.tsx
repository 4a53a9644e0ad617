import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { rolePermissions } from "#domain/accounts/permissions.ts";
import { instanceStats } from "#domain/instance.ts";
import { recentDeadLetters } from "#domain/dead-letters.ts";
import { requirePermission } from "#app/auth/viewer.server.ts";
import { PageHeader } from "#app/components/forms.tsx";
import { titled } from "#app/meta.ts";

export const meta = titled("Admin");

/** The admin panel's front door. Every loader and action under /admin checks the permission on the server. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = requirePermission(context, request, "access:admin");
  const { domain } = context.scope;
  const [stats, letters] = await Promise.all([instanceStats(domain), recentDeadLetters(domain, 10)]);
  return {
    username: viewer.user.username,
    stats,
    permissions: rolePermissions[viewer.user.role],
    deadLetters: letters.map((letter) => ({
      id: letter.id,
      queue: letter.queue,
      reason: letter.reason,
      createdAt: letter.createdAt.toISOString(),
    })),
  };
}

export default function Admin() {
  const { username, stats, permissions, deadLetters } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Admin" description={`Signed in as @${username}. Moderation tools arrive here with the moderation work.`} />
      <section aria-labelledby="stats-heading" className="px-4 py-4">
        <h2 id="stats-heading" className="font-bold">
          This server
        </h2>
        <dl className="mt-2 grid grid-cols-3 gap-4">
          <div>
            <dt className="text-sm text-muted">Accounts</dt>
            <dd className="text-2xl font-bold">{stats.users}</dd>
          </div>
          <div>
            <dt className="text-sm text-muted">Posts</dt>
            <dd className="text-2xl font-bold">{stats.posts}</dd>
          </div>
          <div>
            <dt className="text-sm text-muted">Active this month</dt>
            <dd className="text-2xl font-bold">{stats.activeUsersThisMonth}</dd>
          </div>
        </dl>
      </section>
      <section aria-labelledby="letters-heading" className="border-t border-line px-4 py-4">
        <h2 id="letters-heading" className="font-bold">
          Recent dead letters
        </h2>
        {deadLetters.length === 0 ? (
          <p className="text-muted">None: every background job has succeeded.</p>
        ) : (
          <ul className="mt-2 list-disc pl-5">
            {deadLetters.map((letter) => (
              <li key={letter.id}>
                {letter.queue}: {letter.reason} ({letter.createdAt.slice(0, 16).replace("T", " ")})
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="trends-heading" className="border-t border-line px-4 py-4">
        <h2 id="trends-heading" className="font-bold">
          Trends
        </h2>
        <p className="mt-2">
          <a href="/admin/trends" className="font-semibold text-accent underline">
            Review trending hashtags, posts and links
          </a>
        </p>
      </section>
      <section aria-labelledby="permissions-heading" className="border-t border-line px-4 py-4">
        <h2 id="permissions-heading" className="font-bold">
          Your permissions
        </h2>
        <p className="mt-2 font-mono text-sm">{permissions.join(", ")}</p>
      </section>
    </>
  );
}
