import { useId } from "react";

export interface ChartSeries {
  label: string;
  values: number[];
  /** A Tailwind stroke class; the second series is dashed and the third dotted too, so colour is not the only difference. */
  className: string;
}

const WIDTH = 300;
const HEIGHT = 80;
const PAD = 4;
/** Each series' line: pattern and the word the legend uses for it. */
const STROKES = [
  { dash: undefined, word: "solid" },
  { dash: "4 3", word: "dashed" },
  { dash: "1 3", word: "dotted" },
] as const;

/**
 * What a chart shows, in words: the screen reader's version of the picture (the table below has every figure). Counts
 * (sign-ups a day) have a total; levels (how many waited, at the day's highest) do not, as the same item waits each day.
 */
function describe(series: ChartSeries[], days: string[], measure: Measure): string {
  return series
    .map((line) => {
      const top = Math.max(...line.values);
      const topDay = days[line.values.indexOf(top)];
      const latest = `${line.values.at(-1) ?? 0} on ${days.at(-1)}`;
      if (measure === "level") return `${line.label}: highest ${top} on ${topDay}, ${latest}`;
      const total = line.values.reduce((sum, value) => sum + value, 0);
      return `${line.label}: ${total} over ${days.length} days, most ${top} on ${topDay}, ${latest}`;
    })
    .join(". ");
}

/** Whether a chart's figures are counts of things that happened each day, or levels measured each day. */
type Measure = "count" | "level";

/**
 * A line chart of daily figures, drawn on the server as SVG (no script). It is an image with a title and a written
 * summary for screen readers; the figures themselves are in the table the page puts beside it.
 */
export function DayChart({
  title,
  days,
  series,
  measure = "count",
}: {
  title: string;
  days: string[];
  series: ChartSeries[];
  measure?: Measure;
}) {
  const id = useId();
  const top = Math.max(1, ...series.flatMap((line) => line.values));
  const step = days.length > 1 ? (WIDTH - 2 * PAD) / (days.length - 1) : 0;
  const point = (value: number, index: number) =>
    `${(PAD + index * step).toFixed(1)},${(HEIGHT - PAD - (value / top) * (HEIGHT - 2 * PAD)).toFixed(1)}`;
  return (
    <figure className="flex flex-col gap-1">
      <figcaption id={`${id}-title`} className="text-sm font-medium">
        {title}
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
        className="h-24 w-full text-muted"
        preserveAspectRatio="none"
      >
        <desc id={`${id}-desc`}>{describe(series, days, measure)}</desc>
        <line x1={PAD} x2={WIDTH - PAD} y1={HEIGHT - PAD} y2={HEIGHT - PAD} stroke="currentColor" strokeWidth="1" />
        {series.map((line, index) => (
          <polyline
            key={line.label}
            points={line.values.map(point).join(" ")}
            fill="none"
            strokeWidth="2"
            strokeDasharray={STROKES[index]?.dash}
            vectorEffect="non-scaling-stroke"
            className={line.className}
            stroke="currentColor"
          />
        ))}
      </svg>
      <p className="flex flex-wrap gap-x-4 text-xs text-muted">
        <span>
          {days[0]} to {days.at(-1)}, peak {top}
        </span>
        {series.length > 1 &&
          series.map((line, index) => (
            <span key={line.label}>
              {STROKES[index]?.word}: {line.label}
            </span>
          ))}
      </p>
    </figure>
  );
}
