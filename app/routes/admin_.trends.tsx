import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { readInstanceSettings, updateInstanceSettings } from "#domain/instance-settings.ts";
import { DomainError } from "#domain/errors.ts";
import { decideTrend, isTrendKind, trendsForReview } from "#domain/trends/review.ts";
import { requirePermission } from "#app/auth/viewer.server.ts";
import { FormMessage, PageHeader } from "#app/components/forms.tsx";
import { Sparkline, usageSummary } from "#app/components/sparkline.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Trends · Admin");

/** Trends as the job scored them, with hide, allow and review; protected like /admin, on the server. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "access:admin");
  const { domain } = context.scope;
  const [items, settings] = await Promise.all([trendsForReview(domain), readInstanceSettings(domain)]);
  return { items, settings };
}

export const action = formAction(async ({ request, context, form }) => {
  requirePermission(context, request, "access:admin");
  const { domain } = context.scope;
  if (form.get("intent") === "settings") {
    await updateInstanceSettings(domain, { trendsReviewNewTags: form.get("reviewNewTags") === "on" });
    return null;
  }
  const kind = String(form.get("kind") ?? "");
  const decision = form.get("decision");
  if (!isTrendKind(kind) || (decision !== "allowed" && decision !== "hidden"))
    throw new DomainError("invalid", "Choose an item and a decision");
  await decideTrend(domain, kind, String(form.get("key") ?? ""), decision);
  return null;
});

const headings = { tag: "Hashtags", post: "Posts", link: "Links" } as const;

export default function AdminTrends() {
  const { items, settings } = useLoaderData<typeof loader>();
  const problem = useActionData<FormProblem | null>();
  return (
    <>
      <PageHeader title="Trends" back="/admin" description="What is gaining use now, scored every five minutes (docs/trends.md)." />
      <FormMessage error={problem?.formError} />
      <Form method="post" className="flex flex-wrap items-center gap-3 border-b border-line px-4 py-4">
        <input type="hidden" name="intent" value="settings" />
        <label className="flex min-h-11 items-center gap-2">
          <input type="checkbox" name="reviewNewTags" defaultChecked={settings.trendsReviewNewTags} className="size-5" />
          New hashtags need review before they trend
        </label>
        <button type="submit" className="min-h-11 rounded-full border border-line px-4 font-semibold">
          Save
        </button>
      </Form>
      {(["tag", "post", "link"] as const).map((kind) => {
        const list = items.filter((item) => item.kind === kind);
        return (
          <section key={kind} aria-labelledby={`trends-${kind}`} className="border-b border-line px-4 py-4">
            <h2 id={`trends-${kind}`} className="font-bold">
              {headings[kind]}
            </h2>
            {list.length === 0 ? (
              <p className="text-muted">Nothing is trending.</p>
            ) : (
              <ul className="mt-2 divide-y divide-line">
                {list.map((item) => (
                  <li key={item.key} className="flex flex-wrap items-center gap-3 py-2">
                    <div className="min-w-0 flex-1">
                      <p className="font-semibold break-words">{item.label}</p>
                      <p className="text-sm text-muted">
                        Score {item.score.toFixed(1)}, {item.accounts} accounts now
                        {item.history.length > 0 ? `; ${usageSummary(item.history)}` : ""}.{" "}
                        {item.decision === "hidden" ? "Hidden." : item.decision === "allowed" ? "Approved." : "Not reviewed."}
                      </p>
                    </div>
                    {item.history.length > 0 && <Sparkline history={item.history} className="text-accent" />}
                    <Form method="post">
                      <input type="hidden" name="kind" value={item.kind} />
                      <input type="hidden" name="key" value={item.key} />
                      <input type="hidden" name="decision" value={item.decision === "hidden" ? "allowed" : "hidden"} />
                      <button type="submit" className="min-h-11 rounded-full border border-line px-4 text-sm font-semibold">
                        {item.decision === "hidden" ? "Show again" : "Hide"}
                        <span className="sr-only"> {item.label}</span>
                      </button>
                    </Form>
                    {item.kind === "tag" && item.decision === null && (
                      <Form method="post">
                        <input type="hidden" name="kind" value="tag" />
                        <input type="hidden" name="key" value={item.key} />
                        <input type="hidden" name="decision" value="allowed" />
                        <button type="submit" className="min-h-11 rounded-full bg-accent px-4 text-sm font-semibold text-accent-ink">
                          Approve<span className="sr-only"> {item.label}</span>
                        </button>
                      </Form>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </>
  );
}
