import { readCookie } from "#workers/platform/session-cookie.ts";
import { TIME_ZONE_COOKIE } from "./components/schedule-field.tsx";

/** Whether the runtime knows this IANA time zone. */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The zone a page shows times in and reads them from: the browser's, once the schedule field's script has remembered
 * it; else the one Cloudflare places the request in; else UTC. Every field names the zone it uses.
 */
export function timeZoneOf(request: Request): string {
  const remembered = readCookie(request, TIME_ZONE_COOKIE);
  const located = (request as { cf?: { timezone?: unknown } }).cf?.timezone;
  const candidates = [remembered, typeof located === "string" ? located : undefined];
  return candidates.find((zone): zone is string => Boolean(zone) && isTimeZone(zone!)) ?? "UTC";
}

/** The wall-clock time of an instant in a zone, to the second, as if that wall clock were UTC. */
function wallClockOf(date: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((item) => item.type === type)?.value);
  return Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second"));
}

const LOCAL_VALUE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * The instant a datetime-local value ("2026-12-24T18:30") names in a zone, or undefined when it names none. The
 * zone's offset is found at the guess and checked once more, which settles times near a daylight-saving change.
 */
export function instantOf(local: string, zone: string): Date | undefined {
  const match = LOCAL_VALUE.exec(local);
  if (!match || !isTimeZone(zone)) return undefined;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // Date.UTC rolls 31 February over into March; a value that does not come back unchanged named no real time.
  if (new Date(wall).toISOString().slice(0, 16) !== local) return undefined;
  const guess = wall - (wallClockOf(new Date(wall), zone) - wall);
  return new Date(wall - (wallClockOf(new Date(guess), zone) - guess));
}

/** An instant as a datetime-local value in a zone, for a field that shows a saved time. */
export function localValueOf(date: Date, zone: string): string {
  return new Date(wallClockOf(date, zone)).toISOString().slice(0, 16);
}

/** An instant as people read it in a zone, with the zone: "Thu 24 Dec 2026, 18:30 (Europe/Berlin)". */
export function readableIn(date: Date, zone: string): string {
  const when = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(date);
  return `${when} (${zone.replaceAll("_", " ")})`;
}
