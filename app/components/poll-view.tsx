import { useFetcher } from "@remix-run/react";
import type { PostBodyData } from "#app/presenters/post-card.server.ts";
import { countOf } from "#app/plural.ts";
import { useReturnPath } from "./return-path.ts";

type Poll = NonNullable<PostBodyData["poll"]>;

function timeLeft(expiresAt: string, now: number): string {
  const minutes = Math.max(1, Math.round((Date.parse(expiresAt) - now) / 60_000));
  if (minutes < 60) return `${countOf(minutes, { one: "minute", other: "minutes" })} left`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${countOf(hours, { one: "hour", other: "hours" })} left`;
  return `${countOf(Math.round(hours / 24), { one: "day", other: "days" })} left`;
}

function Summary({ poll, now }: { poll: Poll; now: number }) {
  const voters = `${countOf(poll.votersCount, { one: "person", other: "people" })} voted`;
  return <p className="mt-2 text-sm text-muted">{`${voters} · ${poll.expired ? "Final results" : timeLeft(poll.expiresAt, now)}`}</p>;
}

function Results({ poll, now }: { poll: Poll; now: number }) {
  return (
    <div className="mt-2">
      <ul className="flex flex-col gap-1.5">
        {poll.options.map((option, index) => (
          <li key={index} className="relative overflow-hidden rounded-md border border-line px-3 py-1.5">
            {option.percent !== null && (
              <span aria-hidden="true" className="absolute inset-y-0 left-0 bg-accent-soft" style={{ width: `${option.percent}%` }} />
            )}
            <span className="relative flex justify-between gap-3">
              <span className={option.chosen ? "font-semibold" : undefined}>
                {option.title}
                {option.chosen && <span className="text-accent"> ✓ your vote</span>}
              </span>
              {option.percent !== null && (
                <span className="tabular-nums">{`${option.percent}% (${countOf(option.votes ?? 0, { one: "vote", other: "votes" })})`}</span>
              )}
            </span>
          </li>
        ))}
      </ul>
      {!poll.resultsVisible && (
        <p className="mt-2 text-sm text-muted">
          {poll.voted ? "Results are shown when the poll ends." : "Results are shown once you vote or the poll ends."}
        </p>
      )}
      <Summary poll={poll} now={now} />
    </div>
  );
}

/**
 * A poll: a plain form while the viewer can vote (it works without JavaScript and comes back to this page), the
 * results once they have voted or it ended. With JavaScript the choice shows as cast at once; without, the vote comes
 * back to `anchor` (the post's).
 */
export function PollView({ poll, now, canVote, anchor }: { poll: Poll; now: number; canVote: boolean; anchor: string }) {
  const fetcher = useFetcher({ key: `vote:${poll.id}` });
  const returnPath = useReturnPath(anchor);
  const pending = fetcher.formData?.getAll("choice").map(Number);
  if (pending && pending.length > 0) {
    return (
      <Results
        poll={{ ...poll, options: poll.options.map((option, index) => ({ ...option, chosen: pending.includes(index) })) }}
        now={now}
      />
    );
  }
  if (!canVote || poll.voted || poll.expired) return <Results poll={poll} now={now} />;
  return (
    <fetcher.Form method="post" action="/resources/vote" className="mt-2">
      <input type="hidden" name="pollId" value={poll.id} />
      <input type="hidden" name="redirectTo" value={returnPath} />
      <fieldset className="flex flex-col gap-1.5">
        <legend className="sr-only">{poll.multiple ? "Poll: choose one or more" : "Poll: choose one"}</legend>
        {poll.options.map((option, index) => (
          <label key={index} className="flex cursor-pointer items-center gap-2 rounded-md border border-line px-3 py-1.5 hover:bg-raised">
            <input type={poll.multiple ? "checkbox" : "radio"} name="choice" value={index} required={!poll.multiple} />
            {option.title}
          </label>
        ))}
      </fieldset>
      <div className="mt-2 flex items-center justify-between gap-3">
        <Summary poll={poll} now={now} />
        <button type="submit" className="rounded-full bg-accent px-4 py-1.5 text-sm font-semibold text-accent-ink">
          Vote
        </button>
      </div>
    </fetcher.Form>
  );
}
