import type { AppLoadContext } from "@remix-run/cloudflare";
import { quotePolicies, visibilities } from "#db/schema/index.ts";
import type { DomainContext } from "#domain/context.ts";
import { discardUploads, updateAttachment, uploadAttachment } from "#domain/media/attachments.ts";
import { editPost } from "#domain/posts/edit.ts";
import { createThread } from "#domain/posts/posts.ts";
import { requireViewer } from "./auth/viewer.server.ts";
import { altFieldOf } from "./components/attached-media.tsx";
import { KEEP_POLL_END, POLL_OPTION_FIELDS } from "./components/poll-fields.tsx";

type Visibility = (typeof visibilities)[number];

/** The poll's choices in the form: present when any was filled in (the domain checks the rest). */
function pollChoicesOf(form: FormData) {
  const options = POLL_OPTION_FIELDS.map((name) => String(form.get(name) ?? "").trim()).filter(Boolean);
  return options.length === 0
    ? undefined
    : { options, multiple: form.get("pollMultiple") === "on", hideTotals: form.get("pollHideTotals") === "on" };
}

function pollOf(form: FormData) {
  const choices = pollChoicesOf(form);
  return choices && { ...choices, expiresInSeconds: Number(form.get("pollDuration") ?? 86400) };
}

/** The poll part of the edit form: cleared choices remove any poll; "keep the end" sends no duration (see the domain). */
function pollEditOf(form: FormData) {
  const choices = pollChoicesOf(form);
  if (!choices) return null;
  return form.get("pollDuration") === KEEP_POLL_END ? choices : pollOf(form);
}

/** The attachments a form keeps (edit, redraft), with their alt text as typed. */
function keptMediaOf(form: FormData) {
  return form.getAll("keepMedia").map((value) => {
    const id = String(value);
    const description = form.get(altFieldOf(id));
    return { id, description: typeof description === "string" ? description : undefined };
  });
}

/** Uploads the form's new files, with their descriptions, in order. */
async function uploadFiles(domain: DomainContext, ownerId: string, form: FormData, uploaded: string[]): Promise<void> {
  const files = form.getAll("media").filter((value): value is File => value instanceof File && value.size > 0);
  const descriptions = form.getAll("alt").map(String);
  for (const [index, file] of files.entries()) {
    const upload = await uploadAttachment(
      domain,
      ownerId,
      { bytes: new Uint8Array(await file.arrayBuffer()) },
      { description: descriptions[index] ?? "" },
    );
    uploaded.push(upload.id);
  }
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
  const kept = keptMediaOf(form);
  const uploaded: string[] = [];
  try {
    for (const { id, description } of kept) await updateAttachment(domain, viewer.user.id, id, { description });
    await uploadFiles(domain, viewer.user.id, form, uploaded);
    return await createThread(
      domain,
      {
        text,
        spoilerText: String(form.get("spoilerText") ?? ""),
        sensitive: form.get("sensitive") === "on",
        visibility: (visibilities as readonly string[]).includes(visibility) ? (visibility as Visibility) : undefined,
        language: language || undefined,
        inReplyToId: form.get("inReplyToId") ? String(form.get("inReplyToId")) : undefined,
        quoteOfId: form.get("quoteOfId") ? String(form.get("quoteOfId")) : undefined,
        quotePolicy: quotePolicies.find((policy) => policy === form.get("quotePolicy")),
        mediaIds: [...kept.map((item) => item.id), ...uploaded],
        poll: pollOf(form),
      },
      more.filter((extra) => extra.trim() !== ""),
    );
  } catch (error) {
    await discardUploads(domain, viewer.user.id, uploaded);
    throw error;
  }
}

/**
 * Reads the edit form (text and settings, the attachments kept with their alt text, new files, the poll) and edits
 * through the domain. New files are uploaded first and removed again if the edit is refused.
 */
export async function editFromForm(context: AppLoadContext, request: Request, postId: string, form: FormData) {
  const viewer = requireViewer(context, request);
  const { domain } = context.scope;
  const kept = keptMediaOf(form);
  const uploaded: string[] = [];
  try {
    await uploadFiles(domain, viewer.user.id, form, uploaded);
    return await editPost(domain, postId, {
      text: String(form.get("text") ?? ""),
      spoilerText: String(form.get("spoilerText") ?? ""),
      sensitive: form.get("sensitive") === "on",
      language: String(form.get("language") ?? "").trim() || undefined,
      quotePolicy: quotePolicies.find((policy) => policy === form.get("quotePolicy")),
      mediaIds: [...kept.map((item) => item.id), ...uploaded],
      mediaAttributes: kept,
      poll: pollEditOf(form),
    });
  } catch (error) {
    await discardUploads(domain, viewer.user.id, uploaded);
    throw error;
  }
}
