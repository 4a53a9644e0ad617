import { redirect, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { acceptRequest, conversationOf, leaveConversation, peopleIn } from "#domain/messages/conversations.ts";
import { deleteMessage, history, markRead, MESSAGE_MAX_CHARACTERS, react } from "#domain/messages/messages.ts";
import { sendThroughRoom } from "#workers/sockets/room-send.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { PageLink } from "#app/components/page-link.tsx";
import { StoryQuote } from "#app/components/story-quote.tsx";
import { domainProblem, formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";
import { pageLinks, pageRequestOf } from "#app/paging.server.ts";
import { presentStoryQuote } from "#app/presenters/story.server.ts";

export const meta = titled("Conversation");

const QUICK_REACTIONS = ["👍", "❤️", "😂"];

/**
 * One conversation: its history (newest at the bottom, "Load older" above), and a plain form to send, reply, react and
 * delete. With JavaScript the room's socket reloads the history when something arrives. Reading the newest page moves
 * the read marker.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const id = params.id ?? "";
  const summary = await conversationOf(domain, user.id, id);
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
    title:
      summary.conversation.name ??
      (summary.memberIds
        .filter((m) => m !== user.id)
        .map(nameOf)
        .join(", ") ||
        "Just you"),
    request: summary.member.state === "request",
    messages: [...page.items].reverse().map((message) => ({
      id: message.id,
      mine: message.senderId === user.id,
      sender: nameOf(message.senderId),
      text: message.text,
      deleted: message.deletedAt !== null,
      edited: message.editedAt !== null,
      replyTo: message.replyToId,
      reactions: message.reactions,
      story: message.story && presentStoryQuote(message.story, message.senderId === user.id),
      at: message.createdAt.toISOString(),
    })),
    older: pageLinks(request, pageRequest, page).older,
    clientId: crypto.randomUUID(),
  };
}

export const action = formAction(async ({ request, context, params, form }) => {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const id = params.id ?? "";
  const intent = String(form.get("intent") ?? "send");
  const messageId = String(form.get("messageId") ?? "");
  try {
    if (intent === "send") {
      const replyTo = String(form.get("replyTo") ?? "");
      await sendThroughRoom(context.cloudflare.env, {
        conversationId: id,
        senderId: user.id,
        clientId: String(form.get("clientId") ?? ""),
        text: String(form.get("text") ?? ""),
        replyToId: replyTo || null,
      });
    } else if (intent === "react") await react(domain, user.id, id, messageId, String(form.get("emoji") ?? ""));
    else if (intent === "delete") await deleteMessage(domain, user.id, id, messageId, form.get("forEveryone") === "true");
    else if (intent === "accept") await acceptRequest(domain, id, user.id);
    else if (intent === "leave") {
      await leaveConversation(domain, id, user.id);
      return redirect("/messages");
    }
  } catch (error) {
    return domainProblem(form, error);
  }
  return redirect(`/messages/${id}`);
});

/** With JavaScript: the room's socket tells of new messages, edits and reactions, and the page reloads its data. */
function useLiveRoom(id: string) {
  const { revalidate } = useRevalidator();
  useEffect(() => {
    const url = new URL(`/api/v1/perch/chats/${id}/stream`, window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(url);
    socket.addEventListener("message", (event) => {
      const frame = JSON.parse(String(event.data)) as { event?: string };
      if (frame.event === "message" || frame.event === "message.updated") revalidate();
    });
    return () => socket.close(1000, "leaving");
  }, [id, revalidate]);
}

export default function Conversation() {
  const data = useLoaderData<typeof loader>();
  const problem = useActionData<FormProblem | null>();
  useLiveRoom(data.id);
  return (
    <>
      <PageHeader title={data.title} back="/messages" />
      {data.request && (
        <div className="flex flex-wrap items-center gap-3 border-b border-line px-4 py-3">
          <p>This is a message request. Accept to reply; leave to decline.</p>
          <Form method="post">
            <input type="hidden" name="intent" value="accept" />
            <SubmitButton pendingLabel="Accepting…">Accept</SubmitButton>
          </Form>
        </div>
      )}
      <PageLink to={data.older} rel="next">
        Load older
      </PageLink>
      <ol aria-label="Messages" className="flex flex-col gap-2 px-4 py-3">
        {data.messages.map((message) => (
          <li key={message.id} id={`m-${message.id}`} className={`flex flex-col gap-1 ${message.mine ? "items-end" : "items-start"}`}>
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
              ) : (
                <p className="break-words whitespace-pre-wrap">{message.text}</p>
              )}
              {message.edited && !message.deleted && <p className="text-xs text-muted">Edited</p>}
              {message.reactions.length > 0 && (
                <p className="text-sm" aria-label="Reactions">
                  {message.reactions.map((r) => `${r.emoji} ${r.count}`).join("  ")}
                </p>
              )}
            </article>
            {!message.deleted && (
              <div className="flex flex-wrap gap-1">
                {QUICK_REACTIONS.map((emoji) => (
                  <Form method="post" key={emoji}>
                    <input type="hidden" name="intent" value="react" />
                    <input type="hidden" name="messageId" value={message.id} />
                    <input type="hidden" name="emoji" value={emoji} />
                    <button
                      type="submit"
                      className="min-h-6 min-w-6 rounded-full border border-line px-2 text-sm"
                      aria-label={`React ${emoji}`}
                    >
                      {emoji}
                    </button>
                  </Form>
                ))}
                <Form method="post">
                  <input type="hidden" name="intent" value="delete" />
                  <input type="hidden" name="messageId" value={message.id} />
                  <input type="hidden" name="forEveryone" value={message.mine ? "true" : "false"} />
                  <button type="submit" className="min-h-6 rounded-full border border-line px-2 text-sm">
                    {message.mine ? "Delete for everyone" : "Delete for me"}
                  </button>
                </Form>
              </div>
            )}
          </li>
        ))}
      </ol>
      <Form method="post" className="flex flex-col gap-2 border-t border-line px-4 py-3" noValidate>
        <FormMessage error={problem?.formError} />
        <input type="hidden" name="intent" value="send" />
        <input type="hidden" name="clientId" value={problem?.values.clientId ?? data.clientId} />
        <label htmlFor="message-text" className="font-semibold">
          Message
        </label>
        <textarea
          id="message-text"
          name="text"
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
        {data.messages.length > 0 && (
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
              {data.messages
                .filter((m) => !m.deleted)
                .map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.sender}: {(m.text ?? "").slice(0, 40)}
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
