import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { peopleIn } from "#domain/messages/conversations.ts";
import { getMessage } from "#domain/messages/messages.ts";
import { reportMessage, type ReportCategory } from "#domain/moderation/reports.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { ReportCategoryField, ReportCommentField } from "#app/components/report-fields.tsx";
import { domainProblem, readForm, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";
import { notFound } from "#app/responses.server.ts";
import { redirectWithToast } from "#app/toast.server.ts";

export const meta = titled("Report a message");

/**
 * Reporting one chat message (docs/decisions/0054): the message as the reporter reads it, and the report form. A
 * message they cannot read is not found; their own cannot be reported. Moderators will see this message only.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const message = await getMessage(domain, user.id, params.id ?? "", params.messageId ?? "");
  if (message.senderId === user.id) throw notFound("You cannot report your own message.");
  const [sender] = await peopleIn(domain, [message.senderId]);
  return {
    conversationId: message.conversationId,
    sender: sender ? sender.displayName || sender.username : "Former member",
    text: message.text,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user } = requireViewer(context, request);
  const form = await readForm(request);
  const conversationId = params.id ?? "";
  try {
    await reportMessage(context.scope.domain, user.id, conversationId, params.messageId ?? "", {
      category: String(form.get("category") ?? "other") as ReportCategory,
      comment: String(form.get("comment") ?? ""),
    });
  } catch (error) {
    return domainProblem(form, error);
  }
  return redirectWithToast(context, `/messages/${conversationId}`, {
    kind: "success",
    message: "Thank you: your report went to the moderators.",
  });
}

export default function ReportMessage() {
  const { conversationId, sender, text } = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>() as FormProblem | undefined;
  return (
    <>
      <PageHeader
        title="Report a message"
        description="Reports go to this server's moderators only; they see this message, not the rest of the conversation, and the sender is not told who reported it."
        back={`/messages/${conversationId}`}
      />
      <Form method="post" className="flex flex-col gap-5 px-4 py-4">
        <FormMessage error={problem?.formError} />
        <figure className="rounded-2xl bg-raised px-3 py-2">
          <figcaption className="text-sm font-semibold">{sender}</figcaption>
          <blockquote className="break-words whitespace-pre-wrap">{text ?? "This message was deleted"}</blockquote>
        </figure>
        <ReportCategoryField selected={problem?.values.category ?? "spam"} error={problem?.fieldErrors.category} />
        <ReportCommentField value={problem?.values.comment ?? ""} error={problem?.fieldErrors.comment} />
        <div>
          <SubmitButton pendingLabel="Sending…">Send report</SubmitButton>
        </div>
      </Form>
    </>
  );
}
