import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { chatUnreadOf, onLiveFrame } from "#app/live-socket.ts";
import { createGroup, listConversations, openDirect } from "#domain/messages/conversations.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { Field, FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { usersNamed } from "#app/usernames.server.ts";
import { conversationPeople, conversationPicture, conversationTitle } from "#app/conversation-titles.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Messages");

const TABS = { inbox: "Inbox", requests: "Requests", archived: "Archived" } as const;
type Tab = keyof typeof TABS;
const isTab = (value: string | null): value is Tab => value !== null && Object.hasOwn(TABS, value);

const EMPTY: Record<Tab, string> = {
  inbox: "No conversations yet. Use Message on someone's profile to start one.",
  requests: "No message requests.",
  archived: "No archived conversations. Archive one from its settings; a new message brings it back to the inbox.",
};

/** The viewer's conversations with their unread counts; message requests and archived ones in their own tabs. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const asked = new URL(request.url).searchParams.get("tab");
  const tab: Tab = isTab(asked) ? asked : "inbox";
  const { domain } = context.scope;
  const rows = await listConversations(domain, user.id, tab);
  const { nameOf, avatarOf } = await conversationPeople(
    domain,
    rows.flatMap((row) => row.memberIds),
  );
  return {
    tab,
    conversations: rows.map((row) => ({
      id: row.conversation.id,
      title: conversationTitle(row.conversation, row.memberIds, user.id, nameOf),
      picture: conversationPicture(row.conversation, row.memberIds, user.id, avatarOf),
      unread: row.unread,
      muted: row.member.muted,
    })),
  };
}

/**
 * "Message" on a profile opens (or starts) the one-to-one conversation; "New group" makes a group of the people named.
 * Either way the conversation opens.
 */
export const action = formAction(async ({ request, context, form }) => {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const conversation =
    form.get("intent") === "group"
      ? await createGroup(domain, user.id, {
          name: String(form.get("name") ?? ""),
          memberIds: await usersNamed(domain, String(form.get("usernames") ?? "")),
          access: form.get("access") === "link" ? "link" : "invite",
        })
      : await openDirect(domain, user.id, String(form.get("recipient") ?? ""));
  return redirect(`/messages/${conversation.id}`);
});

export default function Messages() {
  const { tab, conversations } = useLoaderData<typeof loader>();
  const problem = useActionData<FormProblem>();
  useLiveList();
  return (
    <>
      <PageHeader title="Messages" />
      <nav aria-label="Which conversations" className="flex border-b border-line">
        {(Object.keys(TABS) as Tab[]).map((name) => (
          <Link
            key={name}
            to={name === "inbox" ? "/messages" : `/messages?tab=${name}`}
            aria-current={tab === name ? "page" : undefined}
            className={`flex-1 px-4 py-3 text-center hover:bg-raised ${tab === name ? "border-b-2 border-accent font-bold" : "text-muted"}`}
          >
            {TABS[name]}
          </Link>
        ))}
      </nav>
      {conversations.length === 0 ? (
        <p className="px-4 py-8 text-center text-muted">{EMPTY[tab]}</p>
      ) : (
        <ul aria-label="Conversations" className="divide-y divide-line border-b border-line">
          {conversations.map((conversation) => (
            <li key={conversation.id}>
              <Link
                to={`/messages/${conversation.id}`}
                className="flex min-h-12 items-center justify-between gap-4 px-4 py-3 hover:bg-raised"
              >
                <span className="flex min-w-0 items-center gap-3">
                  {/* The title beside it says whose picture it is. */}
                  {conversation.picture ? (
                    <img src={conversation.picture} alt="" className="size-10 shrink-0 rounded-full bg-raised object-cover" />
                  ) : (
                    <span aria-hidden="true" className="grid size-10 shrink-0 place-items-center rounded-full bg-raised font-bold">
                      {Array.from(conversation.title)[0]?.toUpperCase()}
                    </span>
                  )}
                  <span className={conversation.unread > 0 ? "font-bold" : ""}>{conversation.title}</span>
                </span>
                {conversation.unread > 0 && (
                  <span className="rounded-full bg-accent px-2 py-0.5 text-sm font-bold text-accent-ink">
                    {conversation.unread >= 100 ? "99+" : conversation.unread}
                    <span className="sr-only"> unread</span>
                  </span>
                )}
              </Link>
            </li>
          ))}
        </ul>
      )}
      <details className="border-b border-line px-4 py-3" open={Boolean(problem)}>
        <summary className="min-h-6 cursor-pointer font-semibold">New group</summary>
        <Form method="post" className="mt-3 flex flex-col gap-3">
          <input type="hidden" name="intent" value="group" />
          <FormMessage error={problem?.formError} />
          <Field
            label="Group name"
            name="name"
            required
            maxLength={100}
            defaultValue={problem?.values.name ?? ""}
            error={problem?.fieldErrors.name}
          />
          <Field
            label="People to invite"
            name="usernames"
            hint="Usernames, separated by commas or spaces."
            defaultValue={problem?.values.usernames ?? ""}
            error={problem?.fieldErrors.usernames}
          />
          <label className="flex items-center gap-3">
            <input type="checkbox" name="access" value="link" defaultChecked={problem?.values.access === "link"} />
            Anyone with the link may join
          </label>
          <div>
            <SubmitButton intent="group">Create group</SubmitButton>
          </div>
        </Form>
      </details>
    </>
  );
}

/** With JavaScript the list follows the chat: a new badge total means a message came or was read, so it reloads. */
function useLiveList() {
  const { revalidate } = useRevalidator();
  useEffect(
    () =>
      onLiveFrame((frame) => {
        if (chatUnreadOf(frame) !== undefined) revalidate();
      }),
    [revalidate],
  );
}
