import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { data, redirect } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { signInWithProvider, type ProviderProfile } from "#domain/accounts/connections.ts";
import { providerLabels } from "#app/auth/provider-labels.ts";
import { startSession, twoFactorChallengeCookie } from "#app/auth/cookies.server.ts";
import { isProvider, providerAuthenticator } from "#app/auth/providers.server.ts";
import { AuthCard } from "#app/components/auth-card.tsx";
import { notFound } from "#app/responses.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Signing in");

/** The provider sends the browser back here with a code; remix-auth checks the state and exchanges the code. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { config, origin, domain, viewer, client, logger } = context.scope;
  if (!isProvider(config, params.provider)) throw notFound();
  const label = providerLabels[params.provider];
  let profile: ProviderProfile;
  try {
    profile = await providerAuthenticator(config, origin).authenticate(params.provider, request);
  } catch (error) {
    if (error instanceof Response) throw error;
    logger.warn("OAuth sign-in failed", { provider: params.provider, reason: error instanceof Error ? error.message : String(error) });
    return data({ message: `Signing in with ${label} did not work, or was cancelled. Try again, or use your password.` }, { status: 400 });
  }
  const result = await signInWithProvider(domain, profile, viewer?.user ?? null, client, origin);
  switch (result.kind) {
    case "signed-in":
      return redirect("/", { headers: startSession(result.sessionToken) });
    case "two-factor":
      return redirect("/login/two-factor", { headers: { "Set-Cookie": twoFactorChallengeCookie(result.challenge) } });
    case "connected":
      return redirect("/settings/connections?connected=1");
    case "refused":
      return data({ message: result.message }, { status: 409 });
    default:
      return data({ message: `Signing in with ${label} did not work.` }, { status: 400 });
  }
}

export default function ProviderCallback() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <AuthCard title="We could not sign you in" intro={message}>
      <Link to="/login" className="text-accent underline">
        Back to log in
      </Link>
    </AuthCard>
  );
}
