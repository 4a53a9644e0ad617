import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import {
  addToStoryListByUsername,
  removeFromStoryList,
  setStoryArchive,
  storyArchiveOn,
  storyListMembers,
  type StoryListName,
} from "#domain/stories/settings.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { AccountRow, type AccountRowData } from "#app/components/account-row.tsx";
import { Field, FormMessage, SubmitButton } from "#app/components/forms.tsx";
import { SettingsSection } from "#app/components/settings-section.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { presentAccountRow } from "#app/presenters/account-row.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Stories");

/** The three lists, as this page shows them: each owned by you and seen by no one else. */
const lists = {
  "close-friends": {
    title: "Close friends",
    description: "Only they see the stories you share with Close friends (a green ring). Nobody is told they are on it.",
    empty: "Nobody yet.",
    add: "Add to close friends",
    remove: "Remove",
  },
  hidden: {
    title: "Hide my story from",
    description: "They see none of your stories, whatever audience you choose. They are not told.",
    empty: "You hide your story from nobody.",
    add: "Hide my story from them",
    remove: "Show again",
  },
  muted: {
    title: "Muted stories",
    description: "Their stories leave your tray; you still follow them and see their posts.",
    empty: "You have not muted anyone's stories.",
    add: "Mute their stories",
    remove: "Unmute",
  },
} satisfies Record<StoryListName, Record<string, string>>;

const listNames = Object.keys(lists) as StoryListName[];
const isListName = (value: unknown): value is StoryListName => listNames.includes(value as StoryListName);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const [archive, ...members] = await Promise.all([
    storyArchiveOn(domain, user.id),
    ...listNames.map((list) => storyListMembers(domain, user.id, list)),
  ]);
  return {
    archive,
    members: Object.fromEntries(listNames.map((list, index) => [list, members[index]!.map(presentAccountRow)])) as Record<
      StoryListName,
      AccountRowData[]
    >,
  };
}

export const action = formAction(async ({ request, context, form }) => {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const intent = form.get("intent");
  const list = form.get("list");
  if (intent === "archive") {
    await setStoryArchive(domain, user.id, form.get("archive") === "on");
    return { notice: form.get("archive") === "on" ? "Your archive is on." : "Your archive is off." };
  }
  if (!isListName(list)) throw new Response("Unknown list", { status: 400 });
  if (intent === "add") await addToStoryListByUsername(domain, user.id, list, String(form.get("username") ?? ""));
  else if (intent === "remove") await removeFromStoryList(domain, user.id, list, String(form.get("accountId") ?? ""));
  else throw new Response("Unknown action", { status: 400 });
  return { notice: `${lists[list].title}: saved.` };
});

export default function StorySettings() {
  const { archive, members } = useLoaderData<typeof loader>();
  const result = useActionData<FormProblem | { notice: string }>();
  const problem = result && "fieldErrors" in result ? result : undefined;
  return (
    <>
      <FormMessage
        error={problem && problem.values.intent !== "add" ? problem.formError : undefined}
        notice={result && "notice" in result ? result.notice : undefined}
      />
      <SettingsSection
        id="archive-heading"
        title="Archive"
        description="Your stories disappear from others after 24 hours. With the archive on, you keep them privately and can add them to highlights later; with it off, their files are deleted at expiry unless a highlight keeps them."
      >
        <Form method="post" className="flex flex-col gap-3">
          <input type="hidden" name="intent" value="archive" />
          <label className="flex min-h-6 items-center gap-2 font-medium">
            <input type="checkbox" name="archive" defaultChecked={archive} /> Keep my expired stories in my archive
          </label>
          <div>
            <SubmitButton intent="archive" pendingLabel="Saving…">
              Save
            </SubmitButton>
          </div>
        </Form>
        <Link to="/stories/archive" className="min-h-6 self-start underline">
          See your archive
        </Link>
      </SettingsSection>
      {listNames.map((list) => {
        const copy = lists[list];
        const mine = problem?.values.intent === "add" && problem.values.list === list ? problem : undefined;
        return (
          <SettingsSection key={list} id={`${list}-heading`} title={copy.title} description={copy.description}>
            {members[list].length === 0 ? (
              <p className="text-muted">{copy.empty}</p>
            ) : (
              <ul aria-labelledby={`${list}-heading`} className="-mx-4 divide-y divide-line">
                {members[list].map((account) => (
                  <AccountRow key={account.id} account={account} actions={[{ intent: "remove", label: copy.remove, extra: { list } }]} />
                ))}
              </ul>
            )}
            <Form method="post" className="flex flex-col gap-3">
              <input type="hidden" name="intent" value="add" />
              <input type="hidden" name="list" value={list} />
              <Field
                label="Username"
                name="username"
                autoComplete="off"
                placeholder="@username"
                defaultValue={mine?.values.username}
                error={mine?.fieldErrors.username ?? mine?.formError}
                key={mine ? "problem" : "fresh"}
              />
              <div>
                <SubmitButton intent="add" pendingLabel="Saving…">
                  {copy.add}
                </SubmitButton>
              </div>
            </Form>
          </SettingsSection>
        );
      })}
    </>
  );
}
