import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { endSession } from "#domain/accounts/sessions.ts";
import { endSessionCookie } from "#app/auth/cookies.server.ts";
import { readCookie, SESSION_COOKIE } from "#workers/platform/session-cookie.ts";

/** Logging out is a POST (a link could be triggered by another site); it ends this session only. */
export async function action({ request, context }: ActionFunctionArgs) {
  const token = readCookie(request, SESSION_COOKIE);
  if (token) await endSession(context.scope.domain, token);
  return redirect("/login?notice=signed-out", { headers: endSessionCookie() });
}

export function loader() {
  return redirect("/");
}
