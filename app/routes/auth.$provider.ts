import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { isProvider, providerAuthenticator } from "#app/auth/providers.server.ts";
import { notFound } from "#app/responses.server.ts";

/** Starts signing in (or connecting) with a provider: remix-auth answers with the redirect to the provider. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { config, origin } = context.scope;
  if (!isProvider(config, params.provider)) throw notFound();
  await providerAuthenticator(config, origin).authenticate(params.provider, request);
  throw new Error("The OAuth strategy should have redirected to the provider");
}
