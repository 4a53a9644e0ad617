import { readFileSync } from "node:fs";

/**
 * wrangler dev does not run cron triggers by itself (it only offers a URL that runs one), so locally the events the
 * cron relays, the polls it closes and the uploads it expires would wait forever. This clock plays Cloudflare's part:
 * at the start of each minute it runs the schedules of wrangler.toml's [triggers] that match, through miniflare's
 * /cdn-cgi/local/scheduled endpoint.
 */
export function startCronClock(origin: string, crons = localCrons()): void {
  const tick = () => {
    const now = new Date();
    for (const cron of crons.filter((expression) => cronMatches(expression, now))) {
      fetch(`${origin}/cdn-cgi/local/scheduled?cron=${encodeURIComponent(cron)}`).catch((error: unknown) =>
        console.warn(`Local cron "${cron}" could not run: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
    setTimeout(tick, 60_000 - (Date.now() % 60_000));
  };
  setTimeout(tick, 60_000 - (Date.now() % 60_000));
}

/** The top-level (local) schedules in wrangler.toml. */
export function localCrons(toml = readFileSync("wrangler.toml", "utf8")): string[] {
  const line = toml.match(/^crons\s*=\s*\[(.*)\]/m)?.[1] ?? "";
  return [...line.matchAll(/"([^"]+)"/g)].map((match) => match[1]!);
}

/** Whether a five-field cron expression (numbers, any, every n-th and lists) matches a time, in UTC as Cloudflare runs them. */
export function cronMatches(expression: string, at: Date): boolean {
  const values = [at.getUTCMinutes(), at.getUTCHours(), at.getUTCDate(), at.getUTCMonth() + 1, at.getUTCDay()];
  const fields = expression.trim().split(/\s+/);
  return fields.length === 5 && fields.every((field, index) => field.split(",").some((part) => partMatches(part, values[index]!)));
}

function partMatches(part: string, value: number): boolean {
  if (part === "*") return true;
  const step = part.match(/^\*\/(\d+)$/);
  if (step) return value % Number(step[1]) === 0;
  return /^\d+$/.test(part) && Number(part) === value;
}
