import { redirect, type AppLoadContext } from "@remix-run/cloudflare";
import { can, type Permission } from "#domain/accounts/permissions.ts";
import type { Viewer } from "#workers/platform/request-scope.ts";

/** Only same-site paths: a redirectTo parameter must never send anyone to another site. */
export function safeRedirect(target: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  return typeof target === "string" && target.startsWith("/") && !target.startsWith("//") && !target.startsWith("/\\") ? target : fallback;
}

/** The signed-in viewer, or a redirect to the log-in page that comes back here afterwards. */
export function requireViewer(context: AppLoadContext, request: Request): Viewer & { sessionId: string } {
  const viewer = context.scope.viewer;
  if (!viewer?.sessionId) {
    const url = new URL(request.url);
    throw redirect(`/login?${new URLSearchParams({ redirectTo: url.pathname + url.search })}`);
  }
  return viewer as Viewer & { sessionId: string };
}

/** Pages for people who are signed out (log in, sign up) send signed-in people home instead. */
export function requireAnonymous(context: AppLoadContext): void {
  if (context.scope.viewer) throw redirect("/");
}

/** A 403 for anyone without the permission, decided on the server in every loader and action that needs it. */
export function requirePermission(context: AppLoadContext, request: Request, permission: Permission): Viewer {
  const viewer = requireViewer(context, request);
  if (!can(viewer.user, permission)) {
    throw new Response("You do not have permission to see this page.", { status: 403 });
  }
  return viewer;
}

/**
 * The strict limit on credential endpoints (log in, sign up, reset): per address, and, given an account key (a
 * username or email as typed), per account too, so spreading requests over many addresses does not help. True when
 * over either.
 */
export async function overAuthRateLimit(context: AppLoadContext, bucket: string, account?: string): Promise<boolean> {
  const limiter = context.cloudflare.env.AUTH_RATE_LIMIT;
  const keys = [`${bucket}:ip:${context.scope.client.ip ?? "unknown"}`];
  if (account) keys.push(`${bucket}:account:${account.trim().toLowerCase()}`);
  const results = await Promise.all(keys.map((key) => limiter.limit({ key })));
  return results.some(({ success }) => !success);
}
