import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { DomainError, statusOfDomainError } from "#domain/errors.ts";
import { profileImageKinds, setProfileImage, type ProfileImageKind } from "#domain/media/profile-images.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";

/**
 * Where the profile form uploads a picture the moment it is chosen (JavaScript only): a resource route answering
 * plain JSON responses (so their status codes reach the uploader).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requireViewer(context, request);
  const form = await request.formData();
  const kind = String(form.get("kind"));
  const file = form.get("file");
  if (!(kind in profileImageKinds) || !(file instanceof File)) return Response.json({ error: "Send a kind and a file" }, { status: 400 });
  try {
    const key = await setProfileImage(context.scope.domain, user.id, kind as ProfileImageKind, new Uint8Array(await file.arrayBuffer()));
    return Response.json({ url: `/media/${key}` });
  } catch (error) {
    if (error instanceof DomainError) return Response.json({ error: error.message }, { status: statusOfDomainError[error.kind] });
    throw error;
  }
}
