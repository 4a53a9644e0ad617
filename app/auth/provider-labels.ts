import type { IdentityProvider } from "#domain/accounts/connections.ts";

export const providerLabels: Record<IdentityProvider, string> = { github: "GitHub", google: "Google" };
