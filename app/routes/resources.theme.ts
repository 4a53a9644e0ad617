import { redirect, type ActionFunctionArgs } from "@remix-run/cloudflare";
import { parseTheme, setThemeCookie } from "#app/theme.server.ts";

/** Only same-site relative paths: the theme form must never become an open redirect. */
function safeRedirect(target: FormDataEntryValue | null): string {
  return typeof target === "string" && target.startsWith("/") && !target.startsWith("//") ? target : "/";
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const theme = parseTheme(form.get("theme"));
  if (!theme) throw new Response("Choose light, dark or auto", { status: 400 });
  return redirect(safeRedirect(form.get("redirectTo")), { headers: { "Set-Cookie": await setThemeCookie(theme) } });
}
