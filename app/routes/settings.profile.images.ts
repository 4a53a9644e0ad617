import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { profileImageKinds, setProfileImage, type ProfileImageKind } from "#domain/media/profile-images.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { readForm } from "#app/forms.server.ts";

/**
 * Where the profile form uploads a picture the moment it is chosen (JavaScript only): a resource route answering
 * plain JSON responses (so their status codes reach the uploader). What the domain refuses is answered as
 * `{"error": message}` with its status by the pages door's error mapping.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requireViewer(context, request);
  const form = await readForm(request);
  const kind = String(form.get("kind"));
  const file = form.get("file");
  if (!(kind in profileImageKinds) || !(file instanceof File)) return Response.json({ error: "Send a kind and a file" }, { status: 400 });
  const key = await setProfileImage(context.scope.domain, user.id, kind as ProfileImageKind, new Uint8Array(await file.arrayBuffer()));
  return Response.json({ url: `/media/${key}` });
}
