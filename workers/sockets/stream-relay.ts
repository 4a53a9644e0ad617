import { DurableObject } from "cloudflare:workers";

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

/**
 * One shard of the public-stream relay: handed an event and the listeners of its shard who may read it (the publisher
 * checked blocks, mutes and visibility in its one read), it tells each of their hubs at once. It holds nothing and
 * stores nothing: a shard that fails costs its listeners that event, never the other shards'.
 */
export class StreamRelay extends DurableObject<Env> {
  async relay(listeners: RelayedListener[], event: string, payloads: Record<string, string | undefined>): Promise<number> {
    const results = await Promise.allSettled(
      listeners.map((listener) =>
        this.env.USER_HUB.get(this.env.USER_HUB.idFromName(listener.userId)).publish(
          listener.userId,
          listener.channel,
          event,
          payloads[listener.origin],
        ),
      ),
    );
    return results.reduce((sum, result) => sum + (result.status === "fulfilled" ? result.value : 0), 0);
  }
}
