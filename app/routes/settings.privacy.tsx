import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { type defaultVisibilities, type messagePolicies, type profileVisibilities } from "#db/schema/index.ts";
import { updatePrivacy } from "#domain/profiles/settings.ts";
import { chatSettingsOf, updateChatSettings } from "#domain/messages/settings.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { FormMessage, SubmitButton } from "#app/components/forms.tsx";
import { SettingsSection } from "#app/components/settings-section.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Privacy");

const labels = {
  profileVisibility: { public: "Everyone", "signed-in": "Signed-in people", followers: "Only my followers" },
  messagePolicy: { everyone: "Everyone", following: "People I follow", nobody: "Nobody (conversations already started go on)" },
  defaultVisibility: {
    public: "Public",
    unlisted: "Unlisted (not in public timelines)",
    private: "Followers only",
    friends: "Friends only",
    direct: "Mentioned people only",
  },
} as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const chat = await chatSettingsOf(context.scope.domain, user.id);
  return {
    readReceipts: chat.readReceipts,
    showPresence: chat.showPresence,
    locked: user.locked,
    profileVisibility: user.profileVisibility,
    messagePolicy: user.messagePolicy,
    defaultVisibility: user.defaultVisibility,
    discoverable: user.discoverable,
    hideCollections: user.hideCollections,
  };
}

export const action = formAction(async ({ request, context, form }) => {
  const { user } = requireViewer(context, request);
  await updatePrivacy(context.scope.domain, user.id, {
    locked: form.get("locked") === "on",
    discoverable: form.get("discoverable") === "on",
    hideCollections: form.get("hideCollections") === "on",
    profileVisibility: String(form.get("profileVisibility")) as (typeof profileVisibilities)[number],
    messagePolicy: String(form.get("messagePolicy")) as (typeof messagePolicies)[number],
    defaultVisibility: String(form.get("defaultVisibility")) as (typeof defaultVisibilities)[number],
  });
  // After updatePrivacy, which validates the choices: an invalid form changes neither.
  await updateChatSettings(context.scope.domain, user.id, {
    readReceipts: form.get("readReceipts") === "on",
    showPresence: form.get("showPresence") === "on",
  });
  return { saved: true as const };
});

function Choice<T extends string>({
  name,
  legend,
  options,
  current,
}: {
  name: string;
  legend: string;
  options: Record<T, string>;
  current: T;
}) {
  return (
    <fieldset className="flex flex-col gap-1.5">
      <legend className="mb-1 font-medium">{legend}</legend>
      {(Object.entries(options) as [T, string][]).map(([value, label]) => (
        <label key={value} className="flex items-center gap-2">
          <input type="radio" name={name} value={value} defaultChecked={current === value} /> {label}
        </label>
      ))}
    </fieldset>
  );
}

export default function Privacy() {
  const settings = useLoaderData<typeof loader>();
  const result = useActionData<FormProblem | { saved: true }>();
  return (
    <Form method="post">
      <FormMessage
        error={result && "fieldErrors" in result ? (result.formError ?? "Some choices were not valid.") : undefined}
        notice={result && "saved" in result ? "Privacy settings saved." : undefined}
      />
      <SettingsSection id="who-heading" title="Who can see and reach you">
        <div>
          <label className="flex items-center gap-2 font-medium">
            <input type="checkbox" name="locked" defaultChecked={settings.locked} aria-describedby="locked-hint" /> Approve followers
          </label>
          <p id="locked-hint" className="text-sm text-muted">
            People must ask to follow you. Turning this off approves everyone waiting.
          </p>
        </div>
        <Choice
          name="profileVisibility"
          legend="Who can see my profile and posts"
          options={labels.profileVisibility}
          current={settings.profileVisibility}
        />
        <Choice name="messagePolicy" legend="Who can message me" options={labels.messagePolicy} current={settings.messagePolicy} />
        <div>
          <label className="flex items-center gap-2">
            <input type="checkbox" name="readReceipts" defaultChecked={settings.readReceipts} aria-describedby="read-receipts-hint" /> Send
            read receipts in messages
          </label>
          <p id="read-receipts-hint" className="text-sm text-muted">
            Turned off, others do not see when you have read their messages, and you do not see when they have read yours.
          </p>
        </div>
        <label className="flex items-center gap-2">
          <input type="checkbox" name="showPresence" defaultChecked={settings.showPresence} /> Show when I am online and when I was last
          seen in messages
        </label>
        <Choice
          name="defaultVisibility"
          legend="Who sees my posts by default"
          options={labels.defaultVisibility}
          current={settings.defaultVisibility}
        />
        <label className="flex items-center gap-2">
          <input type="checkbox" name="discoverable" defaultChecked={settings.discoverable} /> Suggest my account to others and show it in
          search
        </label>
        <label className="flex items-center gap-2">
          <input type="checkbox" name="hideCollections" defaultChecked={settings.hideCollections} /> Hide who I follow and who follows me
        </label>
        <div>
          <SubmitButton pendingLabel="Saving…">Save privacy settings</SubmitButton>
        </div>
      </SettingsSection>
    </Form>
  );
}
