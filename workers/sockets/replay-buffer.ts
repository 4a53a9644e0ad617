import { isReplayed } from "./protocol.ts";

/**
 * What a user's hub sent recently, kept in its own SQLite storage so it outlives eviction and restarts
 * (docs/decisions/0034): a client that reconnects with the last event id it saw is sent what it missed. Ids grow
 * monotonically (AUTOINCREMENT never reuses one, even after pruning). The buffer keeps the last REPLAY_MAX_EVENTS
 * events of at most REPLAY_WINDOW_MS; a client whose id is older than that is told to refetch.
 *
 * It also keeps the channels no socket hears any more but that stay listened to (in D1) for the replay window, so
 * what is published while a client reconnects is buffered for it.
 */
export const REPLAY_MAX_EVENTS = 200;
export const REPLAY_WINDOW_MS = 10 * 60_000;

export interface BufferedEvent {
  id: number;
  channel: string;
  event: string;
  payload?: string;
}

/** What a client resuming after `lastId` gets: the events it missed, or word that they are no longer all kept. */
export type Resumption = { missed: BufferedEvent[] } | { refetch: true; latestId: number };

export class ReplayBuffer {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS replay_events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      channel TEXT NOT NULL,
      event TEXT NOT NULL,
      payload TEXT,
      at INTEGER NOT NULL
    )`);
    sql.exec("CREATE TABLE IF NOT EXISTS replay_settings (name TEXT PRIMARY KEY, value)");
    sql.exec("CREATE TABLE IF NOT EXISTS released_channels (channel TEXT PRIMARY KEY, until INTEGER NOT NULL)");
    sql.exec("CREATE TABLE IF NOT EXISTS dropped_channels (channel TEXT PRIMARY KEY)");
  }

  /** Keeps an event and returns its id; what falls out of the window or past the count is pruned. */
  append(channel: string, event: string, payload: string | undefined, now: number): number {
    const [row] = this.sql
      .exec<{ id: number }>(
        "INSERT INTO replay_events (channel, event, payload, at) VALUES (?, ?, ?, ?) RETURNING id",
        channel,
        event,
        payload ?? null,
        now,
      )
      .toArray();
    this.prune(row!.id, now);
    return row!.id;
  }

  /**
   * The events on these channels after `lastId`, in order; or refetch when some after it may be missing: pruned, never
   * kept (public streams), or published while nobody here listened.
   */
  since(lastId: number, channels: string[], now: number): Resumption {
    this.prune(this.latestId(), now);
    const latestId = this.latestId();
    const gap = lastId < this.prunedThrough() || lastId > latestId || this.missedAny(channels) || !channels.every(isReplayed);
    if (gap) return { refetch: true, latestId };
    if (channels.length === 0) return { missed: [] };
    const missed = this.sql
      .exec<{ id: number; channel: string; event: string; payload: string | null }>(
        `SELECT id, channel, event, payload FROM replay_events
         WHERE id > ? AND channel IN (${channels.map(() => "?").join(", ")}) ORDER BY id`,
        lastId,
        ...channels,
      )
      .toArray()
      .map((row) => ({ id: row.id, channel: row.channel, event: row.event, ...(row.payload === null ? {} : { payload: row.payload }) }));
    return { missed };
  }

  /** The newest id handed out (0 before the first). */
  latestId(): number {
    const [row] = this.sql.exec<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'replay_events'").toArray();
    return row?.seq ?? 0;
  }

  /** The hub's owner, remembered so an alarm (which has no request) knows whose listener rows to delete. */
  get owner(): string | undefined {
    return this.setting("owner") as string | undefined;
  }

  set owner(userId: string) {
    this.sql.exec("INSERT OR REPLACE INTO replay_settings (name, value) VALUES ('owner', ?)", userId);
  }

  /** Until when an unheard channel stays listened to, if it is released; undefined if it was never released. */
  releasedUntil(channel: string): number | undefined {
    const [row] = this.sql.exec<{ until: number }>("SELECT until FROM released_channels WHERE channel = ?", channel).toArray();
    return row?.until;
  }

  /** No socket hears these channels now: keep them (and buffer for them) until `until`, unless already released. */
  release(channels: string[], until: number): void {
    for (const channel of channels) {
      this.sql.exec("INSERT OR IGNORE INTO released_channels (channel, until) VALUES (?, ?)", channel, until);
    }
  }

  /** A socket hears these channels again. */
  reclaim(channels: string[]): void {
    for (const channel of channels) {
      this.sql.exec("DELETE FROM released_channels WHERE channel = ?", channel);
      this.sql.exec("DELETE FROM dropped_channels WHERE channel = ?", channel);
    }
  }

  /**
   * The hub stopped listening to these channels (a goodbye, an unsubscribe, a window that passed): what is published
   * on them until a socket hears them again is not buffered, so a client resuming them must refetch.
   */
  drop(channels: string[]): void {
    for (const channel of channels) {
      this.sql.exec("DELETE FROM released_channels WHERE channel = ?", channel);
      this.sql.exec("INSERT OR IGNORE INTO dropped_channels (channel) VALUES (?)", channel);
    }
  }

  /** Whether any of these channels went unheard (dropped) since a socket last listened to it. */
  missedAny(channels: string[]): boolean {
    return channels.some((channel) => this.sql.exec("SELECT 1 FROM dropped_channels WHERE channel = ?", channel).toArray().length > 0);
  }

  /** Released channels whose time is up, now dropped; and when the next one is due, if any. */
  takeExpired(now: number): { expired: string[]; next?: number } {
    const expired = this.sql
      .exec<{ channel: string }>("SELECT channel FROM released_channels WHERE until <= ?", now)
      .toArray()
      .map((row) => row.channel);
    this.drop(expired);
    const [next] = this.sql.exec<{ until: number | null }>("SELECT min(until) AS until FROM released_channels").toArray();
    return { expired, ...(next?.until ? { next: next.until } : {}) };
  }

  private prune(latestId: number, now: number): void {
    const [row] = this.sql
      .exec<{ through: number | null }>(
        "SELECT max(id) AS through FROM replay_events WHERE id <= ? OR at < ?",
        latestId - REPLAY_MAX_EVENTS,
        now - REPLAY_WINDOW_MS,
      )
      .toArray();
    if (!row?.through) return;
    this.sql.exec("DELETE FROM replay_events WHERE id <= ?", row.through);
    this.sql.exec("INSERT OR REPLACE INTO replay_settings (name, value) VALUES ('pruned_through', ?)", row.through);
  }

  private prunedThrough(): number {
    return Number(this.setting("pruned_through") ?? 0);
  }

  private setting(name: string): SqlStorageValue | undefined {
    const [row] = this.sql.exec<{ value: SqlStorageValue }>("SELECT value FROM replay_settings WHERE name = ?", name).toArray();
    return row?.value;
  }
}
