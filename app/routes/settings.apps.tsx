import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authorizedApps, personalAccessTokens, revokeAppAuthorization, revokePersonalAccessToken } from "#domain/clients/tokens.ts";
import { createConfirmedPersonalAccessToken, hasPassword } from "#domain/accounts/credentials.ts";
import { hasTwoFactor } from "#domain/accounts/two-factor.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { Field, FormMessage, SubmitButton } from "#app/components/forms.tsx";
import { SettingsSection } from "#app/components/settings-section.tsx";
import { formAction, formProblem, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Apps and tokens");

const TOKEN_SCOPES = [
  { scope: "read", label: "Read everything you can see" },
  { scope: "write", label: "Post and change things as you" },
  { scope: "follow", label: "Follow, block and mute" },
  { scope: "push", label: "Receive push notifications" },
  { scope: "profile", label: "Only know who you are" },
];

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const [apps, tokens, passwordSet, twoFactorOn] = await Promise.all([
    authorizedApps(domain, user.id),
    personalAccessTokens(domain, user.id),
    hasPassword(domain, user.id),
    hasTwoFactor(domain, user.id),
  ]);
  return {
    proofs: { password: passwordSet, code: twoFactorOn },
    apps: apps.map(({ app, scopes, authorizedAt, lastUsedAt }) => ({
      id: app.id,
      name: app.name,
      website: app.website,
      scopes,
      authorizedAt: iso(authorizedAt),
      lastUsedAt: iso(lastUsedAt),
    })),
    tokens: tokens.map((token) => ({
      id: token.id,
      name: token.name,
      scopes: token.scopes.split(" "),
      createdAt: iso(token.createdAt),
      lastUsedAt: iso(token.lastUsedAt),
    })),
  };
}

type Result = { intent: string; notice?: string; token?: string };

export const action = formAction(async ({ request, context, form }) => {
  const { user } = requireViewer(context, request);
  const { domain, client } = context.scope;
  const intent = String(form.get("intent"));
  switch (intent) {
    case "revoke-app":
      await revokeAppAuthorization(domain, user.id, String(form.get("appId")));
      return { intent, notice: "Access revoked. The app can no longer use your account." } satisfies Result;
    case "create-token": {
      const token = await createConfirmedPersonalAccessToken(
        domain,
        user.id,
        {
          name: String(form.get("name") ?? ""),
          scopes: form.getAll("scopes").map(String),
          proof: { password: String(form.get("password") ?? ""), code: String(form.get("code") ?? "") },
        },
        client,
      );
      return { intent, token } satisfies Result;
    }
    case "revoke-token":
      await revokePersonalAccessToken(domain, user.id, String(form.get("tokenId")));
      return { intent, notice: "Token revoked." } satisfies Result;
    default:
      return formProblem(form, { formError: "Unknown action", fieldErrors: {} }, 400);
  }
});

const day = (value: string | null) => (value ? value.slice(0, 10) : "never");

/** An app or token in a list, with the form that revokes it. */
function RevocableItem({ title, details, intent, field }: { title: string; details: string; intent: string; field: [string, string] }) {
  return (
    <li className="flex items-center justify-between gap-4 py-3">
      <div>
        <p className="font-medium">{title}</p>
        <p className="text-sm text-muted">{details}</p>
      </div>
      <Form method="post">
        <input type="hidden" name="intent" value={intent} />
        <input type="hidden" name={field[0]} value={field[1]} />
        <button type="submit" className="rounded-full border border-line px-4 py-1.5 text-sm font-semibold">
          Revoke<span className="sr-only"> {title}</span>
        </button>
      </Form>
    </li>
  );
}

export default function AppsAndTokens() {
  const { apps, tokens, proofs } = useLoaderData<typeof loader>();
  const result = useActionData<FormProblem | Result>();
  const problem = result && "fieldErrors" in result ? result : undefined;
  const done = result && "intent" in result ? result : undefined;
  return (
    <>
      <FormMessage error={problem?.formError} notice={done?.notice} />
      <SettingsSection id="apps-heading" title="Authorized apps" description="Apps you have let use your account through the API.">
        {apps.length === 0 ? (
          <p className="text-muted">No apps have access to your account.</p>
        ) : (
          <ul className="divide-y divide-line">
            {apps.map((app) => (
              <RevocableItem
                key={app.id}
                title={app.name}
                details={`${app.scopes.join(", ")} · authorized ${day(app.authorizedAt)} · last used ${day(app.lastUsedAt)}`}
                intent="revoke-app"
                field={["appId", app.id]}
              />
            ))}
          </ul>
        )}
      </SettingsSection>
      <SettingsSection
        id="tokens-heading"
        title="Personal access tokens"
        description="Tokens for your own scripts and tools. Send one as “Authorization: Bearer …”."
      >
        {done?.token && (
          <div role="status" className="rounded-lg bg-accent-soft p-4">
            <p className="font-semibold">Your new token (shown once; copy it now)</p>
            <code data-testid="new-token" className="mt-2 block font-mono break-all">
              {done.token}
            </code>
          </div>
        )}
        {tokens.length > 0 && (
          <ul className="divide-y divide-line">
            {tokens.map((token) => (
              <RevocableItem
                key={token.id}
                title={token.name ?? "Personal token"}
                details={`${token.scopes.join(", ")} · created ${day(token.createdAt)} · last used ${day(token.lastUsedAt)}`}
                intent="revoke-token"
                field={["tokenId", token.id]}
              />
            ))}
          </ul>
        )}
        <Form method="post" className="flex flex-col gap-4" noValidate>
          <input type="hidden" name="intent" value="create-token" />
          <Field
            label="Name"
            name="name"
            required
            maxLength={100}
            hint="So you can tell your tokens apart."
            defaultValue={problem?.values.name}
          />
          <fieldset className="flex flex-col gap-2">
            <legend className="font-medium">Access</legend>
            {TOKEN_SCOPES.map(({ scope, label }) => (
              <label key={scope} className="flex items-center gap-2">
                <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === "read"} />
                <span>
                  <code className="font-mono">{scope}</code>: {label}
                </span>
              </label>
            ))}
            {problem?.fieldErrors.scopes && <p className="text-sm font-medium text-danger">{problem.fieldErrors.scopes}</p>}
          </fieldset>
          {proofs.password && (
            <Field
              label="Your password"
              name="password"
              type="password"
              autoComplete="current-password"
              error={problem?.fieldErrors.password}
            />
          )}
          {proofs.code && (
            <Field label={proofs.password ? "Or a two-factor code" : "A two-factor code"} name="code" autoComplete="one-time-code" />
          )}
          {!proofs.password && !proofs.code && (
            <p className="text-sm text-muted">
              Set a password in Account settings, or turn on two-factor authentication, to create tokens.
            </p>
          )}
          <div>
            <SubmitButton intent="create-token" pendingLabel="Creating…">
              Create token
            </SubmitButton>
          </div>
        </Form>
      </SettingsSection>
    </>
  );
}
