import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { newId } from "#db/ids.ts";
import { readInstanceSettings, updateInstanceSettings, type Rule } from "#domain/instance-settings.ts";
import { thresholdSteps, verdictCategories, type ModerationSettings, type VerdictCategory } from "#domain/moderation/policy.ts";
import { aiClassificationOn } from "#domain/moderation/settings.ts";
import { requirePermission } from "#app/auth/viewer.server.ts";
import { AdminNav, AdminSection, TableScroller, errorAt } from "#app/components/admin.tsx";
import { Field, FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Settings · Admin");

/** Admins only: moderators act on reports and queues, but what the rules and cut-offs are is the admins' call (ADR 0051). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "access:admin");
  const { domain } = context.scope;
  const settings = await readInstanceSettings(domain);
  return {
    settings,
    aiOn: aiClassificationOn(domain),
    fallback: { title: domain.config.INSTANCE_TITLE, description: domain.config.INSTANCE_DESCRIPTION },
  };
}

const text = (form: FormData, name: string) => String(form.get(name) ?? "");
const lines = (value: string) =>
  value
    .split(/\n/)
    .map((line) => line.trim())
    .filter(Boolean);

/** The rules as the form lists them (site.rules.N.*): removed and blank ones left out, one moved up if asked. */
function rulesFrom(form: FormData): Rule[] {
  const rules: Rule[] = [];
  for (let index = 0; form.has(`site.rules.${index}.text`); index++) {
    const ruleText = text(form, `site.rules.${index}.text`).trim();
    if (!ruleText || form.get(`site.rules.${index}.remove`) === "on") continue;
    rules.push({ id: text(form, `site.rules.${index}.id`) || newId(), text: ruleText, hint: text(form, `site.rules.${index}.hint`) });
  }
  const up = Number(form.get("moveUp"));
  if (Number.isInteger(up) && up > 0 && up < rules.length) [rules[up - 1], rules[up]] = [rules[up]!, rules[up - 1]!];
  return rules;
}

/** The cut-offs as typed (empty: that step off); a field the form did not send keeps its stored value. */
function thresholdsFrom(form: FormData, current: ModerationSettings["thresholds"]) {
  const cutOff = (category: VerdictCategory, step: (typeof thresholdSteps)[number]) => {
    const name = `moderation.thresholds.${category}.${step}`;
    if (!form.has(name)) return current[category][step];
    return text(form, name).trim() === "" ? null : Number(text(form, name));
  };
  return Object.fromEntries(
    verdictCategories.map((category) => [category, Object.fromEntries(thresholdSteps.map((step) => [step, cutOff(category, step)]))]),
  );
}

export const action = formAction(async ({ request, context, form }) => {
  requirePermission(context, request, "access:admin");
  const { domain } = context.scope;
  const current = await readInstanceSettings(domain);
  switch (form.get("intent")) {
    case "site":
      await updateInstanceSettings(domain, {
        site: { title: text(form, "site.title"), description: text(form, "site.description"), rules: rulesFrom(form) },
      });
      return { notice: form.has("moveUp") ? "Rule moved." : "Site settings saved." };
    case "moderation":
      await updateInstanceSettings(domain, {
        moderation: {
          ...current.moderation,
          blockedWords: lines(text(form, "moderation.blockedWords")),
          blockedDomains: lines(text(form, "moderation.blockedDomains")),
          thresholds: thresholdsFrom(form, current.moderation.thresholds),
        },
      });
      return { notice: "Moderation settings saved." };
    case "trends":
      await updateInstanceSettings(domain, { trendsReviewNewTags: form.get("trendsReviewNewTags") === "on" });
      return { notice: "Trends setting saved." };
  }
  throw new Response("Unknown action", { status: 400 });
});

const categoryLabels: Record<(typeof verdictCategories)[number], string> = {
  spam: "Spam",
  harassment: "Harassment",
  hate: "Hate",
  violence: "Violence",
  sexual: "Sexual content",
  self_harm: "Self-harm",
  misinformation: "Misinformation",
  illegal: "Illegal content",
  blocked: "Blocked words and domains",
};

const inputClass = "rounded-lg border border-line bg-surface px-3 py-2 text-ink aria-invalid:border-danger";

function ErrorText({ id, error }: { id: string; error?: string }) {
  if (!error) return null;
  return (
    <p id={id} className="text-sm font-medium text-danger">
      {error}
    </p>
  );
}

export default function AdminSettings() {
  const { settings, aiOn, fallback } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as (Partial<FormProblem> & { notice?: string }) | undefined;
  const errors = result?.fieldErrors;
  const typed = result?.values;
  const intent = typed?.intent;
  /** What the admin typed, when the form comes back with errors; else what is stored. */
  const value = (form: string, name: string, stored: string) => (intent === form && typed ? (typed[name] ?? "") : stored);
  const rules: { id: string; text: string; hint: string }[] =
    intent === "site" && typed
      ? Array.from({ length: Object.keys(typed).filter((key) => /^site\.rules\.\d+\.text$/.test(key)).length }, (_, i) => ({
          id: typed[`site.rules.${i}.id`] ?? "",
          text: typed[`site.rules.${i}.text`] ?? "",
          hint: typed[`site.rules.${i}.hint`] ?? "",
        })).filter((rule, i, all) => i < all.length - 1 || rule.text)
      : settings.site.rules;
  const cutOff = (category: VerdictCategory, step: (typeof thresholdSteps)[number]) => {
    const name = `moderation.thresholds.${category}.${step}`;
    const stored = settings.moderation.thresholds[category][step];
    return value("moderation", name, stored === null ? "" : String(stored));
  };
  return (
    <>
      <PageHeader title="Settings" back="/admin" description="What this server says about itself and how it moderates." />
      <AdminNav current="/admin/settings" isAdmin />
      <div className="px-4 pt-3">
        <FormMessage error={result?.formError} notice={result?.notice} />
      </div>
      <AdminSection id="site-heading" title="About this server">
        <Form method="post" className="mt-2 flex flex-col gap-3">
          <input type="hidden" name="intent" value="site" />
          <Field
            label="Title"
            name="site.title"
            maxLength={100}
            defaultValue={value("site", "site.title", settings.site.title)}
            placeholder={fallback.title}
            hint="Empty: the configured title."
            error={errorAt(errors, "site.title")}
          />
          <label htmlFor="site-description" className="font-medium">
            Description
          </label>
          <textarea
            id="site-description"
            name="site.description"
            rows={3}
            maxLength={2000}
            defaultValue={value("site", "site.description", settings.site.description)}
            placeholder={fallback.description}
            aria-invalid={errorAt(errors, "site.description") ? true : undefined}
            aria-describedby={errorAt(errors, "site.description") ? "site-description-error" : undefined}
            className={inputClass}
          />
          <ErrorText id="site-description-error" error={errorAt(errors, "site.description")} />
          <fieldset className="flex flex-col gap-3">
            <legend className="font-medium">Rules, in order (shown at sign-up and to apps; reports can cite them)</legend>
            <ol className="flex list-decimal flex-col gap-4 pl-6">
              {[...rules, { id: "", text: "", hint: "" }].map((rule, index) => {
                const isNew = index === rules.length;
                const error = errorAt(errors, `site.rules.${index}`);
                return (
                  <li key={`${rule.id}-${index}`} className="flex flex-col gap-1.5">
                    <input type="hidden" name={`site.rules.${index}.id`} value={rule.id} />
                    <label htmlFor={`rule-${index}`} className="text-sm font-medium">
                      {isNew ? "Add a rule" : `Rule ${index + 1}`}
                    </label>
                    <input
                      id={`rule-${index}`}
                      name={`site.rules.${index}.text`}
                      defaultValue={rule.text}
                      maxLength={300}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? `rule-${index}-error` : undefined}
                      className={inputClass}
                    />
                    <label htmlFor={`rule-${index}-hint`} className="text-sm font-medium">
                      {isNew ? "Its explanation (optional)" : `Rule ${index + 1} explanation (optional)`}
                    </label>
                    <input
                      id={`rule-${index}-hint`}
                      name={`site.rules.${index}.hint`}
                      defaultValue={rule.hint}
                      maxLength={1000}
                      className={inputClass}
                    />
                    <ErrorText id={`rule-${index}-error`} error={error} />
                    {!isNew && (
                      <div className="flex flex-wrap items-center gap-3">
                        <label className="flex min-h-11 items-center gap-2">
                          <input type="checkbox" name={`site.rules.${index}.remove`} className="size-5" />
                          Remove rule {index + 1}
                        </label>
                        {index > 0 && (
                          <button type="submit" name="moveUp" value={index} className="min-h-11 rounded-full border border-line px-4">
                            Move rule {index + 1} up
                          </button>
                        )}
                      </div>
                    )}
                  </li>
                );
              })}
            </ol>
          </fieldset>
          <div>
            <SubmitButton intent="site">Save</SubmitButton>
          </div>
        </Form>
      </AdminSection>
      <AdminSection id="moderation-heading" title="Automatic moderation">
        <p className="mt-1 text-sm" role="note">
          {aiOn
            ? "AI classification is on: Claude scores new and edited posts after the local rules."
            : "AI classification is off (no ANTHROPIC_API_KEY): only the local rules score posts."}
        </p>
        <Form method="post" className="mt-2 flex flex-col gap-3">
          <input type="hidden" name="intent" value="moderation" />
          <label htmlFor="blocked-words" className="font-medium">
            Blocked words (one per line; a post, profile or chat message with one is held)
          </label>
          <textarea
            id="blocked-words"
            name="moderation.blockedWords"
            rows={3}
            defaultValue={value("moderation", "moderation.blockedWords", settings.moderation.blockedWords.join("\n"))}
            aria-invalid={errorAt(errors, "moderation.blockedWords") ? true : undefined}
            aria-describedby={errorAt(errors, "moderation.blockedWords") ? "blocked-words-error" : undefined}
            className={inputClass}
          />
          <ErrorText id="blocked-words-error" error={errorAt(errors, "moderation.blockedWords")} />
          <label htmlFor="blocked-domains" className="font-medium">
            Blocked link domains (one per line, subdomains included)
          </label>
          <textarea
            id="blocked-domains"
            name="moderation.blockedDomains"
            rows={3}
            defaultValue={value("moderation", "moderation.blockedDomains", settings.moderation.blockedDomains.join("\n"))}
            aria-invalid={errorAt(errors, "moderation.blockedDomains") ? true : undefined}
            aria-describedby={errorAt(errors, "moderation.blockedDomains") ? "blocked-domains-error" : undefined}
            className={inputClass}
          />
          <ErrorText id="blocked-domains-error" error={errorAt(errors, "moderation.blockedDomains")} />
          <fieldset>
            <legend className="font-medium">Cut-offs per category</legend>
            <p className="text-sm text-muted">
              A score from 0 to 1 at or above a cut-off marks the post sensitive, holds it for review, or removes it; below every cut-off it
              is allowed. Leave a cut-off empty to turn that step off.
            </p>
            <TableScroller label="Moderation cut-offs" className="mt-2">
              <table className="w-full text-sm">
                <thead>
                  <tr>
                    <th scope="col" className="text-left">
                      Category
                    </th>
                    <th scope="col">Sensitive from</th>
                    <th scope="col">Hold from</th>
                    <th scope="col">Remove from</th>
                  </tr>
                </thead>
                <tbody>
                  {verdictCategories.map((category) => (
                    <tr key={category}>
                      <th scope="row" className="py-1 text-left font-normal">
                        {categoryLabels[category]}
                      </th>
                      {thresholdSteps.map((step) => {
                        const name = `moderation.thresholds.${category}.${step}`;
                        const error = errorAt(errors, name);
                        return (
                          <td key={step} className="px-1 py-1 align-top">
                            <input
                              name={name}
                              type="number"
                              min={0}
                              max={1}
                              step={0.01}
                              inputMode="decimal"
                              defaultValue={cutOff(category, step)}
                              aria-label={`${categoryLabels[category]}: ${step} from`}
                              aria-invalid={error ? true : undefined}
                              aria-describedby={error ? `${category}-${step}-error` : undefined}
                              className={`min-h-11 w-20 ${inputClass}`}
                            />
                            <ErrorText id={`${category}-${step}-error`} error={error} />
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroller>
          </fieldset>
          <div>
            <SubmitButton intent="moderation">Save</SubmitButton>
          </div>
        </Form>
      </AdminSection>
      <AdminSection id="trends-heading" title="Trends">
        <Form method="post" className="mt-2 flex flex-wrap items-center gap-3">
          <input type="hidden" name="intent" value="trends" />
          <label className="flex min-h-11 items-center gap-2">
            <input type="checkbox" name="trendsReviewNewTags" defaultChecked={settings.trendsReviewNewTags} className="size-5" />
            New hashtags need review before they trend
          </label>
          <SubmitButton intent="trends" variant="secondary">
            Save
          </SubmitButton>
        </Form>
        <p className="mt-2">
          <a href="/admin/trends" className="font-semibold text-accent underline">
            Review trending hashtags, posts and links
          </a>
        </p>
      </AdminSection>
    </>
  );
}
