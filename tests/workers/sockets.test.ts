import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { forwardUpgrade } from "#workers/sockets/connect.ts";
import { fetchWorker } from "./support.ts";

const openSockets: WebSocket[] = [];

// No socket outlives its test: one still open when the runtime shuts down ends as a lost connection, not a close.
afterEach(() => {
  for (const socket of openSockets.splice(0)) if (socket.readyState === WebSocket.OPEN) socket.close(1000, "test over");
});

/** Opens a WebSocket to a Durable Object the way the socket door does, and collects what it receives. */
async function connect(stub: DurableObjectStub, userId: string, path = "/api/v1/streaming") {
  const response = await forwardUpgrade(stub, new Request(`http://perch.test${path}`, { headers: { Upgrade: "websocket" } }), userId);
  expect(response.status).toBe(101);
  const socket = response.webSocket!;
  socket.accept();
  openSockets.push(socket);
  const frames: Record<string, unknown>[] = [];
  socket.addEventListener("message", (event) => {
    frames.push(JSON.parse(String(event.data)) as Record<string, unknown>);
  });
  return { socket, frames };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

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
