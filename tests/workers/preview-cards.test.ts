import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { posts, previewCards } from "#db/schema/index.ts";
import { identiconPng } from "#db/seed/artwork.ts";
import { makeUser } from "#db/seed/factories.ts";
import { oversizedPng } from "#tests/fixtures/media.ts";
import { fetchPreviewCard, previewCardStatement } from "#domain/links/preview-cards.ts";
import { isPublicAddress } from "#domain/links/safe-fetch.ts";
import { callApi, fetchWorker, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();

/** The internet as these tests see it: DNS answers (through the DNS-over-HTTPS resolver) and web servers by URL. */
const dns: Record<string, { A?: string[]; AAAA?: string[] }> = {
  "news.example": { A: ["93.184.216.34"] },
  "cdn.example": { A: ["93.184.216.35"], AAAA: ["2606:2800:220:1::1"] },
  "internal.example": { A: ["10.1.2.3"] },
  "sneaky.example": { A: ["93.184.216.36"], AAAA: ["::ffff:127.0.0.1"] },
  "metadata.example": { A: ["169.254.169.254"] },
  "slow.example": { A: ["93.184.216.37"] },
  "bounce.example": { A: ["93.184.216.38"] },
};
let servers: Record<string, () => Response | Promise<Response>>;
let requested: string[];

const page = (head: string) =>
  new Response(`<!doctype html><html><head>${head}</head><body>Hello</body></html>`, {
    headers: { "Content-Type": "text/html; charset=utf-8" },
  });

beforeEach(async () => {
  requested = [];
  const picture = await identiconPng("card", 900);
  servers = {
    "https://news.example/story": () =>
      page(`<title>Fallback</title><meta property="og:title" content="Birds &amp; their perches"><meta property="og:description" content="Where birds sit, and why.">
            <meta property="og:site_name" content="News Example"><meta property="og:image" content="https://cdn.example/picture.png">`),
    "https://cdn.example/picture.png": () => new Response(picture as Uint8Array<ArrayBuffer>, { headers: { "Content-Type": "image/png" } }),
    "https://news.example/plain": () => page(`<title>Only a title</title><meta name="description" content="And a description">`),
    "https://bounce.example/go": () =>
      new Response(null, { status: 302, headers: { Location: "http://169.254.169.254/latest/meta-data/" } }),
    "https://slow.example/": () => new Promise<Response>(() => undefined),
    "https://news.example/huge": () => page(`<title>Huge picture</title><meta property="og:image" content="/huge.png">`),
    "https://news.example/huge.png": () =>
      new Response(oversizedPng(6 * 1024 * 1024) as Uint8Array<ArrayBuffer>, { headers: { "Content-Type": "image/png" } }),
    "https://news.example/file.zip": () => new Response("PK...", { headers: { "Content-Type": "application/zip" } }),
  };
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    requested.push(url.href);
    if (url.href.startsWith(env.DNS_RESOLVER_URL)) {
      const type = url.searchParams.get("type") as "A" | "AAAA";
      const records = dns[url.searchParams.get("name")!]?.[type] ?? [];
      return Response.json({ Status: records.length > 0 ? 0 : 3, Answer: records.map((data) => ({ type: type === "A" ? 1 : 28, data })) });
    }
    const server = servers[url.href];
    if (!server) return new Response("Not found", { status: 404 });
    return Promise.race([
      server(),
      new Promise<Response>((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason))),
    ]);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("preview cards", () => {
  it("are fetched by the post's event handler on the fan-out queue and shown with the post, the picture served from our own media", async () => {
    const author = await makeUser(ctx, { username: "linker", password: "a long enough password" });
    const token = await tokenFor(author.id, ["read", "write"]);
    const created = await callApi("/api/v1/statuses", token, {
      method: "POST",
      body: JSON.stringify({ status: "Read this https://news.example/story#comments and https://news.example/plain" }),
      headers: { "Content-Type": "application/json" },
    });
    expect(created.body.card).toBeNull();
    const [row] = await ctx.db.select().from(posts).where(eq(posts.id, created.body.id));
    expect(row!.cardUrl).toBe("https://news.example/story");

    // The post's event went through the relay and the real local queue to the handler, which fetched the card.
    const shown = await vi.waitFor(
      async () => {
        const answer = await callApi(`/api/v1/statuses/${created.body.id}`, null);
        expect(answer.body.card).not.toBeNull();
        return answer;
      },
      { timeout: 15_000, interval: 250 },
    );
    expect(shown.body.card).toMatchObject({
      url: "https://news.example/story",
      title: "Birds & their perches",
      description: "Where birds sit, and why.",
      provider_name: "News Example",
      width: 640,
      height: 640,
    });
    const image = await fetchWorker(new URL(shown.body.card.image).pathname);
    expect(image.headers.get("Content-Type")).toBe("image/webp");
  });

  it("fall back to the page's title and description, and are shared by every post with the link", async () => {
    await previewCardStatement(ctx, "https://news.example/plain");
    expect(await fetchPreviewCard(ctx, "https://news.example/plain")).toEqual({ state: "ready" });
    const [card] = await ctx.db.select().from(previewCards).where(eq(previewCards.url, "https://news.example/plain"));
    expect(card).toMatchObject({ title: "Only a title", description: "And a description", providerName: "news.example", imageKey: null });
    const fetches = requested.length;
    await previewCardStatement(ctx, "https://news.example/plain");
    expect(await fetchPreviewCard(ctx, "https://news.example/plain")).toEqual({ state: "ready" });
    expect(requested.length).toBe(fetches);
  });

  it.each([
    ["a loopback address", "http://127.0.0.1/admin", "not a public address"],
    ["a private address", "http://10.0.0.5/", "not a public address"],
    ["IPv6 loopback", "http://[::1]/", "not a public address"],
    ["localhost", "http://localhost/", "not a public host name"],
    ["localhost with a trailing dot", "http://localhost./", "not a public host name"],
    ["an internal name with a trailing dot", "http://printer.local./", "not a public host name"],
    ["IPv4-compatible IPv6 loopback", "http://[::7f00:1]/", "not a public address"],
    ["IPv4-compatible IPv6 metadata address", "http://[::a9fe:a9fe]/", "not a public address"],
    ["a name resolving to a private address", "https://internal.example/", "resolves to 10.1.2.3"],
    ["a name with a loopback IPv6 record", "https://sneaky.example/", "resolves to ::ffff:127.0.0.1"],
    ["the cloud metadata address", "http://metadata.example/latest", "resolves to 169.254.169.254"],
    ["a redirect to the metadata address", "https://bounce.example/go", "169.254.169.254 is not a public address"],
    ["a non-standard port", "http://news.example:8080/", "standard web ports"],
    ["credentials in the URL", "https://user:secret@news.example/story", "credentials"],
    ["something that is not a web page", "https://news.example/file.zip", "Not a web page"],
  ])("refuse %s without ever contacting it", async (_, url, reason) => {
    await previewCardStatement(ctx, url);
    const result = await fetchPreviewCard(ctx, url);
    expect(result.state).toBe("failed");
    expect(result.reason).toContain(reason);
    const contacted = requested.filter((href) => !href.startsWith(env.DNS_RESOLVER_URL));
    expect(
      contacted.every(
        (href) =>
          new URL(href).hostname.endsWith(".example") &&
          !href.includes("internal") &&
          !href.includes("sneaky") &&
          !href.includes("metadata"),
      ),
    ).toBe(true);
    const [card] = await ctx.db.select().from(previewCards).where(eq(previewCards.url, url));
    expect(card!.state).toBe("failed");
  });

  it("leave out a picture over 5 MB, reading no more of it than the limit", async () => {
    await previewCardStatement(ctx, "https://news.example/huge");
    expect(await fetchPreviewCard(ctx, "https://news.example/huge")).toEqual({ state: "ready" });
    const [card] = await ctx.db.select().from(previewCards).where(eq(previewCards.url, "https://news.example/huge"));
    expect(card).toMatchObject({ title: "Huge picture", imageKey: null });
    expect(requested).toContain("https://news.example/huge.png");
  });

  it("give up on a page that does not answer within five seconds", async () => {
    await previewCardStatement(ctx, "https://slow.example/");
    const started = Date.now();
    const result = await fetchPreviewCard(ctx, "https://slow.example/");
    expect(result).toMatchObject({ state: "failed", reason: expect.stringContaining("failed") });
    expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
  }, 15_000);

  it("tell public addresses from every kind of private one", () => {
    expect(["93.184.216.34", "2606:2800:220:1::1", "1.1.1.1", "::ffff:1.1.1.1", "::101:101"].every(isPublicAddress)).toBe(true);
    const inside = [
      "127.0.0.1",
      "10.0.0.1",
      "172.16.5.4",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "fe80::1",
      "fc00::1",
      "::ffff:10.0.0.1",
      "::7f00:1",
      "::127.0.0.1",
      "::a9fe:a9fe",
      "224.0.0.1",
      "not an address",
    ];
    expect(inside.filter(isPublicAddress)).toEqual([]);
  });
});
