import { redirect, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DomainError } from "#domain/errors.ts";
import { listConversations } from "#domain/messages/conversations.ts";
import { MESSAGE_MAX_CHARACTERS } from "#domain/messages/messages.ts";
import { shareablePostId, sharedPostCards } from "#domain/messages/shared-posts.ts";
import { presentSharedStatus } from "#workers/api/entities/chat.ts";
import { sendThroughRoom } from "#workers/sockets/room-send.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { SharedPostCard } from "#app/components/message-attachments.tsx";
import { domainProblem, formAction, formProblem, type FormProblem } from "#app/forms.server.ts";
import { conversationPeople, conversationTitle } from "#app/conversation-titles.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Send in a message");

/**
 * "Send in a message" on a post: the post's card as it will be sent, the viewer's conversations to pick from, and an
 * optional note. A plain form; the message goes through the conversation's room like any other (ADR 0055). A post the
 * viewer cannot see is not found.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  // The page of a post the viewer cannot share is not found, as the post's own page is.
  const postId = await shareablePostId(domain, user.id, new URL(request.url).searchParams.get("post") ?? "").catch((error: unknown) => {
    throw error instanceof DomainError ? new DomainError("not_found", "Record not found") : error;
  });
  const card = (await sharedPostCards(domain, user.id, [postId])).get(postId)!;
  const rows = await listConversations(domain, user.id, "inbox");
  const { nameOf } = await conversationPeople(
    domain,
    rows.flatMap((row) => row.memberIds),
  );
  return {
    postId,
    card: presentSharedStatus(card),
    conversations: rows.map((row) => ({
      id: row.conversation.id,
      title: conversationTitle(row.conversation, row.memberIds, user.id, nameOf),
    })),
    clientId: crypto.randomUUID(),
  };
}

export const action = formAction(async ({ request, context, form }) => {
  const { user } = requireViewer(context, request);
  const conversationId = String(form.get("conversation") ?? "");
  try {
    if (!conversationId) return formProblem(form, { fieldErrors: { conversation: "Choose a conversation" } });
    await sendThroughRoom(context.cloudflare.env, {
      conversationId,
      senderId: user.id,
      clientId: String(form.get("clientId") ?? ""),
      text: String(form.get("text") ?? ""),
      sharedPostId: String(form.get("post") ?? ""),
    });
  } catch (error) {
    return domainProblem(form, error);
  }
  return redirect(`/messages/${conversationId}`);
});

export default function SharePost() {
  const data = useLoaderData<typeof loader>();
  const problem = useActionData<FormProblem | null>();
  const chosen = problem?.values.conversation;
  return (
    <>
      <PageHeader title="Send in a message" back="/messages" />
      <div className="flex flex-col gap-4 px-4 py-3">
        <SharedPostCard card={data.card} />
        {data.conversations.length === 0 ? (
          <p className="text-muted">
            You have no conversations yet. Use Message on someone&apos;s profile to start one, then share the post there.
          </p>
        ) : (
          <Form method="post" className="flex flex-col gap-3" noValidate>
            <FormMessage error={problem?.formError} />
            <input type="hidden" name="post" value={data.postId} />
            <input type="hidden" name="clientId" value={problem?.values.clientId ?? data.clientId} />
            <fieldset
              className="flex flex-col gap-1"
              aria-describedby={problem?.fieldErrors.conversation ? "share-conversation-error" : undefined}
            >
              <legend className="font-semibold">Send to</legend>
              {problem?.fieldErrors.conversation && (
                <p id="share-conversation-error" className="text-sm text-danger">
                  {problem.fieldErrors.conversation}
                </p>
              )}
              {data.conversations.map((conversation) => (
                <label key={conversation.id} className="flex min-h-10 items-center gap-3 rounded-lg px-2 hover:bg-raised">
                  <input type="radio" name="conversation" value={conversation.id} defaultChecked={chosen === conversation.id} />
                  {conversation.title}
                </label>
              ))}
            </fieldset>
            <label htmlFor="share-text" className="font-semibold">
              Add a message <span className="font-normal text-muted">(optional)</span>
            </label>
            <textarea
              id="share-text"
              name="text"
              rows={2}
              maxLength={MESSAGE_MAX_CHARACTERS}
              defaultValue={problem?.values.text}
              aria-invalid={problem?.fieldErrors.text ? true : undefined}
              aria-describedby={problem?.fieldErrors.text ? "share-text-error" : undefined}
              className="rounded-lg border border-line bg-surface px-3 py-2"
            />
            {problem?.fieldErrors.text && (
              <p id="share-text-error" className="text-sm text-danger">
                {problem.fieldErrors.text}
              </p>
            )}
            <div>
              <SubmitButton pendingLabel="Sending…">Send</SubmitButton>
            </div>
          </Form>
        )}
        <Link to="/messages" className="text-sm text-muted underline">
          Your conversations
        </Link>
      </div>
    </>
  );
}
