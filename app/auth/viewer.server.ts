import { redirect, type AppLoadContext } from "@remix-run/cloudflare";
import { can, type Permission } from "#domain/accounts/permissions.ts";
import { overAuthLimit, type AuthBucket } from "#workers/platform/rate-limit.ts";
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

/** The strict limit on credential requests (overAuthLimit), for this request's address and, given one, account. */
export function overAuthRateLimit(context: AppLoadContext, bucket: AuthBucket, account?: string): Promise<boolean> {
  return overAuthLimit(context.cloudflare.env, bucket, context.scope.client.ip, account);
}
