import { DurableObject } from "cloudflare:workers";
import type { RelayedListener } from "./relay-shards.ts";

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
