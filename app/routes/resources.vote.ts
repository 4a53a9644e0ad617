import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { vote } from "#domain/posts/voting.ts";
import { requireViewer, safeRedirect } from "#app/auth/viewer.server.ts";
import { readForm } from "#app/forms.server.ts";
import { actAndReturn } from "#app/toast.server.ts";

/** Poll forms post here from any page and go back to it; a refused vote (ended, already voted) comes back as a message. */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  const form = await readForm(request);
  const choices = form.getAll("choice").map(Number);
  return actAndReturn(context, safeRedirect(form.get("redirectTo")), async () => {
    await vote(context.scope.domain, viewer.user.id, String(form.get("pollId") ?? ""), choices);
  });
}
