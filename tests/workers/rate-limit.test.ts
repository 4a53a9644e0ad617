import { describe, expect, it } from "vitest";
import { fetchWorker } from "./support.ts";

/**
 * The rate limiter's windows are aligned to the wall-clock minute, so 301 requests that straddle a minute boundary
 * are counted in two windows. On a loaded machine they can take several seconds: start them early in a window.
 */
async function awayFromWindowEdge(needMs = 20_000) {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

describe("API rate limiting", () => {
  // Waiting for a fresh window can take 20 s before the requests start.
  it("lets 300 requests a minute through per address, then answers 429 with Retry-After", { timeout: 90_000 }, async () => {
    await awayFromWindowEdge();
    const from = (ip: string) => fetchWorker("/api/v1/no-such-endpoint", { headers: { "cf-connecting-ip": ip } });
    const statuses = (await Promise.all(Array.from({ length: 300 }, () => from("203.0.113.7")))).map((response) => response.status);
    expect(new Set(statuses)).toEqual(new Set([404]));

    const limited = await from("203.0.113.7");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe("60");
    expect(await limited.json()).toEqual({ error: "Too many requests; try again shortly" });

    expect((await from("198.51.100.1")).status).toBe(404);
  });

  it("does not limit pages through the API's budget", async () => {
    const response = await fetchWorker("/no-such-page", { headers: { "cf-connecting-ip": "203.0.113.7" } });
    expect(response.status).toBe(404);
  });
});
