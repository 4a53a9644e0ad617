import { useEffect, useSyncExternalStore } from "react";

/** Where the browser's time zone is remembered, so pages rendered later show and read times in it (time-zones.server). */
export const TIME_ZONE_COOKIE = "perch_tz";

const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || null;
const neverChanges = () => () => undefined;

/**
 * A time to publish at: the browser's datetime-local field, which sends a wall-clock time, and beside it the time zone
 * that time is read in, named on the page. The server chooses the zone (see timeZoneOf). With JavaScript the
 * browser's own zone is remembered for later pages, and an empty field switches to it at once; a field showing a saved
 * time keeps the zone that time is shown in, so sending it unchanged keeps the time.
 */
export function ScheduleField({
  id,
  label,
  timeZone,
  defaultValue,
  error,
}: {
  id: string;
  label: string;
  timeZone: string;
  defaultValue?: string;
  error?: string;
}) {
  const browserZone = useSyncExternalStore(neverChanges, browserTimeZone, () => null);
  useEffect(() => {
    if (browserZone) document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(browserZone)}; path=/; max-age=31536000; samesite=lax`;
  }, [browserZone]);
  const zone = !defaultValue && browserZone ? browserZone : timeZone;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={`${id}-at`} className="font-medium">
        {label}
      </label>
      <input
        id={`${id}-at`}
        type="datetime-local"
        name="scheduledAt"
        defaultValue={defaultValue}
        aria-describedby={error ? `${id}-zone ${id}-at-problem` : `${id}-zone`}
        aria-invalid={error ? true : undefined}
        className="min-h-11 self-start rounded-lg border border-line bg-surface px-3 py-2"
      />
      <input type="hidden" name="timeZone" value={zone} />
      <p id={`${id}-zone`} className="text-sm text-muted">{`Time zone: ${zone.replaceAll("_", " ")}`}</p>
      {error && (
        <p id={`${id}-at-problem`} className="text-sm font-medium text-danger">
          {error}
        </p>
      )}
    </div>
  );
}
