import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { filterActions, filterContexts } from "#db/schema/index.ts";
import {
  createFilter,
  deleteFilter,
  filtersOf,
  keywordChangesTo,
  ownFilter,
  updateFilter,
  type FilterAction,
  type FilterContext,
} from "#domain/filters/filters.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { Field, FormMessage, SubmitButton } from "#app/components/forms.tsx";
import { SettingsSection } from "#app/components/settings-section.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Filters");

const contextLabels: Record<FilterContext, string> = {
  home: "Home and lists",
  notifications: "Notifications",
  public: "Public and hashtag timelines",
  thread: "Conversations",
  account: "Profiles",
};

const actionLabels: Record<FilterAction, { label: string; hint: string }> = {
  warn: { label: "Warn", hint: "Show the post behind a “Filtered” notice you can open." },
  hide: { label: "Hide", hint: "Leave the post out entirely." },
  blur: { label: "Blur media", hint: "Show the post with its pictures and videos covered." },
};

const expiries = [
  { value: "", label: "Never" },
  { value: "1800", label: "30 minutes" },
  { value: "3600", label: "1 hour" },
  { value: "43200", label: "12 hours" },
  { value: "86400", label: "1 day" },
  { value: "604800", label: "1 week" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const now = Date.now();
  const editId = new URL(request.url).searchParams.get("edit");
  // Another person's filter, or one that is gone, is a 404 (ownFilter), as on the API.
  const editing = editId ? await ownFilter(context.scope.domain, user.id, editId) : null;
  return {
    filters: (await filtersOf(context.scope.domain, user.id)).map((filter) => ({
      id: filter.id,
      title: filter.title,
      contexts: filter.contexts.map((value) => contextLabels[value]),
      action: actionLabels[filter.action].label,
      keywords: filter.keywords.map((keyword) => (keyword.wholeWord ? keyword.keyword : `${keyword.keyword}…`)),
      posts: filter.statuses.length,
      expiry: filter.expiresAt
        ? filter.expiresAt.getTime() <= now
          ? "expired"
          : filter.expiresAt.toISOString().slice(0, 16).replace("T", " ")
        : null,
    })),
    editing: editing && {
      id: editing.id,
      title: editing.title,
      keywords: editing.keywords.map((keyword) => keyword.keyword).join("\n"),
      wholeWord: editing.keywords.every((keyword) => keyword.wholeWord),
      contexts: editing.contexts,
      action: editing.action,
    },
  };
}

/** The form's fields as the domain takes them; an expiry of "keep" (editing) leaves it as it is. */
function filterFields(form: FormData) {
  const wholeWord = form.get("wholeWord") === "on";
  const expiry = String(form.get("expiresIn") ?? "");
  return {
    title: String(form.get("title") ?? ""),
    contexts: form.getAll("contexts").map(String) as FilterContext[],
    action: String(form.get("action") ?? "warn") as FilterAction,
    expiresIn: expiry === "keep" ? undefined : expiry ? Number(expiry) : null,
    keywords: String(form.get("keywords") ?? "")
      .split(/[\n,]/)
      .map((keyword) => keyword.trim())
      .filter(Boolean)
      .map((keyword) => ({ keyword, wholeWord })),
  };
}

export const action = formAction(async ({ request, context, form }) => {
  const { user } = requireViewer(context, request);
  const intent = form.get("intent");
  if (intent === "delete") {
    await deleteFilter(context.scope.domain, user.id, String(form.get("filterId")));
    return { notice: "Filter deleted." };
  }
  const fields = filterFields(form);
  if (intent === "update") {
    const filterId = String(form.get("filterId"));
    const current = await ownFilter(context.scope.domain, user.id, filterId);
    await updateFilter(context.scope.domain, user.id, filterId, {
      ...fields,
      keywords: keywordChangesTo(current.keywords, fields.keywords),
    });
    return { notice: "Filter updated." };
  }
  if (intent !== "create") throw new Response("Unknown action", { status: 400 });
  await createFilter(context.scope.domain, user.id, { ...fields, expiresIn: fields.expiresIn ?? null });
  return { notice: "Filter saved." };
});

export default function Filters() {
  const { filters, editing } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as (Partial<FormProblem> & { notice?: string }) | undefined;
  // What was typed, after a refused form; else the filter being edited; else a new filter's defaults.
  const values = result?.values;
  const errors = result?.fieldErrors ?? {};
  return (
    <>
      <SettingsSection
        id="filters-heading"
        title="Your filters"
        description="Posts with these words are hidden or put behind a notice where you chose. Your own posts are never filtered."
      >
        <FormMessage error={result?.formError} notice={result?.notice} />
        {filters.length === 0 ? (
          <p className="text-muted">No filters yet.</p>
        ) : (
          <ul className="flex flex-col gap-3">
            {filters.map((filter) => (
              <li key={filter.id} className="flex items-start justify-between gap-3 rounded-lg border border-line p-3">
                <div className="min-w-0">
                  <p className="font-semibold">{filter.title}</p>
                  <p className="text-sm text-muted">
                    {filter.action} · {filter.contexts.join(", ")}
                    {filter.expiry ? ` · ${filter.expiry === "expired" ? "expired" : `until ${filter.expiry} UTC`}` : ""}
                  </p>
                  {filter.keywords.length > 0 && <p className="text-sm break-words">{filter.keywords.join(", ")}</p>}
                  {filter.posts > 0 && <p className="text-sm text-muted">and {filter.posts} chosen posts</p>}
                </div>
                <div className="flex shrink-0 flex-wrap justify-end gap-2">
                  <Link
                    to={`?edit=${filter.id}#filter-form-heading`}
                    className="inline-flex min-h-6 items-center rounded-full border border-line px-3 py-1 text-sm font-semibold"
                  >
                    Edit<span className="sr-only"> the filter {filter.title}</span>
                  </Link>
                  <Form method="post">
                    <input type="hidden" name="filterId" value={filter.id} />
                    <button
                      type="submit"
                      name="intent"
                      value="delete"
                      className="min-h-6 rounded-full border border-danger px-3 py-1 text-sm font-semibold text-danger"
                    >
                      Delete<span className="sr-only"> the filter {filter.title}</span>
                    </button>
                  </Form>
                </div>
              </li>
            ))}
          </ul>
        )}
      </SettingsSection>
      <SettingsSection id="filter-form-heading" title={editing ? `Edit “${editing.title}”` : "New filter"}>
        <Form method="post" className="flex flex-col gap-4" key={editing?.id ?? "new"}>
          <input type="hidden" name="intent" value={editing ? "update" : "create"} />
          {editing && <input type="hidden" name="filterId" value={editing.id} />}
          <Field
            label="Title"
            name="title"
            required
            maxLength={200}
            defaultValue={values?.title ?? editing?.title ?? ""}
            error={errors.title}
          />
          <div className="flex flex-col gap-1.5">
            <label htmlFor="filter-keywords" className="font-medium">
              Words and phrases
            </label>
            <textarea
              id="filter-keywords"
              name="keywords"
              rows={3}
              defaultValue={values?.keywords ?? editing?.keywords ?? ""}
              aria-describedby="filter-keywords-hint"
              className="rounded-lg border border-line bg-surface px-3 py-2 text-ink"
            />
            <p id="filter-keywords-hint" className="text-sm text-muted">
              One per line, or separated by commas.
            </p>
            {errors.keywords && <p className="text-sm font-medium text-danger">{errors.keywords}</p>}
          </div>
          <label className="flex items-center gap-3">
            <input type="checkbox" name="wholeWord" defaultChecked={values ? values.wholeWord === "on" : (editing?.wholeWord ?? true)} />
            Whole words only
          </label>
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1 font-medium">Where</legend>
            {filterContexts.map((value) => (
              <label key={value} className="flex items-center gap-3">
                <input
                  type="checkbox"
                  name="contexts"
                  value={value}
                  defaultChecked={editing ? editing.contexts.includes(value) : value === "home" || value === "public"}
                />
                {contextLabels[value]}
              </label>
            ))}
            {errors.contexts && <p className="text-sm font-medium text-danger">{errors.contexts}</p>}
          </fieldset>
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1 font-medium">What to do</legend>
            {filterActions.map((value) => (
              <label key={value} className="flex items-start gap-3">
                <input
                  type="radio"
                  name="action"
                  value={value}
                  defaultChecked={(values?.action ?? editing?.action ?? "warn") === value}
                  className="mt-1"
                />
                <span className="font-medium">
                  {actionLabels[value].label}
                  <span className="block text-sm font-normal text-muted">{actionLabels[value].hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <div className="flex flex-col gap-1.5">
            <label htmlFor="filter-expiry" className="font-medium">
              Expires after
            </label>
            <select
              id="filter-expiry"
              name="expiresIn"
              defaultValue={values?.expiresIn ?? (editing ? "keep" : "")}
              className="rounded-lg border border-line bg-surface px-3 py-2 text-ink"
            >
              {editing && <option value="keep">As it is now</option>}
              {expiries.map((expiry) => (
                <option key={expiry.value} value={expiry.value}>
                  {expiry.label}
                </option>
              ))}
            </select>
          </div>
          <div className="flex flex-wrap items-center gap-3">
            <SubmitButton intent={editing ? "update" : "create"}>{editing ? "Save changes" : "Save filter"}</SubmitButton>
            {editing && (
              <Link to="/settings/filters" className="font-semibold underline">
                Cancel editing
              </Link>
            )}
          </div>
        </Form>
      </SettingsSection>
    </>
  );
}
