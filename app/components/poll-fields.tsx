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

/** A poll for the post: filling in two or more choices adds it. A plain part of the form: no JavaScript needed. */
export function PollFields({ id, problem }: { id: string; problem?: FormProblem }) {
  const values = problem?.values ?? {};
  const started = POLL_OPTION_FIELDS.some((name) => values[name]);
  const error = problem?.fieldErrors.poll;
  return (
    <details open={started || Boolean(error)} className="text-sm">
      <summary className="cursor-pointer text-muted">Add a poll</summary>
      <fieldset className="mt-2 flex flex-col gap-2" aria-describedby={error ? `${id}-poll-problem` : undefined}>
        <legend className="sr-only">Poll</legend>
        {error && (
          <p id={`${id}-poll-problem`} role="alert" className="font-medium text-danger">
            {error}
          </p>
        )}
        {POLL_OPTION_FIELDS.map((name, index) => (
          <label key={name} className="flex flex-col gap-1">
            {`Choice ${index + 1}${index >= 2 ? " (optional)" : ""}`}
            <input name={name} maxLength={50} defaultValue={values[name] ?? ""} className="rounded-lg border border-line bg-surface px-3 py-1.5" />
          </label>
        ))}
        <div className="flex flex-wrap items-center gap-4">
          <label className="flex items-center gap-2">
            Runs for
            <select name="pollDuration" defaultValue={values.pollDuration ?? "86400"} className="rounded-full border border-line bg-surface px-3 py-1.5">
              {DURATIONS.map(([seconds, label]) => (
                <option key={seconds} value={seconds}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" name="pollMultiple" defaultChecked={values.pollMultiple === "on"} /> Allow several choices
          </label>
        </div>
      </fieldset>
    </details>
  );
}
