import { useId } from "react";

/** One day of a series, oldest first. */
export interface ChartDay {
  day: string;
  count: number;
}

const WIDTH = 300;
const HEIGHT = 96;

const shortDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString("en", { month: "short", day: "numeric", timeZone: "UTC" });

/**
 * Thirty days as bars (inline SVG, no script), scaled to the widest screen it is given and named for screen readers by
 * its heading and a one-line summary; the same numbers follow in a table (behind "Show the numbers") for anyone who
 * prefers them or cannot see the bars.
 */
export function DayBars({ title, days, total }: { title: string; days: ChartDay[]; total: number }) {
  const id = useId();
  const top = Math.max(1, ...days.map((day) => day.count));
  const step = WIDTH / Math.max(1, days.length);
  const peak = days.reduce((best, day) => (day.count > best.count ? day : best), days[0] ?? { day: "", count: 0 });
  const summary =
    total === 0
      ? "Nothing in the last 30 days."
      : `${total} in the last 30 days; the busiest day was ${shortDay(peak.day)} with ${peak.count}.`;
  return (
    <section aria-labelledby={`${id}-title`} className="border-b border-line px-4 py-4">
      <h2 id={`${id}-title`} className="flex items-baseline justify-between gap-2 font-bold">
        <span>{title}</span>
        <span className="text-2xl tabular-nums">{total}</span>
      </h2>
      <p id={`${id}-summary`} className="text-sm text-muted">
        {summary}
      </p>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-summary`}
        className="mt-2 h-24 w-full text-accent"
        preserveAspectRatio="none"
      >
        <line x1="0" y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} stroke="currentColor" strokeOpacity="0.3" />
        {days.map((day, index) => {
          const height = (day.count / top) * (HEIGHT - 4);
          return (
            <rect key={day.day} x={index * step + 1} y={HEIGHT - height} width={Math.max(1, step - 2)} height={height} fill="currentColor">
              <title>{`${shortDay(day.day)}: ${day.count}`}</title>
            </rect>
          );
        })}
      </svg>
      <div className="mt-1 flex justify-between text-xs text-muted" aria-hidden="true">
        <span>{days[0] ? shortDay(days[0].day) : ""}</span>
        <span>{days.at(-1) ? shortDay(days.at(-1)!.day) : ""}</span>
      </div>
      <details className="mt-2">
        <summary className="inline-flex min-h-6 cursor-pointer items-center text-sm underline">Show the numbers</summary>
        <table className="mt-2 w-full text-sm">
          <caption className="sr-only">{`${title} per day`}</caption>
          <thead>
            <tr>
              <th scope="col" className="text-left">
                Day
              </th>
              <th scope="col" className="text-right">
                {title}
              </th>
            </tr>
          </thead>
          <tbody>
            {[...days].reverse().map((day) => (
              <tr key={day.day}>
                <th scope="row" className="text-left font-normal">
                  <time dateTime={day.day}>{shortDay(day.day)}</time>
                </th>
                <td className="text-right tabular-nums">{day.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
