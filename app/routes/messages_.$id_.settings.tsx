import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import {
  conversationOf,
  inviteMembers,
  leaveConversation,
  membersOf,
  peopleIn,
  removeMember,
  renameGroup,
  setConversationFlags,
  setRole,
  transferOwnership,
} from "#domain/messages/conversations.ts";
import { GROUP_PICTURE_MAX_BYTES, groupPicturePath, setGroupPicture } from "#domain/messages/group-pictures.ts";
import { megabytes } from "#domain/media/storage.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { Field, FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { ImageInput } from "#app/components/image-input.tsx";
import { SettingsSection } from "#app/components/settings-section.tsx";
import { formAction, formProblem, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";
import { usersNamed } from "#app/usernames.server.ts";

export const meta = titled("Conversation settings");

const ROLE_LABELS = { owner: "Owner", admin: "Admin", member: "Member" } as const;

/**
 * One conversation's settings, as plain forms: mute and archive it for yourself, leave it; in a group, its picture, name
 * and members (invite by username, remove, make admin, hand over ownership) as far as your role allows. The rules are
 * the domain's (conversations.ts, group-pictures.ts); a member without the right gets its 403 as an inline error.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const id = params.id ?? "";
  const summary = await conversationOf(domain, user.id, id);
  const members = await membersOf(domain, id);
  const people = await peopleIn(
    domain,
    members.map((member) => member.userId),
  );
  return {
    id,
    group: summary.conversation.kind === "group",
    name: summary.conversation.name ?? "",
    picture: summary.conversation.pictureKey ? groupPicturePath(summary.conversation.pictureKey) : null,
    pictureLimit: megabytes(GROUP_PICTURE_MAX_BYTES),
    joinLink: summary.conversation.access === "link" ? `${new URL(request.url).origin}/messages/join/${id}` : null,
    role: summary.member.role,
    muted: summary.member.muted,
    archived: summary.member.archived,
    me: user.id,
    members: members.map((member) => {
      const person = people.find((p) => p.id === member.userId);
      return {
        id: member.userId,
        name: person?.displayName || person?.username || "Someone",
        username: person?.username ?? "",
        role: member.role,
        invited: member.state === "request",
      };
    }),
  };
}

export const action = formAction(async ({ request, context, params, form }) => {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const id = params.id ?? "";
  const target = String(form.get("userId") ?? "");
  switch (String(form.get("intent"))) {
    case "mute":
    case "unmute":
      await setConversationFlags(domain, id, user.id, { muted: form.get("intent") === "mute" });
      return { notice: form.get("intent") === "mute" ? "Muted: no badges or notifications." : "Unmuted." };
    case "archive":
      await setConversationFlags(domain, id, user.id, { archived: true });
      return redirect("/messages");
    case "unarchive":
      await setConversationFlags(domain, id, user.id, { archived: false });
      return { notice: "Back in your inbox." };
    case "picture": {
      // The picture form is multipart: a chosen file arrives as a File with a name, none as an empty one.
      const file = form.get("picture");
      if (file instanceof File && (file.size > 0 || file.name !== "")) {
        await setGroupPicture(domain, id, user.id, new Uint8Array(await file.arrayBuffer()));
        return { notice: "Picture saved." };
      }
      if (form.get("remove-picture") === "1") {
        await setGroupPicture(domain, id, user.id, null);
        return { notice: "Picture removed." };
      }
      return formProblem(form, { fieldErrors: { picture: "Choose a picture, or tick Remove to go back to none." } });
    }
    case "rename":
      await renameGroup(domain, id, user.id, String(form.get("name") ?? ""));
      return { notice: "Renamed." };
    case "invite":
      await inviteMembers(domain, id, user.id, await usersNamed(domain, String(form.get("usernames") ?? "")));
      return { notice: "Invited." };
    case "remove":
      await removeMember(domain, id, user.id, target);
      return { notice: "Removed from the group." };
    case "admin":
    case "member":
      await setRole(domain, id, user.id, target, form.get("intent") === "admin" ? "admin" : "member");
      return { notice: "Role changed." };
    case "transfer":
      await transferOwnership(domain, id, user.id, target);
      return { notice: "The group has a new owner." };
    case "leave":
      await leaveConversation(domain, id, user.id);
      return redirect("/messages");
    default:
      throw new Response("Unknown action", { status: 400 });
  }
});

const smallButton = "min-h-6 rounded-full border border-line px-3 py-1 text-sm font-semibold";

function MemberAction({ intent, userId, label, who }: { intent: string; userId: string; label: string; who: string }) {
  return (
    <Form method="post">
      <input type="hidden" name="userId" value={userId} />
      <button type="submit" name="intent" value={intent} className={smallButton}>
        {label}
        <span className="sr-only">: {who}</span>
      </button>
    </Form>
  );
}

export default function ConversationSettings() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<(Partial<FormProblem> & { notice?: string }) | undefined>();
  const manager = data.role === "owner" || data.role === "admin";
  // What was refused about a picture is said beside the chooser (to those who have it); the top of the page, where the
  // page starts again without JavaScript, says only that it was not saved.
  const pictureError = manager && result?.values?.intent === "picture" ? (result.fieldErrors?.picture ?? result.formError) : undefined;
  return (
    <>
      <PageHeader title="Conversation settings" back={`/messages/${data.id}`} />
      <div className="px-4 pt-3">
        <FormMessage error={pictureError ? "The picture was not saved." : result?.formError} notice={result?.notice} />
      </div>
      <SettingsSection id="yours-heading" title="For you">
        <div className="flex flex-wrap gap-3">
          <Form method="post">
            <input type="hidden" name="intent" value={data.muted ? "unmute" : "mute"} />
            <SubmitButton variant="secondary" intent={data.muted ? "unmute" : "mute"}>
              {data.muted ? "Unmute" : "Mute"}
            </SubmitButton>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value={data.archived ? "unarchive" : "archive"} />
            <SubmitButton variant="secondary" intent={data.archived ? "unarchive" : "archive"}>
              {data.archived ? "Move back to the inbox" : "Archive"}
            </SubmitButton>
          </Form>
        </div>
      </SettingsSection>
      {data.group && (
        <>
          <SettingsSection id="picture-heading" title="Picture">
            {manager ? (
              <Form method="post" encType="multipart/form-data" className="flex flex-col gap-3">
                <input type="hidden" name="intent" value="picture" />
                {/* A new picture (or none) remounts the chooser: the file just sent, and its preview, go. */}
                <ImageInput
                  key={data.picture ?? "none"}
                  name="picture"
                  label="Group picture"
                  current={data.picture}
                  shape="round"
                  hint={`JPEG, PNG, GIF, WebP or AVIF, up to ${data.pictureLimit}. Everyone in the group sees it.`}
                  error={pictureError}
                />
                <div>
                  <SubmitButton intent="picture">Save picture</SubmitButton>
                </div>
              </Form>
            ) : (
              <>
                {/* Under the "Picture" heading, the group's name says what it shows (people upload no description of it). */}
                {data.picture ? (
                  <img src={data.picture} alt={data.name} className="size-24 rounded-full bg-raised object-cover" />
                ) : (
                  <p>This group has no picture.</p>
                )}
                <p className="text-sm text-muted">The owner and admins can change it.</p>
              </>
            )}
          </SettingsSection>
          {manager && (
            <SettingsSection id="name-heading" title="Name">
              <Form method="post" className="flex flex-col gap-3">
                <input type="hidden" name="intent" value="rename" />
                <Field
                  label="Group name"
                  name="name"
                  required
                  maxLength={100}
                  defaultValue={result?.values?.name ?? data.name}
                  error={result?.fieldErrors?.name}
                />
                <div>
                  <SubmitButton intent="rename">Rename</SubmitButton>
                </div>
              </Form>
            </SettingsSection>
          )}
          {data.joinLink && (
            <SettingsSection id="link-heading" title="Invite link">
              <p className="text-sm text-muted">Anyone with this link may join.</p>
              <p className="break-all">
                <a href={data.joinLink} className="underline">
                  {data.joinLink}
                </a>
              </p>
            </SettingsSection>
          )}
          <SettingsSection id="members-heading" title="Members">
            <ul aria-labelledby="members-heading" className="flex flex-col divide-y divide-line">
              {data.members.map((member) => (
                <li key={member.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span>
                    <span className="font-semibold">{member.name}</span> <span className="text-muted">{`@${member.username}`}</span>{" "}
                    <span className="text-sm text-muted">· {member.invited ? "Invited" : ROLE_LABELS[member.role]}</span>
                  </span>
                  {member.id !== data.me && member.role !== "owner" && (
                    <span className="flex flex-wrap gap-2">
                      {data.role === "owner" && !member.invited && (
                        <>
                          <MemberAction
                            intent={member.role === "admin" ? "member" : "admin"}
                            userId={member.id}
                            label={member.role === "admin" ? "Make member" : "Make admin"}
                            who={member.name}
                          />
                          <MemberAction intent="transfer" userId={member.id} label="Make owner" who={member.name} />
                        </>
                      )}
                      {manager && <MemberAction intent="remove" userId={member.id} label="Remove" who={member.name} />}
                    </span>
                  )}
                </li>
              ))}
            </ul>
            {manager && (
              <Form method="post" className="mt-3 flex flex-col gap-3">
                <input type="hidden" name="intent" value="invite" />
                <Field
                  label="Invite by username"
                  name="usernames"
                  hint="One or more, separated by commas or spaces."
                  defaultValue={result?.values?.usernames ?? ""}
                  error={result?.fieldErrors?.usernames}
                />
                <div>
                  <SubmitButton intent="invite">Invite</SubmitButton>
                </div>
              </Form>
            )}
          </SettingsSection>
        </>
      )}
      <SettingsSection id="leave-heading" title="Leave">
        <Form method="post">
          <input type="hidden" name="intent" value="leave" />
          <SubmitButton variant="danger" intent="leave">
            Leave this conversation
          </SubmitButton>
        </Form>
      </SettingsSection>
    </>
  );
}
