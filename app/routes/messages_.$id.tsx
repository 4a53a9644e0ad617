import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useRef, type FormEvent } from "react";
import { acceptRequest, blockRequester, conversationOf, leaveConversation, peopleIn } from "#domain/messages/conversations.ts";
import type { DomainContext } from "#domain/context.ts";
import { mediaLimits, SUPPORTED_MEDIA_TYPES } from "#domain/media/attachments.ts";
import { DOCUMENT_TYPES } from "#domain/media/sniff.ts";
import { megabytes } from "#domain/media/storage.ts";
import { sendableUploads, showAttachments, uploadMessageAttachment } from "#domain/messages/attachments.ts";
import { groupPicturePath } from "#domain/messages/group-pictures.ts";
import {
  deleteMessage,
  editMessage,
  history,
  markRead,
  cursorsEndingAt,
  MESSAGE_MAX_CHARACTERS,
  react,
  searchConversation,
  unreact,
} from "#domain/messages/messages.ts";
import { parseRichText } from "#domain/rich-text.ts";
import { readMarkersSeenBy } from "#domain/messages/receipts.ts";
import { presentChatAttachment, presentChatMessage, type ChatAttachment } from "#workers/api/entities/chat.ts";
import { conversationRoom } from "#workers/sockets/connect.ts";
import { sendThroughRoom } from "#workers/sockets/room-send.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { fileSize, MessageAttachments, SharedPostCard } from "#app/components/message-attachments.tsx";
import { PageLink } from "#app/components/page-link.tsx";
import { RichText } from "#app/components/rich-text.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { StoryQuote } from "#app/components/story-quote.tsx";
import { domainProblem, formAction, type FormProblem } from "#app/forms.server.ts";
import { conversationTitle } from "#app/conversation-titles.server.ts";
import { titled } from "#app/meta.ts";
import { pageLinks, pageRequestOf } from "#app/paging.server.ts";
import { presentStoryQuote } from "#app/presenters/story.server.ts";
import { summaryOf, useLiveConversation, type ShownMessage } from "#app/live-conversation.ts";

export const meta = titled("Conversation");

const QUICK_REACTIONS = ["👍", "❤️", "😂"];

/**
 * One conversation: its history (newest at the bottom, "Load older" above), and a plain form to send, reply, react and
 * delete. With JavaScript the page is live and sends optimistically (app/live-conversation.ts). Reading the newest page
 * moves the read marker.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const id = params.id ?? "";
  const summary = await conversationOf(domain, user.id, id);
  const url = new URL(request.url);
  const pageRequest = pageRequestOf(request);
  const page = await history(domain, user.id, id, pageRequest);
  const newest = page.items[0];
  if (newest && !pageRequest.max_id && summary.member.state === "active") await markRead(domain, user.id, id, newest.id);
  const people = await peopleIn(domain, summary.memberIds);
  const nameOf = (userId: string) => {
    const person = people.find((p) => p.id === userId);
    return person ? person.displayName || person.username : "Former member";
  };
  return {
    id,
    me: user.id,
    group: summary.conversation.kind === "group",
    people: people.map((person) => ({ id: person.id, name: nameOf(person.id) })),
    readMarkers: await readMarkersSeenBy(domain, user.id, id),
    // Who is here as the page loads (the room leaves out those who hide it); the socket keeps it current.
    present: (await conversationRoom(context.cloudflare.env, id).presentUserIds()).filter((userId) => userId !== user.id),
    // Between two people, when the other was last in chat, if they show it (ADR 0046); a group shows no one's.
    lastSeen:
      summary.conversation.kind === "group" ? null : (summary.lastSeen.find((seen) => seen.userId !== user.id)?.at.toISOString() ?? null),
    renderedAt: Date.now(),
    title: conversationTitle(summary.conversation, summary.memberIds, user.id, nameOf),
    picture: summary.conversation.pictureKey ? groupPicturePath(summary.conversation.pictureKey, "96") : null,
    request: summary.member.state === "request",
    // Whom a one-to-one request is from, for its Block and Report choices.
    requester:
      summary.member.state === "request" && summary.conversation.kind === "direct"
        ? (people.find((person) => person.id !== user.id) ?? null)
        : null,
    messages: [...page.items].reverse().map((message) => ({
      ...attachedTo(message),
      id: message.id,
      mine: message.senderId === user.id,
      sender: nameOf(message.senderId),
      text: message.text,
      deleted: message.deletedAt !== null,
      edited: message.editedAt !== null,
      moderation: message.moderation,
      sensitive: message.sensitive,
      replyTo: message.replyToId,
      reactions: message.reactions,
      story: message.story && presentStoryQuote(message.story, message.senderId === user.id),
      at: message.createdAt.toISOString(),
    })),
    older: pageLinks(request, pageRequest, page).older,
    clientId: crypto.randomUUID(),
    editing: editable(page.items, user.id, url.searchParams.get("edit")),
    search: await searchFor(domain, user.id, id, url.searchParams),
  };
}

/** The viewer's own message that `?edit=` names, if it is on this page and can still be edited. */
function editable(
  messages: { id: string; senderId: string; text: string | null; deletedAt: Date | null; moderation: string | null }[],
  me: string,
  id: string | null,
) {
  const message = id ? messages.find((candidate) => candidate.id === id) : undefined;
  if (!message || message.senderId !== me || message.deletedAt || message.moderation === "removed") return null;
  return { id: message.id, text: message.text ?? "" };
}

/** What `?q=` finds in this conversation (a search form's GET), going further back with `?before=`. */
async function searchFor(domain: DomainContext, me: string, conversationId: string, params: URLSearchParams) {
  const query = params.get("q")?.trim().slice(0, 200) ?? "";
  if (!query) return null;
  const found = await searchConversation(domain, me, conversationId, query, params.get("before") || undefined);
  const further = new URLSearchParams({ q: query });
  if (found.searchedBefore) further.set("before", found.searchedBefore);
  const cursors = await cursorsEndingAt(
    domain,
    conversationId,
    found.matches.map((message) => message.id),
  );
  return {
    query,
    matches: found.matches.map((message) => {
      const cursor = cursors.get(message.id);
      return {
        id: message.id,
        senderId: message.senderId,
        text: message.text ?? "",
        at: message.createdAt.toISOString(),
        // The history page that ends with it, scrolled to it.
        shownAt: `/messages/${conversationId}${cursor ? `?max_id=${cursor}` : ""}#m-${message.id}`,
      };
    }),
    further: found.searchedBefore ? `?${further}` : null,
  };
}

/** What a message shows besides its text, as the API and the room's frames carry it. */
function attachedTo(message: Parameters<typeof presentChatMessage>[0]) {
  const entity = presentChatMessage(message);
  return { attachments: entity.media_attachments, sharedPost: entity.shared_status };
}

/** The files the form chose, each with the description typed for it (the alt fields, in the same order). */
function chosenFiles(form: FormData) {
  const descriptions = form.getAll("alt").map(String);
  return form
    .getAll("media")
    .filter((value): value is File => value instanceof File && value.size > 0)
    .map((file, index) => ({ file, description: descriptions[index]?.trim() || undefined }));
}

/**
 * Sends what the form holds: the chosen files are uploaded first (kept, with their ids in the form, if the send is then
 * refused, so nothing has to be chosen again), then the message with them and the uploads the form kept from before.
 */
async function sendFromForm({ context, params, form }: ActionFunctionArgs & { form: FormData }, senderId: string, mediaIds: string[]) {
  const conversationId = params.id ?? "";
  for (const { file, description } of chosenFiles(form)) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    mediaIds.push(
      (await uploadMessageAttachment(context.scope.domain, conversationId, senderId, { bytes, name: file.name }, description)).id,
    );
  }
  const replyTo = String(form.get("replyTo") ?? "");
  await sendThroughRoom(context.cloudflare.env, {
    conversationId,
    senderId,
    clientId: String(form.get("clientId") ?? ""),
    text: String(form.get("text") ?? ""),
    replyToId: replyTo || null,
    mediaIds,
    sensitive: form.get("sensitive") === "on",
  });
}

/** The uploads a refused form comes back with (none that can no longer be sent). */
async function keptUploads(domain: DomainContext, conversationId: string, senderId: string, ids: string[]): Promise<ChatAttachment[]> {
  const rows = await sendableUploads(domain, conversationId, senderId, ids).catch(() => []);
  return (await showAttachments(domain, rows)).map(presentChatAttachment);
}

export const action = formAction(async (args) => {
  const { request, context, params, form } = args;
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const id = params.id ?? "";
  const intent = String(form.get("intent") ?? "send");
  const messageId = String(form.get("messageId") ?? "");
  const mediaIds = form.getAll("keepMedia").map(String);
  try {
    if (intent === "send") await sendFromForm(args, user.id, mediaIds);
    else if (intent === "edit") await editMessage(domain, user.id, id, messageId, String(form.get("text") ?? ""));
    else if (intent === "react") await react(domain, user.id, id, messageId, String(form.get("emoji") ?? ""));
    else if (intent === "unreact") await unreact(domain, user.id, id, messageId, String(form.get("emoji") ?? ""));
    else if (intent === "delete") await deleteMessage(domain, user.id, id, messageId, form.get("forEveryone") === "true");
    else if (intent === "accept") await acceptRequest(domain, id, user.id);
    else if (intent === "block") {
      await blockRequester(domain, id, user.id);
      return redirect("/messages?tab=requests");
    } else if (intent === "leave") {
      await leaveConversation(domain, id, user.id);
      return redirect("/messages");
    }
  } catch (error) {
    return domainProblem(form, error, { uploads: await keptUploads(domain, id, user.id, mediaIds) });
  }
  return redirect(`/messages/${id}`);
});

/** A refused send comes back with what was typed and the files already uploaded for it. */
type SendProblem = FormProblem & { uploads?: ChatAttachment[] };

/** A hint to the browser's file picker; the server decides by the bytes. */
const ACCEPTED_FILES = [...SUPPORTED_MEDIA_TYPES, ...DOCUMENT_TYPES].join(",");

/** Under the newest message of the viewer's that someone else has read: "Seen" (a group names who). */
function seenLine(messages: ShownMessage[], readers: Record<string, string>, people: { id: string; name: string }[], group: boolean) {
  const read = (messageId: string) => Object.entries(readers).filter(([, upTo]) => upTo >= messageId);
  const newest = [...messages].reverse().find((message) => message.mine && read(message.id).length > 0);
  if (!newest) return undefined;
  if (!group) return { id: newest.id, label: "Seen" };
  const names = read(newest.id).map(([userId]) => people.find((person) => person.id === userId)?.name ?? "Someone");
  return { id: newest.id, label: `Seen by ${names.join(", ")}` };
}

const typingLine = (names: string[]) =>
  names.length === 0 ? "" : names.length === 1 ? `${names[0]} is typing…` : `${names.join(", ")} are typing…`;

/**
 * Who else is here now, from the room's presence frames; otherwise, in a one-to-one conversation, when the other person
 * was last here. Either is left out for someone who hides their presence.
 */
function PresenceLine({ active, lastSeen, now, group }: { active: string[] | null; lastSeen: string | null; now: number; group: boolean }) {
  const line = "border-b border-line px-4 py-2 text-sm text-muted";
  if (active && active.length > 0) {
    return (
      <p className={line} data-presence="active">
        {group ? `Active now: ${active.join(", ")}` : "Active now"}
      </p>
    );
  }
  if (!lastSeen) return null;
  return (
    <p className={line} data-presence="seen">
      Last in chat: <RelativeTime iso={lastSeen} now={now} />
    </p>
  );
}

export default function Conversation() {
  const data = useLoaderData<typeof loader>();
  const answered = useActionData<SendProblem | null>();
  // One action answers both forms: a refused edit belongs to the edit form, anything else to the send form.
  const editProblem = answered?.values.intent === "edit" ? answered : null;
  const problem = editProblem ? null : answered;
  const live = useLiveConversation(data);
  const text = useRef<HTMLTextAreaElement>(null);
  const seen = seenLine(live.messages, live.readers, data.people, data.group);
  const nameOf = (userId: string) => data.people.find((person) => person.id === userId)?.name ?? "Former member";

  /** With the room connected the message is shown at once and sent over the socket; otherwise the form posts it. */
  const sendLive = (event: FormEvent<HTMLFormElement>) => {
    const fields = new FormData(event.currentTarget);
    const typed = String(fields.get("text") ?? "");
    const withFiles = fields.getAll("media").some((file) => file instanceof File && file.size > 0) || fields.has("keepMedia");
    // Files go up with the form, and empty text to the server, which answers with the form's inline error.
    if (withFiles || typed.trim() === "" || !live.send(typed, String(fields.get("replyTo") ?? "") || null)) return;
    event.preventDefault();
    event.currentTarget.reset();
    text.current?.focus();
  };

  return (
    <>
      <PageHeader title={data.title} back="/messages" picture={data.picture} />
      <p className="border-b border-line px-4 py-2 text-sm">
        <Link to={`/messages/${data.id}/settings`} className="font-semibold underline">
          {data.group ? "Group settings and members" : "Conversation settings"}
        </Link>
      </p>
      <ConversationSearch conversationId={data.id} search={data.search} nameOf={nameOf} now={data.renderedAt} />
      <PresenceLine active={live.activeNames} lastSeen={data.lastSeen} now={data.renderedAt} group={data.group} />
      {data.request && <RequestChoices requester={data.requester} />}
      <PageLink to={data.older} rel="next">
        Load older
      </PageLink>
      <ol aria-label="Messages" data-live={live.connected ? "on" : "off"} className="flex flex-col gap-2 px-4 py-3">
        {live.messages.map((message) => (
          <li key={message.id} id={`m-${message.id}`} className={`flex flex-col gap-1 ${message.mine ? "items-end" : "items-start"}`}>
            <MessageBubble message={message} />
            {!message.deleted && message.moderation !== "removed" && <MessageActions message={message} conversationId={data.id} />}
            {seen?.id === message.id && <p className="text-xs text-muted">{seen.label}</p>}
          </li>
        ))}
        {live.outbox.map((item) => (
          <li key={item.clientId} className="flex flex-col items-end gap-1">
            <article className="max-w-[85%] rounded-2xl bg-accent-soft px-3 py-2 opacity-80">
              <h3 className="sr-only">You</h3>
              <p className="break-words whitespace-pre-wrap">{item.text}</p>
            </article>
            {item.state === "sending" ? (
              <p className="text-xs text-muted">Sending…</p>
            ) : (
              <div className="flex flex-wrap items-center justify-end gap-2">
                <p className="text-sm text-danger">Not sent: {item.error}</p>
                <button
                  type="button"
                  onClick={() => live.retry(item.clientId)}
                  className="min-h-6 rounded-full border border-line px-2 text-sm"
                >
                  Retry
                </button>
                <button
                  type="button"
                  onClick={() => live.discard(item.clientId)}
                  className="min-h-6 rounded-full border border-line px-2 text-sm"
                >
                  Discard
                </button>
              </div>
            )}
          </li>
        ))}
      </ol>
      {data.editing && <EditForm editing={data.editing} problem={editProblem} />}
      <p aria-live="polite" className="min-h-6 px-4 text-sm text-muted">
        {typingLine(live.typingNames)}
      </p>
      <p aria-live="polite" className="sr-only">
        {live.announcement}
      </p>
      <Form
        method="post"
        encType="multipart/form-data"
        className="flex flex-col gap-2 border-t border-line px-4 py-3"
        noValidate
        onSubmit={sendLive}
      >
        <FormMessage error={problem?.formError} />
        <input type="hidden" name="intent" value="send" />
        <input type="hidden" name="clientId" value={problem?.values.clientId ?? data.clientId} />
        <label htmlFor="message-text" className="font-semibold">
          Message
        </label>
        <textarea
          id="message-text"
          ref={text}
          name="text"
          onInput={live.typed}
          rows={2}
          maxLength={MESSAGE_MAX_CHARACTERS}
          defaultValue={problem?.values.text}
          aria-invalid={problem?.fieldErrors.text ? true : undefined}
          aria-describedby={problem?.fieldErrors.text ? "message-text-error" : undefined}
          className="rounded-lg border border-line bg-surface px-3 py-2"
        />
        {problem?.fieldErrors.text && (
          <p id="message-text-error" className="text-sm text-danger">
            {problem.fieldErrors.text}
          </p>
        )}
        <AttachFields kept={problem?.uploads ?? []} />
        {live.messages.length > 0 && (
          <>
            <label htmlFor="reply-to" className="text-sm">
              Reply to
            </label>
            <select
              id="reply-to"
              name="replyTo"
              defaultValue={problem?.values.replyTo ?? ""}
              className="rounded-lg border border-line bg-surface px-3 py-2"
            >
              <option value="">No message (a new one)</option>
              {live.messages
                .filter((m) => !m.deleted)
                .map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.sender}: {summaryOf(m).slice(0, 40)}
                  </option>
                ))}
            </select>
          </>
        )}
        <div>
          <SubmitButton pendingLabel="Sending…">Send</SubmitButton>
        </div>
      </Form>
      <Form method="post" className="px-4 pb-4">
        <input type="hidden" name="intent" value="leave" />
        <button type="submit" className="min-h-6 text-sm text-muted underline">
          Leave this conversation
        </button>
      </Form>
    </>
  );
}

function MessageBubble({ message }: { message: ShownMessage }) {
  return (
    <article className={`max-w-[85%] rounded-2xl px-3 py-2 ${message.mine ? "bg-accent-soft" : "bg-raised"}`}>
      <h3 className="text-sm font-semibold">{message.sender}</h3>
      {message.replyTo && (
        <a href={`#m-${message.replyTo}`} className="text-sm text-muted underline">
          In reply to an earlier message
        </a>
      )}
      {message.story && <StoryQuote quote={message.story} />}
      {message.deleted ? (
        <p className="text-muted italic">This message was deleted</p>
      ) : message.moderation === "removed" ? (
        <p className="text-muted italic">This message was removed by moderators</p>
      ) : (
        <>
          {message.text && <RichText content={parseRichText(message.text)} />}
          <MessageAttachments attachments={message.attachments} sensitive={message.sensitive} />
          {message.sharedPost && <SharedPostCard card={message.sharedPost} />}
        </>
      )}
      {message.moderation === "held" && (
        <p className="text-xs font-medium text-danger">Held for review: only you can see it until a moderator decides</p>
      )}
      {message.edited && !message.deleted && <p className="text-xs text-muted">Edited</p>}
      {message.reactions.length > 0 && (
        <p className="text-sm" aria-label="Reactions">
          {message.reactions.map((r) => `${r.emoji} ${r.count}`).join("  ")}
        </p>
      )}
    </article>
  );
}

/** The quick reactions, and any other the viewer gave (through the API) so it can be taken back here too. */
function reactionChoices(message: ShownMessage): { emoji: string; mine: boolean }[] {
  const mine = new Set(message.reactions.filter((reaction) => reaction.me).map((reaction) => reaction.emoji));
  return [...new Set([...QUICK_REACTIONS, ...mine])].map((emoji) => ({ emoji, mine: mine.has(emoji) }));
}

function MessageActions({ message, conversationId }: { message: ShownMessage; conversationId: string }) {
  const [params] = useSearchParams();
  const editing = new URLSearchParams(params);
  editing.set("edit", message.id);
  return (
    <div className="flex flex-wrap gap-1">
      {message.mine && (
        <Link
          to={`?${editing}#edit-text`}
          className="inline-flex min-h-6 items-center rounded-full border border-line px-2 text-sm"
          aria-label={`Edit your message: ${summaryOf(message).slice(0, 40)}`}
        >
          Edit
        </Link>
      )}
      {!message.mine && (
        <Link
          to={`/messages/${conversationId}/report/${message.id}`}
          className="inline-flex min-h-6 items-center rounded-full border border-line px-2 text-sm"
          aria-label={`Report the message from ${message.sender}`}
        >
          Report
        </Link>
      )}
      {reactionChoices(message).map(({ emoji, mine }) => (
        // A toggle: pressed is the viewer's own reaction, and pressing it again takes it back.
        <Form method="post" key={emoji}>
          <input type="hidden" name="intent" value={mine ? "unreact" : "react"} />
          <input type="hidden" name="messageId" value={message.id} />
          <input type="hidden" name="emoji" value={emoji} />
          <button
            type="submit"
            className={`min-h-6 min-w-6 rounded-full border px-2 text-sm ${mine ? "border-accent bg-accent-soft" : "border-line"}`}
            aria-label={`React ${emoji}`}
            aria-pressed={mine}
          >
            {emoji}
          </button>
        </Form>
      ))}
      <Form method="post">
        <input type="hidden" name="intent" value="delete" />
        <input type="hidden" name="messageId" value={message.id} />
        <input type="hidden" name="forEveryone" value="false" />
        <button type="submit" className="min-h-6 rounded-full border border-line px-2 text-sm">
          Delete for me
        </button>
      </Form>
      {message.mine && (
        <Form method="post">
          <input type="hidden" name="intent" value="delete" />
          <input type="hidden" name="messageId" value={message.id} />
          <input type="hidden" name="forEveryone" value="true" />
          <button type="submit" className="min-h-6 rounded-full border border-line px-2 text-sm">
            Delete for everyone
          </button>
        </Form>
      )}
    </div>
  );
}

/**
 * Files for the message: a plain file input (sent with the form, no JavaScript needed), descriptions for up to four of
 * them behind a disclosure, and the files a refused send already uploaded (with their descriptions), kept for the next
 * try.
 */
function AttachFields({ kept }: { kept: ChatAttachment[] }) {
  return (
    <div className="flex flex-col gap-2 text-sm">
      {kept.length > 0 && (
        <fieldset className="flex flex-col gap-1">
          <legend className="font-semibold">Already attached</legend>
          {kept.map((upload) => (
            <label key={upload.id} className="flex min-h-6 items-center gap-2">
              <input type="checkbox" name="keepMedia" value={upload.id} defaultChecked />
              {`${upload.name} (${fileSize(upload.size)})`}
            </label>
          ))}
        </fieldset>
      )}
      <label htmlFor="message-media" className="font-semibold">
        Attach files
      </label>
      <p id="message-media-hint" className="text-muted">
        Up to {mediaLimits.perPost}: images ({megabytes(mediaLimits.imageBytes)}), videos ({megabytes(mediaLimits.videoBytes)}), PDF or text
        files ({megabytes(mediaLimits.fileBytes)}). Only the people in this conversation can open them.
      </p>
      <input
        id="message-media"
        type="file"
        name="media"
        multiple
        accept={ACCEPTED_FILES}
        aria-describedby="message-media-hint"
        className="file:mr-3 file:rounded-full file:border file:border-line file:bg-surface file:px-3 file:py-1.5 file:font-semibold"
      />
      <label className="flex min-h-6 items-center gap-2">
        <input type="checkbox" name="sensitive" />
        Mark the files sensitive (shown behind a cover)
      </label>
      <details>
        <summary className="min-h-6 cursor-pointer">Describe the files (alt text)</summary>
        <div className="mt-2 flex flex-col gap-2">
          {[1, 2, 3, 4].map((number) => (
            <div key={number} className="flex flex-col gap-1">
              <label htmlFor={`message-alt-${number}`}>Description of file {number}</label>
              <input
                id={`message-alt-${number}`}
                name="alt"
                maxLength={mediaLimits.descriptionCharacters}
                className="rounded-lg border border-line bg-surface px-3 py-2"
              />
            </div>
          ))}
        </div>
      </details>
    </div>
  );
}

/**
 * A message request's choices (Instagram's Requests): accept to reply, delete it, block its sender (which deletes it
 * too), or report them; they are not told the request was read until it is accepted.
 */
function RequestChoices({ requester }: { requester: { username: string; displayName: string } | null }) {
  const button = "min-h-11 rounded-full border border-line px-4";
  return (
    <section aria-labelledby="request-heading" className="flex flex-col gap-3 border-b border-line px-4 py-3">
      <h2 id="request-heading" className="font-semibold">
        {requester ? `Message request from ${requester.displayName || requester.username}` : "Message request"}
      </h2>
      <p className="text-sm text-muted">Accept to reply. Until then, they won't know you have read it.</p>
      <div className="flex flex-wrap items-center gap-2">
        <Form method="post">
          <input type="hidden" name="intent" value="accept" />
          <SubmitButton pendingLabel="Accepting…">Accept</SubmitButton>
        </Form>
        <Form method="post">
          <input type="hidden" name="intent" value="leave" />
          <button type="submit" className={button}>
            Delete
          </button>
        </Form>
        {requester && (
          <>
            <Form method="post">
              <input type="hidden" name="intent" value="block" />
              <button type="submit" className={`${button} border-danger text-danger`}>
                {`Block @${requester.username}`}
              </button>
            </Form>
            <Link to={`/${requester.username}/report`} className={`${button} inline-flex items-center`}>
              {`Report @${requester.username}`}
            </Link>
          </>
        )}
      </div>
    </section>
  );
}

/** Editing one of the viewer's messages (`?edit=`): a plain form; a refused edit comes back with what was typed. */
function EditForm({ editing, problem }: { editing: { id: string; text: string }; problem: FormProblem | null }) {
  const error = problem?.fieldErrors.text;
  return (
    <Form method="post" action={`?edit=${editing.id}`} className="flex flex-col gap-2 border-t border-line px-4 py-3">
      <FormMessage error={problem?.formError} />
      <input type="hidden" name="intent" value="edit" />
      <input type="hidden" name="messageId" value={editing.id} />
      <label htmlFor="edit-text" className="font-semibold">
        Edit your message
      </label>
      <textarea
        id="edit-text"
        name="text"
        rows={2}
        maxLength={MESSAGE_MAX_CHARACTERS}
        defaultValue={problem?.values.text ?? editing.text}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "edit-text-error" : undefined}
        className="rounded-lg border border-line bg-surface px-3 py-2"
      />
      {error && (
        <p id="edit-text-error" className="text-sm text-danger">
          {error}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pendingLabel="Saving…">Save edit</SubmitButton>
        <Link to="." className="inline-flex min-h-11 items-center underline">
          Cancel
        </Link>
      </div>
    </Form>
  );
}

type Search = {
  query: string;
  matches: { id: string; senderId: string; text: string; at: string; shownAt: string }[];
  further: string | null;
};

/** Search within the conversation: a GET form, and what it found (bodies are encrypted, so the domain looks in windows). */
function ConversationSearch({
  conversationId,
  search,
  nameOf,
  now,
}: {
  conversationId: string;
  search: Search | null;
  nameOf: (userId: string) => string;
  now: number;
}) {
  return (
    <>
      <Form method="get" role="search" className="flex gap-2 border-b border-line px-4 py-2">
        <label htmlFor="conversation-search" className="sr-only">
          Search this conversation
        </label>
        <input
          id="conversation-search"
          type="search"
          name="q"
          maxLength={200}
          defaultValue={search?.query}
          placeholder="Search this conversation"
          className="min-w-0 flex-1 rounded-lg border border-line bg-surface px-3 py-2"
        />
        <button type="submit" className="min-h-11 rounded-full border border-line px-4 font-medium">
          Search
        </button>
      </Form>
      {search && (
        <section aria-labelledby="search-results-heading" className="border-b border-line px-4 py-3">
          <h2 id="search-results-heading" className="font-semibold">
            {search.matches.length === 0 ? `No messages found for “${search.query}”` : `Messages with “${search.query}”`}
          </h2>
          <ul className="mt-2 flex flex-col gap-2">
            {search.matches.map((match) => (
              <li key={match.id} className="rounded-lg bg-raised px-3 py-2">
                <p className="text-sm text-muted">
                  {nameOf(match.senderId)} · <RelativeTime iso={match.at} now={now} />
                </p>
                <p className="break-words whitespace-pre-wrap">{match.text}</p>
                <Link to={match.shownAt} className="inline-flex min-h-6 items-center text-sm underline">
                  Show in the conversation
                </Link>
              </li>
            ))}
          </ul>
          <p className="mt-2 flex flex-wrap gap-4 text-sm">
            {search.further && (
              <Link to={search.further} className="inline-flex min-h-6 items-center underline">
                Search older messages
              </Link>
            )}
            <Link to={`/messages/${conversationId}`} className="inline-flex min-h-6 items-center underline">
              Clear search
            </Link>
          </p>
        </section>
      )}
    </>
  );
}
