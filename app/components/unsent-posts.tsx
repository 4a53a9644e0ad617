import { Form, Link, NavLink } from "@remix-run/react";
import type { FormProblem } from "#app/forms.server.ts";
import type { UnsentItem } from "#app/unsent.server.ts";
import { visibilityLabels } from "./composer.tsx";
import { PageLink } from "./page-link.tsx";
import { ScheduleField } from "./schedule-field.tsx";
import { EmptyState } from "./empty-state.tsx";
import { ClockIcon, DraftIcon } from "./icons.tsx";

type Kind = "draft" | "scheduled";

const button = "inline-flex min-h-9 items-center rounded-full border px-4 py-1.5 text-sm font-semibold";

/** Drafts and scheduled posts, each with what can be done to it; both lists share this page's shape. */
export function UnsentPosts({
  kind,
  timeZone,
  items,
  failed,
  older,
  newer,
  problem,
}: {
  kind: Kind;
  timeZone: string;
  items: UnsentItem[];
  failed: number;
  older?: string;
  newer?: string;
  problem?: FormProblem | null;
}) {
  return (
    <>
      <div className="border-b border-line px-4 pt-3">
        <h1 className="text-xl font-bold">{kind === "scheduled" ? "Scheduled posts" : "Drafts"}</h1>
        <p className="text-sm text-muted">
          {kind === "scheduled"
            ? "Published at their time, within a minute. Only you can see them until then."
            : "Posts you saved to finish later. Only you can see them."}
        </p>
        <nav aria-label="Posts not published yet" className="mt-2 flex gap-2">
          <Tab to="/scheduled">Scheduled</Tab>
          <Tab to="/drafts">Drafts</Tab>
        </nav>
      </div>
      {failed > 0 && (
        <p role="status" className="border-b border-line bg-accent-soft px-4 py-3 text-sm">
          {`${failed === 1 ? "1 scheduled post" : `${failed} scheduled posts`} could not be published at ${failed === 1 ? "its" : "their"} time. `}
          <Link to="/drafts" className="font-semibold text-accent underline underline-offset-2">
            See why in your drafts
          </Link>
        </p>
      )}
      <PageLink to={newer} rel="prev">
        Newer
      </PageLink>
      {items.length === 0 ? (
        <EmptyState
          icon={kind === "scheduled" ? ClockIcon : DraftIcon}
          title={kind === "scheduled" ? "Nothing scheduled" : "No drafts"}
          next={{ to: "/compose", label: "Write a post" }}
        >
          {kind === "scheduled" ? "Choose a time under the composer to schedule a post." : "Save a post as a draft to finish it later."}
        </EmptyState>
      ) : (
        <ul aria-label={kind === "scheduled" ? "Scheduled posts" : "Drafts"} className="divide-y divide-line border-b border-line">
          {items.map((item) => (
            <li key={item.id}>
              <UnsentCard item={item} timeZone={timeZone} problem={problem?.values.draftId === item.id ? problem : undefined} />
            </li>
          ))}
        </ul>
      )}
      <PageLink to={older} rel="next">
        Older
      </PageLink>
    </>
  );
}

function Tab({ to, children }: { to: string; children: string }) {
  return (
    <NavLink
      to={to}
      className={({ isActive }) =>
        `-mb-px inline-block border-b-2 px-3 py-2 font-semibold ${isActive ? "border-accent text-ink" : "border-transparent text-muted"}`
      }
    >
      {children}
    </NavLink>
  );
}

/** What a post holds besides its text, in a few words. */
function detailsOf(item: UnsentItem): string[] {
  const media = item.media.length;
  return [
    visibilityLabels[item.visibility],
    item.replying ? "A reply" : "",
    item.quoting ? "Quotes a post" : "",
    item.morePosts > 0 ? `Thread of ${item.morePosts + 1} posts` : "",
    media > 0 ? `${media} ${media === 1 ? "attachment" : "attachments"}` : "",
    item.pollOptions.length > 0 ? `Poll: ${item.pollOptions.join(" / ")}` : "",
  ].filter(Boolean);
}

function UnsentCard({ item, timeZone, problem }: { item: UnsentItem; timeZone: string; problem?: FormProblem }) {
  const textId = `unsent-${item.id}`;
  const hidden = <input type="hidden" name="draftId" value={item.id} />;
  return (
    <article aria-labelledby={textId} className="flex flex-col gap-2 px-4 py-3">
      {item.scheduledAt ? (
        <p className="text-sm font-semibold">
          {"Publishes "}
          <time dateTime={item.scheduledAt.iso}>{item.scheduledAt.readable}</time>
        </p>
      ) : (
        <p className="text-sm text-muted">{`Saved ${item.updated}`}</p>
      )}
      {item.failure && (
        <p className="rounded-lg border border-danger px-3 py-2 text-sm">
          <strong className="text-danger">Could not be published at its time: </strong>
          {item.failure}
        </p>
      )}
      {item.spoilerText && <p className="text-sm font-semibold">{`Content warning: ${item.spoilerText}`}</p>}
      <p id={textId} className="line-clamp-4 break-words whitespace-pre-wrap">
        {item.text || <span className="text-muted">(No text)</span>}
      </p>
      {item.media.length > 0 && (
        <ul className="flex gap-2">
          {item.media.map((media) => (
            <li key={media.id}>
              <img src={media.previewUrl ?? media.url} alt={media.description} className="size-16 rounded object-cover" />
            </li>
          ))}
        </ul>
      )}
      <p className="text-sm text-muted">{detailsOf(item).join(" · ")}</p>
      {problem?.formError && (
        <p role="alert" className="text-sm font-medium text-danger">
          {problem.formError}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <Link to={`/compose?draft=${item.id}`} aria-describedby={textId} className={`${button} border-line`}>
          Edit
        </Link>
        <Form method="post">
          {hidden}
          <button type="submit" name="intent" value="publish" aria-describedby={textId} className={`${button} border-accent text-accent`}>
            Publish now
          </button>
        </Form>
        <Form method="post">
          {hidden}
          <button type="submit" name="intent" value="delete" aria-describedby={textId} className={`${button} border-line text-danger`}>
            Delete
          </button>
        </Form>
      </div>
      <details open={Boolean(problem?.fieldErrors.scheduledAt)} className="text-sm">
        <summary className="cursor-pointer py-1 text-muted">{item.scheduledAt ? "Change the time" : "Schedule"}</summary>
        <Form method="post" className="mt-2 flex flex-col gap-2">
          {hidden}
          <ScheduleField
            id={`unsent-${item.id}-time`}
            label="Publish on"
            timeZone={problem?.values.timeZone ?? timeZone}
            defaultValue={problem?.values.scheduledAt ?? item.scheduledAt?.local}
            error={problem?.fieldErrors.scheduledAt}
          />
          <button
            type="submit"
            name="intent"
            value="schedule"
            aria-describedby={textId}
            className={`${button} self-start border-accent text-accent`}
          >
            {item.scheduledAt ? "Save the new time" : "Schedule"}
          </button>
        </Form>
      </details>
    </article>
  );
}
