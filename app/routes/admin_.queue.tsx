import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { can } from "#domain/accounts/permissions.ts";
import { decideHeld, heldMessages, heldPosts, heldProfiles } from "#domain/moderation/review.ts";
import { presentHeldProfile, presentReviewed, presentReviewedMessage } from "#app/admin.server.ts";
import { requirePermission } from "#app/auth/viewer.server.ts";
import { AdminNav, AdminSection, Decisions, ReviewedMessageView, ReviewedPostView } from "#app/components/admin.tsx";
import { FormMessage, PageHeader } from "#app/components/forms.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Held for review · Admin");

/**
 * What the pipeline held, oldest first, with its verdicts: posts, profiles and chat messages (ADR 0054), each list with
 * its own bulk approve and remove. Moderators and admins only, checked on the server.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = requirePermission(context, request, "access:moderation");
  const { domain } = context.scope;
  const [posts, profiles, messages] = await Promise.all([heldPosts(domain, 50), heldProfiles(domain, 50), heldMessages(domain, 50)]);
  return {
    isAdmin: can(viewer.user, "access:admin"),
    held: posts.map(presentReviewed),
    profiles: profiles.map(presentHeldProfile),
    messages: messages.map(presentReviewedMessage),
  };
}

/** Each list's form: the kind it decides, the checkbox field it sends, and how its items are named. */
const LISTS = {
  post: { field: "postId", noun: ["post", "posts"] },
  profile: { field: "accountId", noun: ["profile", "profiles"] },
  message: { field: "messageId", noun: ["message", "messages"] },
} as const;
type Kind = keyof typeof LISTS;

export const action = formAction(async ({ request, context, form }) => {
  requirePermission(context, request, "access:moderation");
  const kind: Kind = form.get("kind") === "profile" ? "profile" : form.get("kind") === "message" ? "message" : "post";
  const decision = form.get("decision") === "remove" ? "remove" : "approve";
  const decided = await decideHeld(context.scope.domain, {
    kind,
    postIds: form.getAll("postId").map(String),
    accountIds: form.getAll("accountId").map(String),
    messageIds: form.getAll("messageId").map(String),
    decision,
    reason: String(form.get("reason") ?? ""),
  });
  const [one, many] = LISTS[kind].noun;
  return { notice: `${decided} ${decided === 1 ? one : many} ${decision === "remove" ? "removed" : "approved"}.` };
});

export default function AdminQueue() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as (Partial<FormProblem> & { notice?: string }) | undefined;
  return (
    <>
      <PageHeader
        title="Held for review"
        back="/admin"
        description="Held posts and messages are seen only by their authors, held profiles are blank to everyone else, until a moderator decides."
      />
      <AdminNav current="/admin/queue" isAdmin={data.isAdmin} />
      <div className="px-4 pt-3">
        <FormMessage error={result?.formError} notice={result?.notice} />
      </div>
      <HeldList kind="post" title="Held posts" count={data.held.length} result={result}>
        {data.held.map((post) => (
          <Choice key={post.id} kind="post" id={post.id} label={`Post by @${post.username}`} result={result}>
            <ReviewedPostView post={post} />
          </Choice>
        ))}
      </HeldList>
      <HeldList kind="profile" title="Held profiles" count={data.profiles.length} result={result}>
        {data.profiles.map((profile) => (
          <Choice key={profile.id} kind="profile" id={profile.id} label={`Profile of @${profile.username}`} result={result}>
            <div className="rounded border border-line p-2">
              <p className="text-sm text-muted">
                @{profile.username}
                {profile.displayName && ` · ${profile.displayName}`}
              </p>
              {profile.text && <p className="break-words whitespace-pre-line">{profile.text}</p>}
              {profile.pictures.length > 0 && (
                <ul className="mt-1 flex flex-wrap gap-2">
                  {profile.pictures.map((picture) => (
                    <li key={picture.label}>
                      <img
                        src={picture.src}
                        alt={`${picture.label} of @${profile.username}`}
                        className="h-16 max-w-48 rounded object-cover"
                      />
                    </li>
                  ))}
                </ul>
              )}
              <Decisions decisions={profile.decisions} />
            </div>
          </Choice>
        ))}
      </HeldList>
      <HeldList kind="message" title="Held chat messages" count={data.messages.length} result={result}>
        {data.messages.map((message) => (
          <Choice key={message.id} kind="message" id={message.id} label={`Message from @${message.username}`} result={result}>
            <ReviewedMessageView message={message} />
          </Choice>
        ))}
      </HeldList>
    </>
  );
}

type Result = (Partial<FormProblem> & { notice?: string }) | undefined;

/** The form's answer, when it was this list's form that was sent. */
const answerFor = (kind: Kind, result: Result) => ((result?.values?.kind ?? "post") === kind ? result : undefined);

/** One checkbox of a list, its label the item itself. */
function Choice({ kind, id, label, result, children }: { kind: Kind; id: string; label: string; result: Result; children: ReactNode }) {
  const { field } = LISTS[kind];
  return (
    <li className="flex gap-3">
      <input
        id={`held-${kind}-${id}`}
        type="checkbox"
        name={field}
        value={id}
        defaultChecked={answerFor(kind, result)?.values?.[field] === id}
        className="mt-2 size-6 shrink-0"
      />
      <label htmlFor={`held-${kind}-${id}`} className="min-w-0 flex-1">
        <span className="sr-only">{label}: </span>
        {children}
      </label>
    </li>
  );
}

/** A list of held items with its own bulk decision: the chosen ones approved or removed, with a reason. */
function HeldList({
  kind,
  title,
  count,
  result,
  children,
}: {
  kind: Kind;
  title: string;
  count: number;
  result: Result;
  children: ReactNode;
}) {
  const answer = answerFor(kind, result);
  const errors = answer?.fieldErrors;
  const choiceError = errors?.[`${LISTS[kind].field}s`];
  const [one, many] = LISTS[kind].noun;
  return (
    <AdminSection id={`held-${kind}-heading`} title={`${title} (${count})`} isEmpty={count === 0} empty="Nothing is waiting.">
      <Form method="post" className="mt-2 flex flex-col gap-3">
        <input type="hidden" name="kind" value={kind} />
        <fieldset aria-describedby={choiceError ? `held-${kind}-error` : undefined}>
          <legend className="text-sm font-medium">Choose the {many} to decide</legend>
          <ul className="mt-2 flex flex-col gap-3">{children}</ul>
          {choiceError && (
            <p id={`held-${kind}-error`} className="text-sm font-medium text-danger">
              {choiceError}
            </p>
          )}
        </fieldset>
        <label htmlFor={`held-${kind}-reason`} className="text-sm font-medium">
          Reason (required; the owner of a removed {one} is shown it)
        </label>
        <input
          id={`held-${kind}-reason`}
          name="reason"
          required
          maxLength={1000}
          defaultValue={answer?.values?.reason}
          aria-invalid={errors?.reason ? true : undefined}
          aria-describedby={errors?.reason ? `held-${kind}-reason-error` : undefined}
          className="rounded-lg border border-line bg-surface px-3 py-2"
        />
        {errors?.reason && (
          <p id={`held-${kind}-reason-error`} className="text-sm font-medium text-danger">
            {errors.reason}
          </p>
        )}
        <div className="flex flex-wrap gap-2">
          <button
            type="submit"
            name="decision"
            value="approve"
            className="min-h-11 rounded-full bg-accent px-5 font-semibold text-accent-ink"
          >
            Approve the chosen {many}
          </button>
          <button type="submit" name="decision" value="remove" className="min-h-11 rounded-full bg-danger px-5 font-semibold text-white">
            Remove the chosen {many}
          </button>
        </div>
      </Form>
    </AdminSection>
  );
}
