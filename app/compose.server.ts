import { data, redirect, type ActionFunctionArgs, type AppLoadContext } from "@remix-run/cloudflare";
import { quotePolicies, visibilities } from "#db/schema/index.ts";
import { showPost } from "#domain/posts/thread.ts";
import type { DomainContext } from "#domain/context.ts";
import { DomainError } from "#domain/errors.ts";
import { ownUploads, updateAttachment, uploadAttachment } from "#domain/media/attachments.ts";
import { editPost } from "#domain/posts/edit.ts";
import { ownDraft, publishDraftAs, saveDraft, schedulePost } from "#domain/posts/drafts.ts";
import { createThread, type Post } from "#domain/posts/posts.ts";
import { requireViewer } from "./auth/viewer.server.ts";
import { altFieldOf } from "./components/attached-media.tsx";
import { KEEP_POLL_END, POLL_OPTION_FIELDS } from "./components/poll-fields.tsx";
import { domainProblem, readForm, typedValues, type FormProblem } from "./forms.server.ts";
import type { ComposerDraft } from "./components/composer.tsx";
import { presentMedia, presentPostCard } from "./presenters/post-card.server.ts";
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

/** The attachments a form keeps (edit, redraft, or carried back after a refusal), with their alt text as typed. */
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

/** What the composer's form comes back with: the problem (if any), every post of the thread as typed, and the files it holds. */
export interface ComposerComeback extends FormProblem {
  texts: string[];
  uploads: ReturnType<typeof presentMedia>[];
}

/**
 * The composer's action: the files it chose are stored first, as uploads no post has taken yet, so that whatever
 * happens next they are not lost. Then "Add to thread" and "Attach" come straight back to the form (one more box, or
 * the files with a preview and a description field each: the ways to do both without JavaScript), and anything else
 * goes to `submit` with the attachments' ids. If the domain refuses, the form comes back with what was typed and the
 * stored files, which carry their ids in it (keepMedia) until the post takes them or they expire unused.
 */
export function composerAction(submit: (args: ActionFunctionArgs & { form: FormData; mediaIds: string[] }) => Promise<Response | null>) {
  return async (args: ActionFunctionArgs) => {
    const form = await readForm(args.request);
    const viewer = requireViewer(args.context, args.request);
    const { domain } = args.context.scope;
    const kept = keptMediaOf(form);
    const mediaIds = kept.map((item) => item.id);
    const comeback = async (more: string[] = []) => ({
      texts: [...form.getAll("text").map(String), ...more],
      uploads: (await ownUploads(domain, viewer.user.id, mediaIds)).map(presentMedia),
    });
    try {
      for (const { id, description } of kept) await updateAttachment(domain, viewer.user.id, id, { description });
      await uploadFiles(domain, viewer.user.id, form, mediaIds);
      const intent = form.get("intent");
      if (intent === "thread" || intent === "attach") {
        return data({
          fieldErrors: {},
          values: typedValues(form),
          ...(await comeback(intent === "thread" ? [""] : [])),
        } satisfies ComposerComeback);
      }
      return await submit({ ...args, form, mediaIds });
    } catch (error) {
      return domainProblem(form, error, await comeback());
    }
  };
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

/** Publishes what the compose form says, with the attachments composerAction stored, through the domain. */
export function publishFromForm(context: AppLoadContext, form: FormData, mediaIds: string[]) {
  const { thread, ...post } = composedOf(form, mediaIds);
  return createThread(context.scope.domain, post, thread);
}

/**
 * The main composer's three buttons: post now, schedule (a wall-clock time read in the zone the form names), or save
 * as a draft. A composer opened on a saved draft (draftId) publishes, schedules or saves that one. Answers with where
 * to go next: the new post, or the list the post joined; a missing time comes back beside the form.
 */
export async function submitComposer(context: AppLoadContext, request: Request, form: FormData, mediaIds: string[]) {
  const viewer = requireViewer(context, request);
  const { domain } = context.scope;
  const draftId = String(form.get("draftId") ?? "") || undefined;
  const intent = form.get("intent");
  if (intent === "schedule") {
    const zone = String(form.get("timeZone") ?? "");
    const at = instantOf(String(form.get("scheduledAt") ?? ""), zone);
    if (!at)
      throw new DomainError("unprocessable", "Pick the date and time to publish it", { fields: { scheduledAt: "Pick a date and time" } });
    await schedulePost(domain, composedOf(form, mediaIds), at, { id: draftId });
    return redirectWithToast(context, "/scheduled", { kind: "success", message: `Scheduled for ${readableIn(at, zone)}.` });
  }
  if (intent === "draft") {
    await saveDraft(domain, composedOf(form, mediaIds), draftId ? { id: draftId } : undefined);
    return redirectWithToast(context, "/drafts", { kind: "success", message: "Draft saved." });
  }
  const [first] = draftId
    ? await publishDraftAs(domain, draftId, composedOf(form, mediaIds))
    : await publishFromForm(context, form, mediaIds);
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
 * through the domain. New files are uploaded first; if the edit is refused they stay as uploads and the form comes
 * back holding them beside the post's own attachments (keepMedia), as the composer does, until the edit takes them or
 * they expire unused.
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
    const uploads = await ownUploads(domain, viewer.user.id, [...kept.map((item) => item.id), ...uploaded]);
    return domainProblem(form, error, { uploads: uploads.map(presentMedia) });
  }
}

/** What a refused edit comes back with: the problem, and the uploads not yet part of the post. */
export interface EditComeback extends FormProblem {
  uploads: ReturnType<typeof presentMedia>[];
}

/** The composer's starting point: a saved draft or scheduled post (?draft=<id>, from /drafts and /scheduled), or the address's. */
export async function composerStart(context: AppLoadContext, request: Request) {
  const url = new URL(request.url);
  const saved = url.searchParams.get("draft");
  if (!saved) return { draft: await draftFrom(context, url.searchParams), later: { timeZone: timeZoneOf(request) } };
  const opened = await openDraft(context, request, saved);
  return { draft: await draftFrom(context, opened.params), later: opened.later };
}

/**
 * The composer's content from address parameters: ?quote=<id> (the Quote button) embeds that post; ?text=... and
 * friends carry a redraft (see resources.post) or a saved draft (composerParams). A post the viewer cannot see, or an
 * upload that is not theirs to post, is simply left out.
 */
async function draftFrom(context: AppLoadContext, params: URLSearchParams): Promise<ComposerDraft> {
  const { domain, viewer } = context.scope;
  const viewerId = viewer!.user.id;
  const visibleOrNone = async (id: string | null) => {
    if (!id) return undefined;
    try {
      return await showPost(domain, viewerId, id);
    } catch (error) {
      if (error instanceof DomainError) return undefined;
      throw error;
    }
  };
  const quoted = await visibleOrNone(params.get("quote"));
  const parent = await visibleOrNone(params.get("inReplyTo"));
  const pollOptions = params.getAll("pollOption");
  return {
    text: params.get("text") ?? undefined,
    thread: params.getAll("thread"),
    spoilerText: params.get("spoilerText") ?? undefined,
    visibility: visibilities.find((value) => value === params.get("visibility")),
    sensitive: params.get("sensitive") === "on",
    language: params.get("language") ?? undefined,
    quotePolicy: params.get("quotePolicy") ?? undefined,
    quote: quoted && presentPostCard(quoted),
    inReplyTo: parent && { id: parent.post.id, username: parent.author.username },
    media: (await ownUploads(domain, viewerId, params.getAll("media"))).map(presentMedia),
    poll:
      pollOptions.length > 0
        ? {
            options: pollOptions,
            multiple: params.get("pollMultiple") === "on",
            hideTotals: params.get("pollHideTotals") === "on",
            durationSeconds: Number(params.get("pollDuration")) || undefined,
          }
        : undefined,
  };
}
