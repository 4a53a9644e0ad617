import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { can } from "#domain/accounts/permissions.ts";
import { dashboard } from "#domain/dashboard.ts";
import { recentDeadLetters } from "#domain/dead-letters.ts";
import { instanceStats } from "#domain/instance.ts";
import { decideAppeal, openAppeals } from "#domain/moderation/actions.ts";
import { aiClassificationOn } from "#domain/moderation/settings.ts";
import { requirePermission } from "#app/auth/viewer.server.ts";
import { AdminNav, AdminSection, TableScroller } from "#app/components/admin.tsx";
import { DayChart } from "#app/components/day-chart.tsx";
import { FormMessage, PageHeader } from "#app/components/forms.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Admin");

/** The dashboard of the moderators' and admins' area: every loader and action checks the permission on the server. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = requirePermission(context, request, "access:moderation");
  const { domain } = context.scope;
  const isAdmin = can(viewer.user, "access:admin");
  const [stats, figures, letters, appeals] = await Promise.all([
    instanceStats(domain),
    dashboard(domain),
    isAdmin ? recentDeadLetters(domain, 10) : Promise.resolve([]),
    openAppeals(domain),
  ]);
  return {
    username: viewer.user.username,
    isAdmin,
    aiOn: aiClassificationOn(domain),
    stats,
    figures,
    deadLetters: letters.map((letter) => ({
      id: letter.id,
      queue: letter.queue,
      reason: letter.reason,
      at: letter.createdAt.toISOString(),
    })),
    appeals: appeals.map((action) => ({ id: action.id, kind: action.kind, reason: action.reason, appeal: action.appealText ?? "" })),
  };
}

export const action = formAction(async ({ request, context, form }) => {
  requirePermission(context, request, "access:moderation");
  const { domain } = context.scope;
  if (form.get("intent") === "appeal") {
    await decideAppeal(domain, String(form.get("actionId")), form.get("decision") === "overturned" ? "overturned" : "upheld");
    return { notice: "Appeal answered." };
  }
  throw new Response("Unknown action", { status: 400 });
});

function Tile({ label, value, href }: { label: string; value: number; href?: string }) {
  return (
    <div>
      <dt className="text-sm text-muted">
        {href ? (
          <a href={href} className="underline">
            {label}
          </a>
        ) : (
          label
        )}
      </dt>
      <dd className="text-2xl font-bold">{value}</dd>
    </div>
  );
}

export default function Admin() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as (Partial<FormProblem> & { notice?: string }) | undefined;
  const { figures } = data;
  const days = figures.days.map((day) => day.day);
  const column = (key: Exclude<keyof (typeof figures.days)[number], "day">) => figures.days.map((day) => day[key]);
  const today = figures.days.at(-1);
  return (
    <>
      <PageHeader title="Admin" description={`Signed in as @${data.username}.`} />
      <AdminNav current="/admin" isAdmin={data.isAdmin} />
      <div className="px-4 pt-3">
        <FormMessage error={result?.formError} notice={result?.notice} />
        <p className="mt-2 text-sm" role="note">
          {data.aiOn
            ? "AI classification is on: Claude reviews new and edited posts after the local rules."
            : "AI classification is off (no ANTHROPIC_API_KEY): only the local rules review posts."}
        </p>
      </div>
      <AdminSection id="now-heading" title="Now">
        <dl className="mt-2 grid grid-cols-2 gap-4 sm:grid-cols-4">
          <Tile label="Open reports" value={figures.openReports} href="/admin/reports" />
          <Tile label="Held for review" value={figures.held} href="/admin/queue" />
          <Tile label="Events waiting for a queue" value={figures.unrelayedEvents} />
          <Tile label="Dead letters (30 days)" value={figures.deadLetters} />
          <Tile label="Accounts" value={data.stats.users} />
          <Tile label="Posts" value={data.stats.posts} />
          <Tile label="Active today" value={today?.activeDaily ?? 0} />
          <Tile label="Active this week" value={today?.activeWeekly ?? 0} />
        </dl>
        {figures.deadLettersByQueue.length > 0 && (
          <p className="mt-2 text-sm">
            Dead letters by queue: {figures.deadLettersByQueue.map((row) => `${row.queue} ${row.count}`).join(", ")}
          </p>
        )}
      </AdminSection>
      <AdminSection id="stats-heading" title="Last 30 days (UTC)">
        <div className="mt-2 grid gap-6 sm:grid-cols-2">
          <DayChart title="Sign-ups" days={days} series={[{ label: "Sign-ups", values: column("signUps"), className: "text-accent" }]} />
          <DayChart title="Posts" days={days} series={[{ label: "Posts", values: column("posts"), className: "text-accent" }]} />
          <DayChart
            title="Active people"
            days={days}
            series={[
              { label: "Weekly active", values: column("activeWeekly"), className: "text-accent" },
              { label: "Daily active", values: column("activeDaily"), className: "text-ink" },
            ]}
          />
          <DayChart
            title="Reports"
            days={days}
            series={[
              { label: "Opened", values: column("reportsOpened"), className: "text-danger" },
              { label: "Closed", values: column("reportsClosed"), className: "text-ink" },
            ]}
          />
          <DayChart
            title="Waiting (the day's highest)"
            days={days}
            measure="level"
            series={[
              { label: "Held for review", values: column("held"), className: "text-danger" },
              { label: "Events waiting for a queue", values: column("unrelayedEvents"), className: "text-accent" },
              { label: "Dead letters", values: column("deadLetters"), className: "text-ink" },
            ]}
          />
        </div>
        <details className="mt-4">
          <summary className="min-h-11 cursor-pointer py-2 font-medium">The figures as a table</summary>
          <TableScroller label="Daily figures">
            <table className="w-full text-sm">
              <caption className="sr-only">Daily figures, newest first</caption>
              <thead>
                <tr>
                  <th scope="col" className="text-left">
                    Day
                  </th>
                  <th scope="col">Sign-ups</th>
                  <th scope="col">Posts</th>
                  <th scope="col">Active</th>
                  <th scope="col">Active in the week</th>
                  <th scope="col">Reports opened</th>
                  <th scope="col">Reports closed</th>
                  <th scope="col">Held for review</th>
                  <th scope="col">Events waiting</th>
                  <th scope="col">Dead letters</th>
                </tr>
              </thead>
              <tbody>
                {[...figures.days].reverse().map((day) => (
                  <tr key={day.day}>
                    <th scope="row" className="text-left font-normal">
                      {day.day}
                    </th>
                    <td className="text-center">{day.signUps}</td>
                    <td className="text-center">{day.posts}</td>
                    <td className="text-center">{day.activeDaily}</td>
                    <td className="text-center">{day.activeWeekly}</td>
                    <td className="text-center">{day.reportsOpened}</td>
                    <td className="text-center">{day.reportsClosed}</td>
                    <td className="text-center">{day.held}</td>
                    <td className="text-center">{day.unrelayedEvents}</td>
                    <td className="text-center">{day.deadLetters}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroller>
        </details>
      </AdminSection>
      <AdminSection
        id="appeals-heading"
        title={`Appeals (${data.appeals.length})`}
        isEmpty={data.appeals.length === 0}
        empty="No appeals waiting."
      >
        <ul className="mt-2 flex flex-col gap-4">
          {data.appeals.map((appeal) => (
            <li key={appeal.id} className="rounded-lg border border-line p-3">
              <p>
                {appeal.kind}: {appeal.reason}
              </p>
              <p className="mt-1 text-sm">{`Appeal: “${appeal.appeal}”`}</p>
              <Form method="post" className="mt-2 flex gap-2">
                <input type="hidden" name="intent" value="appeal" />
                <input type="hidden" name="actionId" value={appeal.id} />
                <button
                  type="submit"
                  name="decision"
                  value="overturned"
                  className="min-h-11 rounded-full border border-line px-4 font-semibold"
                >
                  Overturn
                </button>
                <button
                  type="submit"
                  name="decision"
                  value="upheld"
                  className="min-h-11 rounded-full border border-line px-4 font-semibold"
                >
                  Uphold
                </button>
              </Form>
            </li>
          ))}
        </ul>
      </AdminSection>
      {data.isAdmin && (
        <AdminSection
          id="letters-heading"
          title="Recent dead letters"
          isEmpty={data.deadLetters.length === 0}
          empty="None: every background job has succeeded."
        >
          <ul className="mt-2 list-disc pl-5">
            {data.deadLetters.map((letter) => (
              <li key={letter.id}>
                {letter.queue}: {letter.reason} ({letter.at.slice(0, 16).replace("T", " ")})
              </li>
            ))}
          </ul>
        </AdminSection>
      )}
    </>
  );
}
