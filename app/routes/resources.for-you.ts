import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { notInterested, showLess, undoNotInterested, undoShowLess } from "#domain/ranking/feedback.ts";
import { requireViewer, safeRedirect } from "#app/auth/viewer.server.ts";
import { readForm } from "#app/forms.server.ts";
import { actAndReturn } from "#app/toast.server.ts";

type Domain = ActionFunctionArgs["context"]["scope"]["domain"];

const intents = {
  "show-less": (domain, userId, form) => showLess(domain, userId, String(form.get("postId"))),
  "undo-show-less": (domain, userId, form) => undoShowLess(domain, userId, String(form.get("postId"))),
  "not-interested": (domain, userId, form) => notInterested(domain, userId, String(form.get("authorId"))),
  "undo-not-interested": (domain, userId, form) => undoNotInterested(domain, userId, String(form.get("authorId"))),
} satisfies Record<string, (domain: Domain, userId: string, form: FormData) => Promise<unknown>>;

/**
 * The For-you cards' feedback buttons ("Show less like this", "Not interested in this author") and their undo post here
 * and go back to the same place in the feed, without JavaScript too; a refusal comes back as a message.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  const form = await readForm(request);
  const intent = String(form.get("intent")) as keyof typeof intents;
  if (!(intent in intents)) throw new Response("Unknown action", { status: 400 });
  return actAndReturn(context, safeRedirect(form.get("redirectTo")), async () => {
    await intents[intent](context.scope.domain, viewer.user.id, form);
  });
}
