/**
 * Collects durations for the Server-Timing response header. Entries with the same name are summed, so "db" reports
 * the total time spent in D1 however many queries a request made.
 */
export class ServerTiming {
  readonly #entries = new Map<string, { duration: number; count: number }>();

  add(name: string, duration: number): void {
    const entry = this.#entries.get(name) ?? { duration: 0, count: 0 };
    entry.duration += duration;
    entry.count += 1;
    this.#entries.set(name, entry);
  }

  async measure<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.add(name, performance.now() - started);
    }
  }

  /** The header value, with a final "total" entry measured from `startedAt`. */
  header(startedAt: number): string {
    const parts = [...this.#entries].map(([name, { duration, count }]) => `${name};dur=${duration.toFixed(1)};desc="${count}x"`);
    parts.push(`total;dur=${(performance.now() - startedAt).toFixed(1)}`);
    return parts.join(", ");
  }
}
