import { redirect, type ActionFunctionArgs } from "@remix-run/cloudflare";
import { safeRedirect } from "#app/auth/viewer.server.ts";
import { readForm } from "#app/forms.server.ts";
import { parseTheme, setThemeCookie } from "#app/theme.server.ts";

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const theme = parseTheme(form.get("theme"));
  if (!theme) throw new Response("Choose light, dark or auto", { status: 400 });
  return redirect(safeRedirect(form.get("redirectTo")), { headers: { "Set-Cookie": await setThemeCookie(theme) } });
}
