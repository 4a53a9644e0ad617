import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { actionLabel } from "#domain/moderation/action-labels.ts";
import { actionsAgainst, appeal } from "#domain/moderation/actions.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { FormMessage, SubmitButton } from "#app/components/forms.tsx";
import { SettingsSection } from "#app/components/settings-section.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Moderation");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  return {
    actions: (await actionsAgainst(context.scope.domain, user.id)).map((action) => ({
      id: action.id,
      kind: actionLabel(action),
      automatic: action.moderatorId === null,
      reason: action.reason,
      at: action.createdAt.toISOString().slice(0, 16).replace("T", " "),
      postId: action.postId,
      appealed: action.appealedAt !== null,
      decision: action.appealDecision,
    })),
  };
}

export const action = formAction(async ({ request, context, form }) => {
  const { user } = requireViewer(context, request);
  await appeal(context.scope.domain, user.id, String(form.get("actionId") ?? ""), String(form.get("appeal") ?? ""));
  return { notice: "Your appeal was sent. A moderator will look at it." };
});

export default function Moderation() {
  const { actions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as (Partial<FormProblem> & { notice?: string }) | undefined;
  return (
    <SettingsSection
      id="moderation-heading"
      title="Moderation of your account"
      description="What this server's moderators (or its automatic checks) did about your account or posts, and why. You can appeal each decision once."
    >
      <FormMessage error={result?.formError ?? result?.fieldErrors?.form} notice={result?.notice} />
      {actions.length === 0 ? (
        <p className="text-muted">Nothing: your account is in good standing.</p>
      ) : (
        <ul className="flex flex-col gap-4">
          {actions.map((action) => (
            <li key={action.id} className="rounded-lg border border-line p-3">
              <p className="font-semibold">
                {action.kind}{" "}
                <span className="text-sm font-normal text-muted">
                  · {action.at} UTC{action.automatic ? " · automatic" : ""}
                </span>
              </p>
              <p className="mt-1 break-words">{action.reason}</p>
              {action.decision ? (
                <p className="mt-2 text-sm">
                  Appeal {action.decision === "overturned" ? "accepted: the decision was undone." : "reviewed: the decision stands."}
                </p>
              ) : action.appealed ? (
                <p className="mt-2 text-sm">You appealed; a moderator will answer.</p>
              ) : (
                <Form method="post" className="mt-2 flex flex-col gap-2">
                  <input type="hidden" name="actionId" value={action.id} />
                  <label htmlFor={`appeal-${action.id}`} className="text-sm font-medium">
                    Appeal: why is this wrong?
                  </label>
                  <textarea
                    id={`appeal-${action.id}`}
                    name="appeal"
                    rows={3}
                    required
                    maxLength={2000}
                    defaultValue={result?.values?.actionId === action.id ? result.values.appeal : ""}
                    className="rounded-lg border border-line bg-surface px-3 py-2 text-ink"
                  />
                  <div>
                    <SubmitButton>Send appeal</SubmitButton>
                  </div>
                </Form>
              )}
            </li>
          ))}
        </ul>
      )}
    </SettingsSection>
  );
}
