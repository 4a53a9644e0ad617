// Kept apart from the StreamRelay class, which imports cloudflare:workers: the publisher (and Node-side scripts that
// load the API, such as the OpenAPI lint) need only these.
/** A listening user's hub to pass an event to: whose, on which channel, and the origin its payload was rendered for. */
export interface RelayedListener {
  userId: string;
  channel: string;
  origin: string;
}

/**
 * How many relays share the listeners of the public and hashtag streams. A listener always goes through the same one
 * (by a hash of their id), so an event costs the publisher at most this many calls however many people listen, and
 * each relay calls about 1/RELAY_SHARDS of their hubs, all at once (docs/decisions/0048).
 */
export const RELAY_SHARDS = 16;

/** FNV-1a: a stable, cheap spread of user ids over the shards (not a security boundary). */
export function relayShardOf(userId: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < userId.length; index += 1) {
    hash ^= userId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % RELAY_SHARDS;
}
