import { redirect, type AppLoadContext } from "@remix-run/cloudflare";
import { quotePolicies, visibilities } from "#db/schema/index.ts";
import type { DomainContext } from "#domain/context.ts";
import { discardUploads, updateAttachment, uploadAttachment } from "#domain/media/attachments.ts";
import { editPost } from "#domain/posts/edit.ts";
import { ownDraft, publishDraftAs, saveDraft, schedulePost } from "#domain/posts/drafts.ts";
import { createThread, type Post } from "#domain/posts/posts.ts";
import { requireViewer } from "./auth/viewer.server.ts";
import { altFieldOf } from "./components/attached-media.tsx";
import { KEEP_POLL_END, POLL_OPTION_FIELDS } from "./components/poll-fields.tsx";
import { formProblem } from "./forms.server.ts";
import { instantOf, localValueOf, readableIn, timeZoneOf } from "./time-zones.server.ts";
import { redirectWithToast } from "./toast.server.ts";

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

/** Uploads the form's files and hands them, after the attachments it keeps, to `write`; a refused write's files go again. */
async function withUploads<T>(
  domain: DomainContext,
  ownerId: string,
  form: FormData,
  write: (mediaIds: string[]) => Promise<T>,
): Promise<T> {
  const kept = keptMediaOf(form);
  const uploaded: string[] = [];
  try {
    for (const { id, description } of kept) await updateAttachment(domain, ownerId, id, { description });
    await uploadFiles(domain, ownerId, form, uploaded);
    return await write([...kept.map((item) => item.id), ...uploaded]);
  } catch (error) {
    await discardUploads(domain, ownerId, uploaded);
    throw error;
  }
}

/** What the compose form says (one text, or several for a thread; settings; a poll; a quoted post), as the domain takes it. */
function composedOf(form: FormData, mediaIds: string[]) {
  const [text = "", ...thread] = form.getAll("text").map(String);
  const visibility = String(form.get("visibility") ?? "");
  const language = String(form.get("language") ?? "").trim();
  return {
    text,
    thread: thread.filter((extra) => extra.trim() !== ""),
    spoilerText: String(form.get("spoilerText") ?? ""),
    sensitive: form.get("sensitive") === "on",
    visibility: (visibilities as readonly string[]).includes(visibility) ? (visibility as Visibility) : undefined,
    language: language || undefined,
    inReplyToId: form.get("inReplyToId") ? String(form.get("inReplyToId")) : undefined,
    quoteOfId: form.get("quoteOfId") ? String(form.get("quoteOfId")) : undefined,
    quotePolicy: quotePolicies.find((policy) => policy === form.get("quotePolicy")),
    mediaIds,
    poll: pollOf(form),
  };
}

/**
 * Reads the compose form and publishes through the domain. Files are uploaded first; if the post is then refused,
 * they are removed again.
 */
export async function publishFromForm(context: AppLoadContext, request: Request, form: FormData) {
  const viewer = requireViewer(context, request);
  const { domain } = context.scope;
  return withUploads(domain, viewer.user.id, form, (mediaIds) => {
    const { thread, ...post } = composedOf(form, mediaIds);
    return createThread(domain, post, thread);
  });
}

/**
 * The main composer's three buttons: post now, schedule (a wall-clock time read in the zone the form names), or save
 * as a draft. A composer opened on a saved draft (draftId) publishes, schedules or saves that one. Answers with where
 * to go next: the new post, or the list the post joined; a missing time comes back beside the form.
 */
export async function submitComposer(context: AppLoadContext, request: Request, form: FormData) {
  const viewer = requireViewer(context, request);
  const { domain } = context.scope;
  const draftId = String(form.get("draftId") ?? "") || undefined;
  const intent = form.get("intent");
  if (intent === "schedule") {
    const zone = String(form.get("timeZone") ?? "");
    const at = instantOf(String(form.get("scheduledAt") ?? ""), zone);
    if (!at)
      return formProblem(form, { formError: "Pick the date and time to publish it", fieldErrors: { scheduledAt: "Pick a date and time" } });
    await withUploads(domain, viewer.user.id, form, (mediaIds) => schedulePost(domain, composedOf(form, mediaIds), at, { id: draftId }));
    return redirectWithToast(context, "/scheduled", { kind: "success", message: `Scheduled for ${readableIn(at, zone)}.` });
  }
  if (intent === "draft") {
    await withUploads(domain, viewer.user.id, form, (mediaIds) =>
      saveDraft(domain, composedOf(form, mediaIds), draftId ? { id: draftId } : undefined),
    );
    return redirectWithToast(context, "/drafts", { kind: "success", message: "Draft saved." });
  }
  const [first] = draftId
    ? await withUploads(domain, viewer.user.id, form, (mediaIds) => publishDraftAs(domain, draftId, composedOf(form, mediaIds)))
    : await publishFromForm(context, request, form);
  return redirect(`/${viewer.user.username}/status/${first!.id}`);
}

/** What a post or saved draft puts in the composer, as its address carries it (read back by the home page's draftFrom). */
export function composerParams(
  post: Pick<Post, "text" | "spoilerText" | "visibility" | "quotePolicy" | "sensitive" | "language" | "inReplyToId" | "quoteOfId">,
  mediaIds: string[],
  poll: { options: string[]; multiple: boolean; hideTotals: boolean; durationSeconds?: number } | null,
  thread: string[] = [],
): URLSearchParams {
  const params = new URLSearchParams({
    text: post.text,
    spoilerText: post.spoilerText,
    visibility: post.visibility,
    quotePolicy: post.quotePolicy,
  });
  for (const text of thread) params.append("thread", text);
  if (post.sensitive) params.set("sensitive", "on");
  if (post.language) params.set("language", post.language);
  if (post.inReplyToId) params.set("inReplyTo", post.inReplyToId);
  if (post.quoteOfId) params.set("quote", post.quoteOfId);
  for (const id of mediaIds) params.append("media", id);
  for (const option of poll?.options ?? []) params.append("pollOption", option);
  if (poll?.multiple) params.set("pollMultiple", "on");
  if (poll?.hideTotals) params.set("pollHideTotals", "on");
  if (poll?.durationSeconds) params.set("pollDuration", String(poll.durationSeconds));
  return params;
}

/** A saved draft or scheduled post as the composer opens it, with its time shown in the writer's zone. */
export async function openDraft(context: AppLoadContext, request: Request, id: string) {
  const viewer = requireViewer(context, request);
  const { draft, media } = await ownDraft(context.scope.domain, viewer.user.id, id);
  const timeZone = timeZoneOf(request);
  return {
    params: composerParams(
      draft,
      media.map((attachment) => attachment.id),
      draft.poll && { ...draft.poll, durationSeconds: draft.poll.expiresInSeconds },
      draft.thread,
    ),
    later: {
      timeZone,
      draftId: draft.id,
      scheduledAt: draft.scheduledAt ? localValueOf(draft.scheduledAt, timeZone) : undefined,
      failure: draft.failure,
    },
  };
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
