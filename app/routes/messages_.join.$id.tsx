import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { joinableGroup, joinByLink } from "#domain/messages/conversations.ts";
import { groupPicturePath } from "#domain/messages/group-pictures.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Join a group");

/** A group's invite link (groups anyone may join): its picture, name and size, and a button; a member goes straight in. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const { conversation, members } = await joinableGroup(context.scope.domain, params.id ?? "");
  if (members.some((member) => member.userId === user.id)) throw redirect(`/messages/${conversation.id}`);
  return {
    name: conversation.name ?? "A group",
    picture: conversation.pictureKey ? groupPicturePath(conversation.pictureKey, "96") : null,
    members: members.length,
  };
}

export const action = formAction(async ({ request, context, params }) => {
  const { user } = requireViewer(context, request);
  const conversation = await joinByLink(context.scope.domain, params.id ?? "", user.id);
  return redirect(`/messages/${conversation.id}`);
});

export default function JoinGroup() {
  const { name, picture, members } = useLoaderData<typeof loader>();
  const problem = useActionData<FormProblem>();
  return (
    <>
      <PageHeader title="Join a group" back="/messages" />
      <div className="flex flex-col gap-4 px-4 py-4">
        <FormMessage error={problem?.formError} />
        <p className="flex items-center gap-3">
          {/* The group's name beside it says whose picture it is. */}
          {picture && <img src={picture} alt="" className="size-12 shrink-0 rounded-full bg-raised object-cover" />}
          <span>
            <span className="font-semibold">{name}</span> · {members === 1 ? "1 member" : `${members} members`}
          </span>
        </p>
        <p className="text-muted">Anyone with this link may join. The members will see your messages and you theirs.</p>
        <Form method="post">
          <SubmitButton>Join</SubmitButton>
        </Form>
      </div>
    </>
  );
}
