import type { AppLoadContext } from "@remix-run/cloudflare";
import { quotePolicies, visibilities } from "#db/schema/index.ts";
import { discardUploads, uploadAttachment } from "#domain/media/attachments.ts";
import { createThread } from "#domain/posts/posts.ts";
import { requireViewer } from "./auth/viewer.server.ts";
import { POLL_OPTION_FIELDS } from "./components/poll-fields.tsx";

type Visibility = (typeof visibilities)[number];

/** The poll part of the compose form: present when any choice was filled in (the domain checks the rest). */
function pollOf(form: FormData) {
  const options = POLL_OPTION_FIELDS.map((name) => String(form.get(name) ?? "").trim()).filter(Boolean);
  if (options.length === 0) return undefined;
  return { options, expiresInSeconds: Number(form.get("pollDuration") ?? 86400), multiple: form.get("pollMultiple") === "on" };
}

/**
 * Reads the compose form (one text, or several for a thread; files with their descriptions; a poll; a quoted post)
 * and publishes through the domain. Files are uploaded first; if the post is then refused, they are removed again.
 */
export async function publishFromForm(context: AppLoadContext, request: Request, form: FormData) {
  const viewer = requireViewer(context, request);
  const { domain } = context.scope;
  const [text = "", ...more] = form.getAll("text").map(String);
  const visibility = String(form.get("visibility") ?? "");
  const language = String(form.get("language") ?? "").trim();
  const files = form.getAll("media").filter((value): value is File => value instanceof File && value.size > 0);
  const descriptions = form.getAll("alt").map(String);
  const uploaded: string[] = [];
  try {
    for (const [index, file] of files.entries()) {
      const upload = await uploadAttachment(domain, viewer.user.id, { bytes: new Uint8Array(await file.arrayBuffer()) }, { description: descriptions[index] ?? "" });
      uploaded.push(upload.id);
    }
    return await createThread(
      domain,
      {
        authorId: viewer.user.id,
        text,
        spoilerText: String(form.get("spoilerText") ?? ""),
        sensitive: form.get("sensitive") === "on",
        visibility: (visibilities as readonly string[]).includes(visibility) ? (visibility as Visibility) : undefined,
        language: language || undefined,
        inReplyToId: form.get("inReplyToId") ? String(form.get("inReplyToId")) : undefined,
        quoteOfId: form.get("quoteOfId") ? String(form.get("quoteOfId")) : undefined,
        quotePolicy: quotePolicies.find((policy) => policy === form.get("quotePolicy")),
        mediaIds: uploaded,
        poll: pollOf(form),
      },
      more.filter((extra) => extra.trim() !== ""),
    );
  } catch (error) {
    await discardUploads(domain, viewer.user.id, uploaded);
    throw error;
  }
}
