import { Form, Link, useNavigation } from "@remix-run/react";
import { useId, useState, useSyncExternalStore } from "react";
import { countCharacters } from "#domain/rich-text.ts";
import type { ComposerComeback } from "#app/compose.server.ts";
import type { FormProblem } from "#app/forms.server.ts";
import type { PostBodyData } from "#app/presenters/post-card.server.ts";
import { AttachedMedia } from "./attached-media.tsx";
import { MediaPicker } from "./media-picker.tsx";
import { PollFields, type PollDraft } from "./poll-fields.tsx";
import { ScheduleField } from "./schedule-field.tsx";
import { TypeaheadTextarea } from "./typeahead.tsx";

export const visibilityLabels = {
  public: "Public",
  unlisted: "Unlisted",
  private: "Followers only",
  friends: "Friends only",
  direct: "Mentioned people only",
} as const;

type Visibility = keyof typeof visibilityLabels;

const quotePolicyLabels = { public: "Anyone who can see it", followers: "Your followers", nobody: "Only you" } as const;

/** Who may quote the post: a Perch choice Mastodon 4.5 also has (quote_approval_policy). */
export function QuotePolicyField({ id, defaultValue }: { id: string; defaultValue?: string }) {
  return (
    <>
      <label htmlFor={`${id}-quote-policy`} className="font-medium">
        Who can quote it
      </label>
      <select
        id={`${id}-quote-policy`}
        name="quotePolicy"
        defaultValue={defaultValue ?? "public"}
        className="self-start rounded-full border border-line bg-surface px-3 py-1.5"
      >
        {(Object.keys(quotePolicyLabels) as (keyof typeof quotePolicyLabels)[]).map((value) => (
          <option key={value} value={value}>
            {quotePolicyLabels[value]}
          </option>
        ))}
      </select>
    </>
  );
}

/** How much room is left, as the server counts it (links count as 23). */
export function Remaining({ text, limit }: { text: string; limit: number }) {
  const left = limit - countCharacters(text);
  return (
    <span aria-live="polite" className={`text-sm tabular-nums ${left < 0 ? "font-semibold text-danger" : "text-muted"}`}>
      {left < 0 ? `${-left} over the limit` : `${left} left`}
    </span>
  );
}

/** What the composer starts with: a redraft's text, settings, attachments and poll, or the post being quoted. */
export interface ComposerDraft {
  text?: string;
  /** A thread's further posts. */
  thread?: string[];
  spoilerText?: string;
  visibility?: Visibility;
  sensitive?: boolean;
  language?: string;
  quotePolicy?: string;
  quote?: PostBodyData;
  inReplyTo?: { id: string; username: string };
  media?: PostBodyData["media"];
  poll?: PollDraft;
}

/** The main composer's ways to publish later; set with what it opened when it opened a saved draft or scheduled post. */
export interface ComposerLater {
  /** The zone a chosen time is read in (see ScheduleField). */
  timeZone: string;
  draftId?: string;
  /** The saved time, as a datetime-local value in timeZone. */
  scheduledAt?: string;
  /** Why its scheduled publication failed. */
  failure?: string | null;
}

const subscribe = () => () => {};

/** True once the page runs JavaScript (false on the server and while hydrating, so both render the same). */
function useHydrated() {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

/** Whether the composer starts open: it was sent back, or it opens with something (a draft, a quote, a reply, files). */
function startsOpen(draft: ComposerDraft, problem?: ComposerComeback, later?: ComposerLater) {
  return Boolean(
    problem || later?.draftId || draft.text || draft.thread?.length || draft.quote || draft.inReplyTo || draft.media?.length || draft.poll,
  );
}

/**
 * The compose box. Closed, it is one "What's happening?" line: without JavaScript a link to the /compose page, with
 * JavaScript a one-line box that opens the whole form when focused. Open, it is a real form (posting works without
 * JavaScript, files and poll included): "Add to thread" and "Attach" are server round trips that keep what was
 * typed and the chosen files; with JavaScript it counts characters as you type, previews attachments and adds thread
 * boxes in place. The main composer can also schedule the post or keep it as a draft (`later`).
 */
export function Composer({
  limit,
  defaultVisibility,
  problem,
  inReplyToId,
  draft = {},
  later,
  placeholder = "What's happening?",
  open: alwaysOpen = false,
}: {
  limit: number;
  defaultVisibility: Visibility;
  problem?: ComposerComeback;
  inReplyToId?: string;
  draft?: ComposerDraft;
  later?: ComposerLater;
  placeholder?: string;
  /** Open from the start (the /compose page). */
  open?: boolean;
}) {
  const id = useId();
  const hydrated = useHydrated();
  const navigation = useNavigation();
  const [opened, setOpened] = useState(alwaysOpen || startsOpen(draft, problem, later));
  const [texts, setTexts] = useState<string[]>(problem ? problem.texts : [draft.text ?? "", ...(draft.thread ?? [])]);
  const spoilerText = problem?.values.spoilerText ?? draft.spoilerText;
  const posting = navigation.state === "submitting" && navigation.formData?.get("intent") === "post";
  const media = problem ? problem.uploads : (draft.media ?? []);
  if (!opened && !hydrated) {
    return (
      <ComposePrompt to={inReplyToId ? `/compose?${new URLSearchParams({ inReplyTo: inReplyToId })}` : "/compose"} label={placeholder} />
    );
  }
  return (
    <Form
      method="post"
      encType="multipart/form-data"
      id={inReplyToId ? undefined : "compose"}
      className="flex scroll-mt-20 flex-col gap-3 border-b border-line px-4 py-3"
      aria-label={inReplyToId ? "Reply" : "New post"}
    >
      {/* The default button, first in the form: Enter in a one-line field posts, whatever round-trip buttons come before Post. */}
      <button type="submit" name="intent" value="post" tabIndex={-1} aria-hidden="true" className="sr-only">
        Post
      </button>
      {later?.draftId && <input type="hidden" name="draftId" value={later.draftId} />}
      {later?.failure && (
        <p className="rounded-lg border border-danger px-3 py-2 text-sm">
          <strong className="text-danger">This post could not be published at its time: </strong>
          {`${later.failure} Change it, then post it or schedule it again.`}
        </p>
      )}
      {inReplyToId && <input type="hidden" name="inReplyToId" value={inReplyToId} />}
      {!inReplyToId && draft.inReplyTo && (
        <>
          <input type="hidden" name="inReplyToId" value={draft.inReplyTo.id} />
          <p className="text-sm text-muted">{`Replying to @${draft.inReplyTo.username}`}</p>
        </>
      )}
      {draft.quote && <input type="hidden" name="quoteOfId" value={draft.quote.id} />}
      {problem?.formError && (
        <p role="alert" className="text-sm font-medium text-danger">
          {problem.formError}
        </p>
      )}
      {texts.map((text, index) => (
        <div key={index} className="flex flex-col gap-1">
          <label htmlFor={`${id}-text-${index}`} className={index === 0 ? "sr-only" : "text-sm font-medium"}>
            {index === 0 ? placeholder : `Post ${index + 1} of the thread`}
          </label>
          <TypeaheadTextarea
            id={`${id}-text-${index}`}
            name="text"
            rows={!opened ? 1 : index === 0 ? 3 : 2}
            placeholder={index === 0 ? placeholder : undefined}
            defaultValue={text}
            onFocus={() => setOpened(true)}
            hydrated={hydrated}
            onValue={(value) => setTexts((current) => current.map((item, position) => (position === index ? value : item)))}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setTexts((current) => current.map((item, position) => (position === index ? value : item)));
            }}
            className="w-full resize-y rounded-lg border border-line bg-surface px-3 py-2 text-lg"
          />
          {opened && (
            <div className="flex justify-end">
              <Remaining text={text} limit={limit} />
            </div>
          )}
        </div>
      ))}
      {opened && (
        <ComposerDetails
          id={id}
          draft={draft}
          media={media}
          problem={problem}
          spoilerText={spoilerText}
          defaultVisibility={defaultVisibility}
          thread={!inReplyToId}
          onAddToThread={
            hydrated
              ? () => {
                  setTexts((current) => [...current, ""]);
                  // The new box is where the writer goes next.
                  requestAnimationFrame(() => document.getElementById(`${id}-text-${texts.length}`)?.focus());
                }
              : undefined
          }
          submitLabel={posting ? "Posting…" : inReplyToId ? "Reply" : texts.length > 1 ? "Post thread" : "Post"}
          posting={posting}
        />
      )}
      {opened && later && <LaterFields id={id} later={later} problem={problem} />}
    </Form>
  );
}

/** The closed composer without JavaScript: one line that looks like the box and leads to the /compose page. */
function ComposePrompt({ to, label }: { to: string; label: string }) {
  return (
    <div className="border-b border-line px-4 py-3">
      <Link
        to={to}
        className="flex min-h-11 items-center rounded-lg border border-line bg-surface px-3 py-2 text-lg text-muted hover:border-accent"
      >
        {label}
      </Link>
    </div>
  );
}

/** Everything the open composer has below the text: the quoted post, files, poll, options, and the buttons. */
function ComposerDetails({
  id,
  draft,
  media,
  problem,
  spoilerText,
  defaultVisibility,
  thread,
  onAddToThread,
  submitLabel,
  posting,
}: {
  id: string;
  draft: ComposerDraft;
  media: PostBodyData["media"];
  problem?: ComposerComeback;
  spoilerText?: string;
  defaultVisibility: Visibility;
  /** Whether more posts can be chained to this one (not in a reply). */
  thread: boolean;
  /** With JavaScript, adds a box in place; without, the button asks the server for one. */
  onAddToThread?: () => void;
  submitLabel: string;
  posting: boolean;
}) {
  return (
    <>
      {problem?.fieldErrors.text && <p className="text-sm font-medium text-danger">{problem.fieldErrors.text}</p>}
      {draft.quote && (
        <figure className="rounded-lg border border-line px-3 py-2 text-sm">
          <figcaption className="text-muted">{`Quoting @${draft.quote.author.username}`}</figcaption>
          <p className="mt-1 line-clamp-3">
            {draft.quote.content
              .flat(2)
              .map((token) => token.text)
              .join("")}
          </p>
        </figure>
      )}
      <AttachedMedia id={id} media={media} values={problem?.values} />
      <MediaPicker id={id} error={problem?.fieldErrors.media} attached={media.length} />
      <PollFields id={id} problem={problem} current={draft.poll} />
      <details open={Boolean(spoilerText || draft.sensitive || draft.language)} className="text-sm">
        <summary className="cursor-pointer py-1 text-muted">Content warning, sensitive media, language, quotes</summary>
        <div className="mt-2 flex flex-col gap-2">
          <label htmlFor={`${id}-cw`} className="font-medium">
            Content warning (shown before the post)
          </label>
          <input
            id={`${id}-cw`}
            name="spoilerText"
            maxLength={500}
            defaultValue={spoilerText}
            className="rounded-lg border border-line bg-surface px-3 py-2"
          />
          <label className="flex min-h-6 items-center gap-2">
            <input type="checkbox" name="sensitive" defaultChecked={problem ? problem.values.sensitive === "on" : draft.sensitive} /> Mark
            media as sensitive
          </label>
          <label htmlFor={`${id}-language`} className="font-medium">
            Language (ISO code, e.g. en)
          </label>
          <input
            id={`${id}-language`}
            name="language"
            maxLength={3}
            defaultValue={problem?.values.language ?? draft.language ?? ""}
            className="w-24 rounded-lg border border-line bg-surface px-3 py-2"
          />
          <QuotePolicyField id={id} defaultValue={problem?.values.quotePolicy ?? draft.quotePolicy} />
        </div>
      </details>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-2">
          <label htmlFor={`${id}-visibility`} className="sr-only">
            Who can see it
          </label>
          <select
            id={`${id}-visibility`}
            name="visibility"
            defaultValue={problem?.values.visibility ?? draft.visibility ?? defaultVisibility}
            className="rounded-full border border-line bg-surface px-3 py-1.5 text-sm"
          >
            {(Object.keys(visibilityLabels) as Visibility[]).map((value) => (
              <option key={value} value={value}>
                {visibilityLabels[value]}
              </option>
            ))}
          </select>
          {thread && (
            <button
              type="submit"
              name="intent"
              value="thread"
              onClick={(event) => {
                if (!onAddToThread) return;
                event.preventDefault();
                onAddToThread();
              }}
              className="rounded-full border border-line px-3 py-1.5 text-sm"
            >
              Add to thread
            </button>
          )}
        </div>
        <button
          type="submit"
          name="intent"
          value="post"
          disabled={posting}
          className="rounded-full bg-accent px-5 py-2 font-semibold text-accent-ink disabled:opacity-60"
        >
          {submitLabel}
        </button>
      </div>
    </>
  );
}

/**
 * Scheduling and drafts, after the Post button so that Enter in a field still posts: a time in the writer's zone with
 * a Schedule button, and Save draft; links to both lists.
 */
function LaterFields({ id, later, problem }: { id: string; later: ComposerLater; problem?: FormProblem }) {
  const error = problem?.fieldErrors.scheduledAt;
  return (
    <details open={Boolean(later.draftId || error || problem?.values.scheduledAt)} className="text-sm">
      <summary className="cursor-pointer py-1 text-muted">Schedule it, or save it as a draft</summary>
      <div className="mt-2 flex flex-col gap-3">
        <ScheduleField
          id={`${id}-schedule`}
          label="Publish on"
          timeZone={problem?.values.timeZone ?? later.timeZone}
          defaultValue={problem?.values.scheduledAt ?? later.scheduledAt}
          error={error}
        />
        <div className="flex flex-wrap gap-2">
          <button
            type="submit"
            name="intent"
            value="schedule"
            className="rounded-full border border-accent px-4 py-2 font-semibold text-accent"
          >
            {later.scheduledAt ? "Schedule for this time" : "Schedule"}
          </button>
          <button type="submit" name="intent" value="draft" className="rounded-full border border-line px-4 py-2 font-semibold">
            Save draft
          </button>
        </div>
        <p className="flex flex-wrap gap-x-4">
          <Link to="/drafts" className="inline-block py-1 text-accent underline underline-offset-2">
            Your drafts
          </Link>
          <Link to="/scheduled" className="inline-block py-1 text-accent underline underline-offset-2">
            Scheduled posts
          </Link>
        </p>
      </div>
    </details>
  );
}
