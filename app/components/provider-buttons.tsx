import { Form } from "@remix-run/react";
import { providerLabels } from "#app/auth/provider-labels.ts";
import type { IdentityProvider } from "#domain/accounts/connections.ts";

/** One button per configured provider; each posts to /auth/:provider, which sends the browser to the provider. */
export function ProviderButtons({ providers, verb }: { providers: IdentityProvider[]; verb: string }) {
  if (providers.length === 0) return null;
  return (
    <div className="flex flex-col gap-2 border-t border-line pt-6">
      {providers.map((provider) => (
        <Form key={provider} method="post" action={`/auth/${provider}`}>
          <button type="submit" className="w-full rounded-full border border-line px-5 py-2.5 font-semibold hover:bg-raised">
            {`${verb} ${providerLabels[provider]}`}
          </button>
        </Form>
      ))}
    </div>
  );
}
