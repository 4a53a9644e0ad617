import { beforeAll, describe, expect, it } from "vitest";
import { InstanceV1Schema, InstanceV2Schema } from "#workers/api/entities/instance.ts";
import { NodeInfoSchema } from "#workers/api/entities/nodeinfo.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { fetchWorker, testDomain } from "./support.ts";

beforeAll(async () => {
  const ctx = testDomain();
  const user = await makeUser(ctx, { username: "instance_poster" });
  await makeUser(ctx, { username: "instance_lurker" });
  await makePost(ctx, user, { text: "one" });
  await makePost(ctx, user, { text: "two" });
});

async function getJson(path: string) {
  const response = await fetchWorker(path);
  expect(response.status).toBe(200);
  return response.json();
}

describe("instance information", () => {
  it("GET /api/v1/instance describes the server, its limits and its counts", async () => {
    const instance = InstanceV1Schema.parse(await getJson("/api/v1/instance"));
    expect(instance).toMatchObject({
      uri: "perch.test",
      title: "Perch",
      version: "4.3.0 (compatible; Perch 0.1.0)",
      urls: { streaming_api: "ws://perch.test" },
      stats: { user_count: 2, status_count: 2, domain_count: 0 },
      registrations: true,
      configuration: { statuses: { max_characters: 500, max_media_attachments: 4, characters_reserved_per_url: 23 } },
    });
  });

  it("GET /api/v2/instance reports the same limits in the v2 shape", async () => {
    const instance = InstanceV2Schema.parse(await getJson("/api/v2/instance"));
    expect(instance).toMatchObject({
      domain: "perch.test",
      usage: { users: { active_month: 1 } },
      configuration: { statuses: { max_characters: 500 }, polls: { max_options: 4 } },
      registrations: { enabled: true },
    });
  });

  it("/.well-known/nodeinfo points to NodeInfo 2.1, which names Mastodon as the API to speak", async () => {
    const links = (await getJson("/.well-known/nodeinfo")) as { links: { rel: string; href: string }[] };
    expect(links.links).toContainEqual({ rel: "http://nodeinfo.diaspora.software/ns/schema/2.1", href: "http://perch.test/nodeinfo/2.1" });
    const response = await fetchWorker("/nodeinfo/2.1");
    expect(response.headers.get("Content-Type")).toContain('profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"');
    const nodeinfo = NodeInfoSchema.parse(await response.json());
    expect(nodeinfo.software.name).toBe("perch");
    expect(nodeinfo.metadata.upstream.name).toBe("mastodon");
    expect(nodeinfo.usage).toEqual({ users: { total: 2, activeMonth: 1 }, localPosts: 2 });
  });

  it("/healthz checks D1 and is never cached", async () => {
    const response = await fetchWorker("/healthz");
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.json()).toMatchObject({ status: "ok", checks: { d1: { status: "ok" } } });
  });
});

describe("OpenAPI", () => {
  it("serves an OpenAPI 3.1 document describing every route, with the shared error shape", async () => {
    const document = (await getJson("/api/openapi.json")) as {
      openapi: string;
      tags: { name: string; description: string }[];
      paths: Record<
        string,
        Record<string, { operationId?: string; tags?: string[]; description?: string; responses: Record<string, unknown> }>
      >;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { type: string }> };
    };
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/.well-known/nodeinfo",
        "/.well-known/oauth-authorization-server",
        "/.well-known/webfinger",
        "/api/v1/accounts",
        "/api/v1/accounts/verify_credentials",
        "/api/v1/accounts/{id}",
        "/api/v1/accounts/{id}/follow",
        "/api/v1/apps",
        "/api/v1/blocks",
        "/api/v1/follow_requests",
        "/api/v1/instance",
        "/api/v1/lists",
        "/api/v1/timelines/public",
        "/api/v1/timelines/tag/{hashtag}",
        "/api/v1/statuses",
        "/api/v1/statuses/{id}/history",
        "/api/v1/statuses/{id}/reactions/{emoji}",
        "/api/v1/media/{id}",
        "/api/v1/polls/{id}/votes",
        "/api/v2/media",
        "/api/v2/instance",
        "/healthz",
        "/api/v1/announcements",
        "/api/v1/custom_emojis",
        "/api/v1/instance/extended_description",
        "/api/v1/instance/rules",
        "/api/v1/preferences",
        "/nodeinfo/2.0",
        "/nodeinfo/2.1",
        "/oauth/authorize",
        "/oauth/token",
      ]),
    );
    const tagNames = document.tags.map((tag) => tag.name);
    const operationIds: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const operation of Object.values(operations)) {
        // Every route answers 200, except a WebSocket that has only its upgrade (101) to describe.
        expect(Object.keys(operation.responses), path).toEqual(expect.arrayContaining([path.endsWith("/stream") ? "101" : "200"]));
        expect(operation.description, path).toBeTruthy();
        expect(tagNames, path).toEqual(expect.arrayContaining(operation.tags ?? []));
        operationIds.push(operation.operationId ?? `none at ${path}`);
      }
    }
    expect(operationIds.filter((id) => id.startsWith("none"))).toEqual([]);
    expect(new Set(operationIds).size).toBe(operationIds.length);
    expect(Object.values(document.components.securitySchemes).map((scheme) => scheme.type)).toEqual(["oauth2"]);
    expect(document.paths["/api/v1/timelines/public"]?.get?.responses).toHaveProperty("400");
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(["Status", "Account", "Error", "MediaAttachment", "Poll", "PreviewCard", "StatusEdit"]),
    );
  });

  it("serves interactive docs whose scripts carry the response's CSP nonce", async () => {
    const response = await fetchWorker("/api/docs");
    expect(response.status).toBe(200);
    const html = await response.text();
    const nonce = /script-src 'nonce-([^']+)'/.exec(response.headers.get("Content-Security-Policy") ?? "")?.[1];
    expect(nonce).toBeTruthy();
    expect(html).toContain(`<script src="/vendor/scalar-api-reference-1.46.4.js" nonce="${nonce}"></script>`);
    expect(html).toContain('data-url="/api/openapi.json"');
  });
});
