import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import type { MediaDisplay } from "#domain/profiles/media-display.ts";
import { updateReading } from "#domain/profiles/reading.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { FormMessage, SubmitButton } from "#app/components/forms.tsx";
import { SettingsSection } from "#app/components/settings-section.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Reading");

const mediaChoices: Record<MediaDisplay, { label: string; hint: string }> = {
  default: { label: "Cover media marked sensitive", hint: "By their author, a filter of yours or the moderators; one tap shows them." },
  show_all: { label: "Always show media", hint: "Nothing is covered, even media marked sensitive." },
  hide_all: { label: "Cover all media", hint: "Every picture and video waits behind a button." },
};

export function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  return { mediaDisplay: user.mediaDisplay };
}

export const action = formAction(async ({ request, context, form }) => {
  const { user } = requireViewer(context, request);
  await updateReading(context.scope.domain, user.id, { mediaDisplay: String(form.get("mediaDisplay")) as MediaDisplay });
  return { saved: true as const };
});

export default function Reading() {
  const { mediaDisplay } = useLoaderData<typeof loader>();
  const result = useActionData<FormProblem | { saved: true }>();
  const chosen = result && "values" in result ? (result.values.mediaDisplay as MediaDisplay) : mediaDisplay;
  return (
    <Form method="post">
      <FormMessage
        error={
          result && "fieldErrors" in result
            ? (result.formError ?? result.fieldErrors.mediaDisplay ?? "That choice is not valid.")
            : undefined
        }
        notice={result && "saved" in result ? "Reading settings saved." : undefined}
      />
      <SettingsSection id="media-heading" title="Sensitive media">
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 font-medium">How to show pictures and videos</legend>
          {(Object.entries(mediaChoices) as [MediaDisplay, { label: string; hint: string }][]).map(([value, choice]) => (
            <label key={value} className="flex items-start gap-3">
              <input type="radio" name="mediaDisplay" value={value} defaultChecked={chosen === value} className="mt-1" />
              <span className="font-medium">
                {choice.label}
                <span className="block text-sm font-normal text-muted">{choice.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div>
          <SubmitButton pendingLabel="Saving…">Save reading settings</SubmitButton>
        </div>
      </SettingsSection>
    </Form>
  );
}
