import { createCookie, redirect, type AppLoadContext } from "@remix-run/cloudflare";
import { z } from "zod";
import { DomainError } from "#domain/errors.ts";

/**
 * One-time messages across a redirect (the Epic Stack's toast pattern): an action that redirects sets a short-lived
 * signed cookie; the root loader shows its message once and clears it. This is how buttons that post from anywhere
 * (like, repost, vote) report a refusal, with JavaScript or without.
 */
const toastSchema = z.object({ kind: z.enum(["error", "success"]), message: z.string().max(300) });
export type Toast = z.infer<typeof toastSchema>;

const toastCookie = (context: AppLoadContext) =>
  createCookie("perch_toast", {
    path: "/",
    sameSite: "lax",
    httpOnly: true,
    secure: true,
    maxAge: 60,
    secrets: [context.scope.config.SESSION_SECRET],
  });

export async function redirectWithToast(context: AppLoadContext, to: string, toast: Toast): Promise<Response> {
  return redirect(to, { headers: { "Set-Cookie": await toastCookie(context).serialize(toast) } });
}

/**
 * Runs a button's action and goes back to the page it came from, or where the action says (with a message if it
 * gives one); what the domain refused goes back with the refusal as an error message.
 */
export async function actAndReturn(
  context: AppLoadContext,
  back: string,
  act: () => Promise<{ to?: string; toast?: Toast } | void>,
): Promise<Response> {
  let outcome: { to?: string; toast?: Toast } = {};
  try {
    outcome = (await act()) ?? {};
  } catch (error) {
    if (error instanceof DomainError) return redirectWithToast(context, back, { kind: "error", message: error.message });
    throw error;
  }
  const to = outcome.to ?? back;
  return outcome.toast ? redirectWithToast(context, to, outcome.toast) : redirect(to);
}

/** The pending message, if any, and the header that clears it. */
export async function takeToast(context: AppLoadContext, request: Request): Promise<{ toast: Toast | null; headers: Headers }> {
  const cookie = toastCookie(context);
  const parsed = toastSchema.safeParse(await cookie.parse(request.headers.get("Cookie")));
  const headers = new Headers();
  if (!parsed.success) return { toast: null, headers };
  headers.append("Set-Cookie", await cookie.serialize("", { maxAge: 0 }));
  return { toast: parsed.data, headers };
}
