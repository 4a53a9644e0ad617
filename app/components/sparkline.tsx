/** A day of use, oldest first or newest first as given (the caller says which). */
export interface SparkDay {
  day: number;
  uses: number;
  accounts: number;
}

/**
 * A small line of a week's use (inline SVG, no script). The line is decorative for screen readers: the text beside it
 * (`summary`) says the same in words, so the picture is hidden from them rather than described twice.
 */
export function Sparkline({ history, className = "" }: { history: SparkDay[]; className?: string }) {
  const oldestFirst = [...history].sort((a, b) => a.day - b.day);
  const width = 64;
  const height = 20;
  const top = Math.max(1, ...oldestFirst.map((day) => day.accounts));
  const step = oldestFirst.length > 1 ? width / (oldestFirst.length - 1) : width;
  const points = oldestFirst.map(
    (day, index) => `${(index * step).toFixed(1)},${(height - 2 - (day.accounts / top) * (height - 4)).toFixed(1)}`,
  );
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} aria-hidden="true" focusable="false" className={className}>
      <polyline points={points.join(" ")} fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" strokeLinecap="round" />
    </svg>
  );
}

/** The sparkline's text alternative: who used it today and over the week. */
export function usageSummary(history: SparkDay[]): string {
  const newest = [...history].sort((a, b) => b.day - a.day);
  const today = newest[0]?.accounts ?? 0;
  const week = newest.reduce((sum, day) => sum + day.uses, 0);
  return `${today} ${today === 1 ? "person" : "people"} today, ${week} ${week === 1 ? "post" : "posts"} this week`;
}
