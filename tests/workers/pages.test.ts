import { beforeAll, describe, expect, it } from "vitest";
import { makePostsAt, makeUser } from "#db/seed/factories.ts";
import type { Post } from "#domain/posts/posts.ts";
import { fetchWorker, postForm, testDomain } from "./support.ts";

let posts: Post[];

beforeAll(async () => {
  const ctx = testDomain();
  const author = await makeUser(ctx, { username: "page_author", displayName: "Paige Author" });
  posts = await makePostsAt(
    ctx,
    author,
    Date.UTC(2026, 9, 1),
    Array.from({ length: 25 }, (_, i) => `Page post ${i + 1} #Pages <script>alert(1)</script> https://example.com/x`),
  );
});

async function page(path: string, init?: RequestInit) {
  const response = await fetchWorker(path, init);
  return { response, html: await response.text() };
}

const articleCount = (html: string) => html.match(/<article /g)?.length ?? 0;

describe("the public timeline page", () => {
  it("renders the newest posts on the server, escaped, with an older-posts link that needs no JavaScript", async () => {
    const { response, html } = await page("/");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("text/html");
    expect(html).toContain("<h1");
    expect(html).toContain("Latest posts");
    expect(articleCount(html)).toBe(20);
    expect(html).toContain("Page post 25");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain('href="https://example.com/x"');
    expect(html).toContain(`href="/?max_id=${posts[5]!.id}"`);
  });

  it("serves the older page from the link, with a way back to newer posts", async () => {
    const { html } = await page(`/?max_id=${posts[5]!.id}`);
    expect(articleCount(html)).toBe(5);
    expect(html).toContain("Page post 5");
    expect(html).not.toContain("Page post 6 ");
    expect(html).toContain(`href="/?min_id=${posts[4]!.id}"`);
    expect(html).not.toContain("Load older posts");
  });

  it("keeps a chosen page size in its links", async () => {
    const { html } = await page("/?limit=5");
    expect(articleCount(html)).toBe(5);
    expect(html).toContain(`href="/?max_id=${posts[20]!.id}&amp;limit=5"`);
  });

  it("shows the end of the timeline past the oldest post", async () => {
    const { html } = await page(`/?max_id=${posts[0]!.id}`);
    expect(articleCount(html)).toBe(0);
    expect(html).toContain("You&#x27;ve reached the end");
  });

  it("answers a malformed cursor with a 400 page that says what was wrong", async () => {
    const { response, html } = await page("/?max_id=garbage");
    expect(response.status).toBe(400);
    expect(html).toContain("max_id must be a numeric id");
    expect(html).toContain('href="#main"');
  });
});

describe("unknown pages", () => {
  it("render the friendly 404 page inside the app shell", async () => {
    const { response, html } = await page("/no/such/page");
    expect(response.status).toBe(404);
    expect(html).toContain("Page not found");
    expect(html).toContain('aria-label="Primary"');
  });
});

describe("security headers on pages", () => {
  it("send a CSP whose nonce is on every script, and the other hardening headers", async () => {
    const { response, html } = await page("/");
    const csp = response.headers.get("Content-Security-Policy") ?? "";
    const nonce = /script-src 'nonce-([^']+)' 'strict-dynamic'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(response.headers.get("Strict-Transport-Security")).toContain("max-age=");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
  });

  it("use a fresh nonce for every response", async () => {
    const first = (await page("/")).response.headers.get("Content-Security-Policy");
    const second = (await page("/")).response.headers.get("Content-Security-Policy");
    expect(first).not.toBe(second);
  });
});

describe("observability headers", () => {
  it("give every response a request id and Server-Timing that includes database time", async () => {
    const { response } = await page("/");
    expect(response.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get("Server-Timing")).toMatch(/db;dur=[\d.]+;desc="\dx", total;dur=[\d.]+/);
  });
});

describe("the theme switch", () => {
  const choose = (theme: string, redirectTo: string) => postForm("/resources/theme", { theme, redirectTo });

  it("stores the choice in a cookie and sends the reader back where they were", async () => {
    const response = await choose("dark", "/?limit=5");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/?limit=5");
    const cookie = response.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(/^theme=/);
    expect(cookie).toContain("HttpOnly");
    const { html } = await page("/", { headers: { Cookie: cookie.split(";")[0]! } });
    expect(html).toContain('data-theme="dark"');
  });

  it("never redirects off the site", async () => {
    const response = await choose("light", "//evil.example/");
    expect(response.headers.get("Location")).toBe("/");
  });

  it("refuses an unknown theme", async () => {
    const response = await choose("neon", "/");
    expect(response.status).toBe(400);
  });
});
