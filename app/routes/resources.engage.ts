import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { bookmark, dislike, favourite, pin, react, reblog, unfavourite, unreblog } from "#domain/posts/engagement.ts";
import { requireViewer, safeRedirect } from "#app/auth/viewer.server.ts";
import { readForm } from "#app/forms.server.ts";
import { actAndReturn } from "#app/toast.server.ts";

type Domain = ActionFunctionArgs["context"]["scope"]["domain"];

const intents = {
  favourite: (domain, userId, postId) => favourite(domain, userId, postId),
  unfavourite: (domain, userId, postId) => unfavourite(domain, userId, postId),
  reblog: (domain, userId, postId) => reblog(domain, userId, postId),
  unreblog: (domain, userId, postId) => unreblog(domain, userId, postId),
  bookmark: (domain, userId, postId) => bookmark(domain, userId, postId, true),
  unbookmark: (domain, userId, postId) => bookmark(domain, userId, postId, false),
  dislike: (domain, userId, postId) => dislike(domain, userId, postId, true),
  undislike: (domain, userId, postId) => dislike(domain, userId, postId, false),
  pin: (domain, userId, postId) => pin(domain, userId, postId, true),
  unpin: (domain, userId, postId) => pin(domain, userId, postId, false),
  react: (domain, userId, postId, emoji) => react(domain, userId, postId, emoji.trim(), true),
  unreact: (domain, userId, postId, emoji) => react(domain, userId, postId, emoji.trim(), false),
} satisfies Record<string, (domain: Domain, userId: string, postId: string, emoji: string) => Promise<unknown>>;

/**
 * Like, repost, bookmark, dislike, pin and reaction buttons post here from any page and are sent back to it (without
 * JavaScript too); a refusal (reposting a followers-only post, a sixth pin, a reaction that is not one emoji) comes back
 * as a message.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  const form = await readForm(request);
  const intent = String(form.get("intent")) as keyof typeof intents;
  if (!(intent in intents)) throw new Response("Unknown action", { status: 400 });
  return actAndReturn(context, safeRedirect(form.get("redirectTo")), async () => {
    await intents[intent](context.scope.domain, viewer.user.id, String(form.get("postId")), String(form.get("emoji") ?? ""));
  });
}
