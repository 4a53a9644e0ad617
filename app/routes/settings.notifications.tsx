import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { notificationTypes } from "#db/schema/index.ts";
import {
  deliveriesFor,
  notificationKinds,
  readPreferences,
  updatePreferences,
  type NotificationDelivery,
} from "#domain/notifications/preferences.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { FormMessage, SubmitButton } from "#app/components/forms.tsx";
import { SettingsSection } from "#app/components/settings-section.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Notifications");

const deliveryLabels: Record<NotificationDelivery, string> = {
  in_app: "In the app",
  email: "In the app and by email at once",
  digest: "In the app and in a daily email",
  off: "Off",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  return {
    preferences: await readPreferences(context.scope.domain, user.id),
    kinds: notificationTypes.map((type) => ({ type, name: notificationKinds[type].name, deliveries: deliveriesFor(type) })),
    email: user.email,
    emailConfirmed: Boolean(user.emailVerifiedAt),
  };
}

export const action = formAction(async ({ request, context, form }) => {
  const { user } = requireViewer(context, request);
  await updatePreferences(context.scope.domain, user.id, Object.fromEntries(form));
  return { saved: true as const };
});

export default function NotificationSettings() {
  const { preferences, kinds, email, emailConfirmed } = useLoaderData<typeof loader>();
  const result = useActionData<FormProblem | { saved: true }>();
  const problem = result && "fieldErrors" in result ? result : undefined;
  return (
    <Form method="post">
      <FormMessage
        error={problem ? (problem.formError ?? "Some choices were not valid; they are marked below.") : undefined}
        notice={result && "saved" in result ? "Notification settings saved." : undefined}
      />
      <SettingsSection
        id="kinds-heading"
        title="How you hear about each kind"
        description={
          emailConfirmed
            ? `Emails go to ${email}, each with a link to stop them. Daily emails sum up the day before (UTC).`
            : `Emails go only to a confirmed address: confirm ${email} in Account settings to get them.`
        }
      >
        {kinds.map(({ type, name, deliveries }) => {
          const error = problem?.fieldErrors[type];
          const current = problem?.values[type] ?? preferences[type];
          return (
            <div key={type} className="flex flex-col gap-1 sm:flex-row sm:items-center sm:justify-between sm:gap-4">
              <label htmlFor={`delivery-${type}`} className="font-medium">
                {name}
              </label>
              <select
                id={`delivery-${type}`}
                name={type}
                defaultValue={current}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `delivery-${type}-error` : undefined}
                className="min-h-11 rounded-lg border border-line bg-surface px-3 py-2 sm:w-72"
              >
                {deliveries.map((value) => (
                  <option key={value} value={value}>
                    {deliveryLabels[value]}
                  </option>
                ))}
              </select>
              {error && (
                <p id={`delivery-${type}-error`} className="text-sm text-danger">
                  {error}
                </p>
              )}
            </div>
          );
        })}
        <div>
          <SubmitButton pendingLabel="Saving…">Save notification settings</SubmitButton>
        </div>
      </SettingsSection>
    </Form>
  );
}
