import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { data, redirect } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { acceptsRedirectUri, findApp, OUT_OF_BAND, type App } from "#domain/clients/apps.ts";
import { authorizationRequestSchema, PKCE_METHODS, RESPONSE_TYPES } from "#domain/clients/authorization.ts";
import { describeScope } from "#domain/clients/scopes.ts";
import { createAuthorizationCode, scopesForApp } from "#domain/clients/tokens.ts";
import { DomainError } from "#domain/errors.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { AuthCard } from "#app/components/auth-card.tsx";
import { FormMessage } from "#app/components/forms.tsx";
import { formAction } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Authorize an app");

/** Errors that cannot be sent back to the app (unknown client, unregistered redirect URI) are shown here instead. */
class ShowError extends Error {}

/**
 * Validates an authorization request. Problems with the client or redirect URI are shown on the page (redirecting
 * would send the user to an address nobody vouched for); the others go back to the app, as RFC 6749 §4.1.2.1 says.
 */
async function readRequest(request: Request, context: LoaderFunctionArgs["context"], source: URLSearchParams | FormData) {
  const parsed = authorizationRequestSchema.safeParse(Object.fromEntries(source));
  if (!parsed.success)
    throw new ShowError("This authorization request is missing a client_id or redirect_uri, or has a malformed PKCE challenge.");
  const params = parsed.data;
  const app = await findApp(context.scope.domain, params.client_id);
  if (!app) throw new ShowError("The app asking for access is not registered on this server.");
  if (!acceptsRedirectUri(app, params.redirect_uri))
    throw new ShowError("The app asked to send you to an address it did not register, or one that is not safe to open.");
  const back = (error: string, description: string) => {
    if (params.redirect_uri === OUT_OF_BAND) throw new ShowError(description);
    const target = new URL(params.redirect_uri);
    target.searchParams.set("error", error);
    target.searchParams.set("error_description", description);
    if (params.state) target.searchParams.set("state", params.state);
    return redirect(target.toString());
  };
  if (!RESPONSE_TYPES.some((type) => type === params.response_type)) {
    throw back("unsupported_response_type", "Only the authorization code flow is supported.");
  }
  if (params.code_challenge && !PKCE_METHODS.some((method) => method === (params.code_challenge_method ?? "plain"))) {
    throw back("invalid_request", "Only the S256 PKCE method is supported.");
  }
  let scopes: string[];
  try {
    scopes = scopesForApp(app, params.scope);
  } catch (error) {
    if (error instanceof DomainError) throw back("invalid_scope", error.message);
    throw error;
  }
  requireViewer(context, request);
  return { params, app, scopes };
}

function describeApp(app: App, scopes: string[]) {
  return { name: app.name, website: app.website, scopes: scopes.map((scope) => ({ scope, description: describeScope(scope) })) };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  try {
    const { params, app, scopes } = await readRequest(request, context, new URL(request.url).searchParams);
    return { error: null, app: describeApp(app, scopes), params, username: context.scope.viewer!.user.username };
  } catch (error) {
    if (error instanceof ShowError) return data({ error: error.message, app: null, params: null, username: null }, { status: 400 });
    throw error;
  }
}

export const action = formAction(async ({ request, context, form }) => {
  try {
    const { params, app, scopes } = await readRequest(request, context, form);
    const target = params.redirect_uri === OUT_OF_BAND ? null : new URL(params.redirect_uri);
    if (form.get("decision") !== "approve") {
      if (!target) return { code: null, denied: true };
      target.searchParams.set("error", "access_denied");
      target.searchParams.set("error_description", "The user denied the request.");
      if (params.state) target.searchParams.set("state", params.state);
      return redirect(target.toString());
    }
    const code = await createAuthorizationCode(context.scope.domain, {
      app,
      userId: context.scope.viewer!.user.id,
      redirectUri: params.redirect_uri,
      scopes,
      codeChallenge: params.code_challenge,
    });
    if (!target) return { code, denied: false };
    target.searchParams.set("code", code);
    if (params.state) target.searchParams.set("state", params.state);
    return redirect(target.toString());
  } catch (error) {
    if (error instanceof ShowError) return data({ code: null, denied: false, error: error.message }, { status: 400 });
    throw error;
  }
});

export default function Authorize() {
  const { error, app, params, username } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result && "code" in result && result.code) {
    return (
      <AuthCard title="Authorization code" intro="Copy this code and paste it into the app.">
        <code data-testid="authorization-code" className="block rounded-lg bg-raised p-4 font-mono break-all">
          {result.code}
        </code>
      </AuthCard>
    );
  }
  if (result && "denied" in result && result.denied)
    return <AuthCard title="Access denied" intro="The app was not given access to your account." />;
  if (error || !app || !params) return <AuthCard title="This request cannot be authorized" intro={error ?? undefined} />;
  return (
    <AuthCard
      title={`Authorize ${app.name}?`}
      intro={
        <>
          It will be able to act for <strong>{`@${username}`}</strong>:
        </>
      }
    >
      <ul className="list-disc pl-5">
        {app.scopes.map(({ scope, description }) => (
          <li key={scope}>
            {description} <span className="font-mono text-sm text-muted">({scope})</span>
          </li>
        ))}
      </ul>
      {app.website && (
        <p className="text-sm text-muted">
          App website:{" "}
          <a className="text-accent underline" href={app.website} rel="noopener noreferrer">
            {app.website}
          </a>
        </p>
      )}
      <FormMessage error={result && "formError" in result ? result.formError : undefined} />
      <Form method="post" className="flex gap-3">
        {Object.entries(params).map(([key, value]) =>
          value === undefined ? null : <input key={key} type="hidden" name={key} value={value} />,
        )}
        <button type="submit" name="decision" value="approve" className="rounded-full bg-accent px-5 py-2.5 font-semibold text-accent-ink">
          Authorize
        </button>
        <button type="submit" name="decision" value="deny" className="rounded-full border border-line px-5 py-2.5 font-semibold">
          Deny
        </button>
      </Form>
    </AuthCard>
  );
}
