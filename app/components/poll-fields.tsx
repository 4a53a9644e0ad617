import type { FormProblem } from "#app/forms.server.ts";

/** How long a poll runs: Mastodon's choices, from 5 minutes to 7 days. */
const DURATIONS: [number, string][] = [
  [300, "5 minutes"],
  [1800, "30 minutes"],
  [3600, "1 hour"],
  [21600, "6 hours"],
  [86400, "1 day"],
  [259200, "3 days"],
  [604800, "7 days"],
];

export const POLL_OPTION_FIELDS = ["pollOption0", "pollOption1", "pollOption2", "pollOption3"] as const;

/** Chosen in the duration list when editing: the poll ends when it was going to. */
export const KEEP_POLL_END = "keep";

/** A poll being edited, or carried into a redraft. */
export interface PollDraft {
  options: string[];
  multiple: boolean;
  hideTotals?: boolean;
  /** Set when editing a poll: its end, which the form can keep. */
  expiresAt?: string;
  /** Set for a poll saved in a draft: how long it is to run once published. */
  durationSeconds?: number;
}

/**
 * A poll for the post: filling in two or more choices adds it, and clearing them all removes one being edited. A
 * plain part of the form: no JavaScript needed.
 */
export function PollFields({ id, problem, current }: { id: string; problem?: FormProblem; current?: PollDraft }) {
  const values = problem?.values ?? {};
  const started = POLL_OPTION_FIELDS.some((name) => values[name]) || Boolean(current);
  const error = problem?.fieldErrors.poll;
  const editing = Boolean(current?.expiresAt);
  return (
    <details open={started || Boolean(error)} className="text-sm">
      <summary className="cursor-pointer text-muted">{editing ? "Poll" : "Add a poll"}</summary>
      <fieldset className="mt-2 flex flex-col gap-2" aria-describedby={error ? `${id}-poll-problem` : undefined}>
        <legend className="sr-only">Poll</legend>
        {error && (
          <p id={`${id}-poll-problem`} role="alert" className="font-medium text-danger">
            {error}
          </p>
        )}
        {editing && (
          <p className="text-muted">
            Changing the choices starts the votes again (voters are told). Clear every choice to remove the poll.
          </p>
        )}
        {POLL_OPTION_FIELDS.map((name, index) => (
          <label key={name} className="flex flex-col gap-1">
            {`Choice ${index + 1}${index >= 2 ? " (optional)" : ""}`}
            <input
              name={name}
              maxLength={50}
              defaultValue={values[name] ?? current?.options[index] ?? ""}
              className="rounded-lg border border-line bg-surface px-3 py-1.5"
            />
          </label>
        ))}
        <div className="flex flex-wrap items-center gap-4">
          <label className="flex items-center gap-2">
            Runs for
            <select
              name="pollDuration"
              defaultValue={values.pollDuration ?? (editing ? KEEP_POLL_END : String(current?.durationSeconds ?? 86400))}
              className="rounded-full border border-line bg-surface px-3 py-1.5"
            >
              {current?.expiresAt && (
                <option
                  value={KEEP_POLL_END}
                >{`Until ${new Date(current.expiresAt).toLocaleString("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC, as now`}</option>
              )}
              {current?.durationSeconds && !DURATIONS.some(([seconds]) => seconds === current.durationSeconds) && (
                <option value={current.durationSeconds}>{`${Math.round(current.durationSeconds / 60)} minutes, as saved`}</option>
              )}
              {DURATIONS.map(([seconds, label]) => (
                <option key={seconds} value={seconds}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              name="pollMultiple"
              defaultChecked={problem ? values.pollMultiple === "on" : Boolean(current?.multiple)}
            />{" "}
            Allow several choices
          </label>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              name="pollHideTotals"
              defaultChecked={problem ? values.pollHideTotals === "on" : Boolean(current?.hideTotals)}
            />{" "}
            Hide the counts until it ends
          </label>
        </div>
      </fieldset>
    </details>
  );
}
