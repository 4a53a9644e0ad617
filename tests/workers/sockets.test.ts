import { describe, expect, it } from "vitest";
import { fetchWorker } from "./support.ts";

describe("the socket door", () => {
  it("answers the streaming health check as Mastodon does", async () => {
    const response = await fetchWorker("/api/v1/streaming/health");
    expect(await response.text()).toBe("OK");
  });

  it("asks for a WebSocket upgrade, and for an access token before connecting anyone", async () => {
    expect((await fetchWorker("/api/v1/streaming")).status).toBe(426);
    const upgrade = await fetchWorker("/api/v1/streaming?stream=user", { headers: { Upgrade: "websocket" } });
    expect(upgrade.status).toBe(401);
    expect(await upgrade.json()).toEqual({ error: "Missing access token" });
  });
});
