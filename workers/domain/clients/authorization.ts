import { z } from "zod";

/** The one response type (RFC 6749 §3.1.1) Perch issues: an authorization code. */
export const RESPONSE_TYPES = ["code"] as const;

/** The PKCE challenge methods (RFC 7636) Perch accepts: S256 only, since `plain` protects nothing an eavesdropper sees. */
export const PKCE_METHODS = ["S256"] as const;

/**
 * An authorization request (RFC 6749 §4.1.1, with RFC 7636's challenge) as the consent page at /oauth/authorize reads
 * it. What the schema lets through is then checked there against the app, its redirect URIs and its scopes.
 */
export const authorizationRequestSchema = z.object({
  response_type: z
    .string()
    .default("code")
    .describe("Only `code` (the authorization code flow); others go back as unsupported_response_type."),
  client_id: z.string().min(1).describe("The app's client_id, from POST /api/v1/apps."),
  redirect_uri: z
    .string()
    .min(1)
    .describe("One of the app's registered redirect URIs, where the code goes; urn:ietf:wg:oauth:2.0:oob shows the code instead."),
  scope: z.string().optional().describe("Space-separated scopes within those the app registered; absent: all the app registered."),
  state: z.string().max(1000).optional().describe("Sent back unchanged with the code or the error."),
  code_challenge: z
    .string()
    .regex(/^[A-Za-z0-9._~-]{43,128}$/)
    .optional()
    .describe("PKCE: the S256 challenge of the code_verifier the app will send to /oauth/token."),
  code_challenge_method: z.string().optional().describe("PKCE: only S256; absent with a challenge means plain, which is refused."),
});
