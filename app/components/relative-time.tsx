const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

const short: Partial<Record<Intl.RelativeTimeFormatUnit, string>> = { minute: "m", hour: "h", day: "d" };

/** "5m", "3h", "2d", then the date: short enough for a post header. */
export function shortRelative(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return "now";
  for (const [unit, size] of units) {
    if (seconds >= size) {
      const value = Math.floor(seconds / size);
      const suffix = short[unit];
      if (suffix) return `${value}${suffix}`;
      break;
    }
  }
  return new Date(iso).toLocaleDateString("en", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
}

/**
 * Relative to `now`, the moment the loader read the data, so the server's HTML and the browser's hydration agree.
 * The title carries the exact date and time.
 */
export function RelativeTime({ iso, now }: { iso: string; now: number }) {
  const exact = new Date(iso).toLocaleString("en", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }) + " UTC";
  return (
    <time dateTime={iso} title={exact}>
      {shortRelative(iso, now)}
    </time>
  );
}
