import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { disconnectProvider, listConnections } from "#domain/accounts/connections.ts";
import { providerLabels } from "#app/auth/provider-labels.ts";
import { configuredProviders, isProvider } from "#app/auth/providers.server.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { FormMessage } from "#app/components/forms.tsx";
import { SettingsSection } from "#app/components/settings-section.tsx";
import { formAction, formProblem, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Connections");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const connected = await listConnections(context.scope.domain, user.id);
  return {
    justConnected: new URL(request.url).searchParams.has("connected"),
    providers: configuredProviders(context.scope.config).map((provider) => {
      const connection = connected.find((row) => row.provider === provider);
      return {
        provider,
        label: providerLabels[provider],
        account: connection ? (connection.username ?? connection.email ?? "connected") : null,
      };
    }),
  };
}

export const action = formAction(async ({ request, context, form }) => {
  const { user } = requireViewer(context, request);
  const provider = String(form.get("provider"));
  if (!isProvider(context.scope.config, provider)) return formProblem(form, { formError: "Unknown provider", fieldErrors: {} }, 400);
  await disconnectProvider(context.scope.domain, user.id, provider);
  return { notice: `${providerLabels[provider]} disconnected.` };
});

export default function Connections() {
  const { providers, justConnected } = useLoaderData<typeof loader>();
  const result = useActionData<FormProblem | { notice: string }>();
  return (
    <SettingsSection
      id="connections-heading"
      title="Sign in with another account"
      description="Connected accounts can sign you in instead of your password."
    >
      <FormMessage
        error={result && "formError" in result ? result.formError : undefined}
        notice={result && "notice" in result ? result.notice : justConnected ? "Connected." : undefined}
      />
      {providers.length === 0 && <p className="text-muted">This server has no sign-in providers configured.</p>}
      <ul className="divide-y divide-line">
        {providers.map(({ provider, label, account }) => (
          <li key={provider} className="flex items-center justify-between gap-4 py-3">
            <p>
              <span className="font-medium">{label}</span>{" "}
              {account ? <span className="text-muted">connected as {account}</span> : <span className="text-muted">not connected</span>}
            </p>
            {account ? (
              <Form method="post">
                <input type="hidden" name="provider" value={provider} />
                <button type="submit" className="rounded-full border border-line px-4 py-1.5 text-sm font-semibold">
                  Disconnect {label}
                </button>
              </Form>
            ) : (
              <Form method="post" action={`/auth/${provider}`}>
                <button type="submit" className="rounded-full bg-accent px-4 py-1.5 text-sm font-semibold text-accent-ink">
                  Connect {label}
                </button>
              </Form>
            )}
          </li>
        ))}
      </ul>
    </SettingsSection>
  );
}
