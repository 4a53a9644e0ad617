import { beforeAll, describe, expect, it } from "vitest";
import { makeUser } from "#db/seed/factories.ts";
import type { User } from "#domain/accounts/users.ts";
import { registerApp } from "#domain/clients/apps.ts";
import { issueAppToken } from "#domain/clients/tokens.ts";
import { updatePrivacy } from "#domain/profiles/settings.ts";
import { NodeInfo20Schema } from "#workers/api/entities/nodeinfo.ts";
import { callApi, fetchWorker, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let member: User;
let token: string;

beforeAll(async () => {
  member = await makeUser(ctx, { username: "Startup_Member" });
  token = await tokenFor(member.id, ["read"]);
});

describe("GET /api/v1/preferences", () => {
  it("reports the user's default visibility, as Mastodon names it and as Perch does", async () => {
    const answer = await callApi("/api/v1/preferences", token);
    expect(answer.response.status).toBe(200);
    expect(answer.body).toEqual({
      "posting:default:visibility": "public",
      "perch:posting:default:visibility": "public",
      "posting:default:sensitive": false,
      "posting:default:language": null,
      "posting:default:quote_policy": "public",
      "reading:expand:media": "default",
      "reading:expand:spoilers": false,
    });
    await updatePrivacy(ctx, member.id, { defaultVisibility: "friends" });
    expect((await callApi("/api/v1/preferences", token)).body).toMatchObject({
      "posting:default:visibility": "private",
      "perch:posting:default:visibility": "friends",
    });
    await updatePrivacy(ctx, member.id, { defaultVisibility: "unlisted" });
    expect((await callApi("/api/v1/preferences", token)).body).toMatchObject({
      "posting:default:visibility": "unlisted",
      "perch:posting:default:visibility": "unlisted",
    });
  });

  it("needs a user token with read:accounts", async () => {
    expect((await callApi("/api/v1/preferences", null)).response.status).toBe(401);
    const narrow = await tokenFor(member.id, ["read:statuses"]);
    expect((await callApi("/api/v1/preferences", narrow)).response.status).toBe(403);
    const accountsOnly = await tokenFor(member.id, ["read:accounts"]);
    expect((await callApi("/api/v1/preferences", accountsOnly)).response.status).toBe(200);
  });
});

describe("GET /.well-known/webfinger", () => {
  const webfinger = (resource?: string) =>
    fetchWorker(`/.well-known/webfinger${resource === undefined ? "" : `?${new URLSearchParams({ resource })}`}`, {
      headers: { Origin: "https://client.example" },
    });

  it.each([
    "acct:Startup_Member@perch.test",
    "acct:startup_member@PERCH.TEST",
    "startup_member@perch.test",
    "@startup_member@perch.test",
    "http://perch.test/Startup_Member",
    "http://perch.test/@startup_member",
  ])("describes a local account named by %s, linking only its profile page", async (resource) => {
    const response = await webfinger(resource);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/jrd+json; charset=utf-8");
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(await response.json()).toEqual({
      subject: "acct:Startup_Member@perch.test",
      aliases: ["http://perch.test/Startup_Member"],
      links: [{ rel: "http://webfinger.net/rel/profile-page", type: "text/html", href: "http://perch.test/Startup_Member" }],
    });
  });

  it.each([
    [undefined, "resource"],
    ["", "resource is required"],
    ["startup_member", "must be acct:username@domain"],
    ["acct:startup_member", "must be acct:username@domain"],
    ["acct:startup_member@elsewhere.example", "another server"],
    ["https://elsewhere.example/startup_member", "another server"],
    ["http://perch.test/startup_member/status/1", "not the address of a profile"],
  ])("refuses %s with 400", async (resource, message) => {
    const response = await webfinger(resource);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain(message);
  });

  it("answers an account that does not exist with a JSON 404", async () => {
    const response = await webfinger("acct:nobody_at_all@perch.test");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "Record not found" });
  });
});

describe("what clients read at start-up", () => {
  it("GET /api/v1/instance/rules lists no rules, as /api/v2/instance says", async () => {
    const rules = await callApi("/api/v1/instance/rules", null);
    expect(rules.response.status).toBe(200);
    expect(rules.body).toEqual([]);
    expect((await callApi("/api/v2/instance", null)).body.rules).toEqual(rules.body);
  });

  it("GET /api/v1/instance/extended_description is the configured description as HTML", async () => {
    const answer = await callApi("/api/v1/instance/extended_description", null);
    expect(answer.response.status).toBe(200);
    expect(answer.body).toEqual({
      updated_at: null,
      content: "<p>A self-hostable social platform running on one Cloudflare Worker.</p>",
    });
  });

  it("GET /api/v1/custom_emojis is empty", async () => {
    const answer = await callApi("/api/v1/custom_emojis", null);
    expect(answer.response.status).toBe(200);
    expect(answer.body).toEqual([]);
  });

  it("GET /api/v1/announcements is empty, for a user token with read only", async () => {
    expect((await callApi("/api/v1/announcements", token)).body).toEqual([]);
    expect((await callApi("/api/v1/announcements?with_dismissed=true", token)).response.status).toBe(200);
    expect((await callApi("/api/v1/announcements?with_dismissed=maybe", token)).response.status).toBe(400);
    expect((await callApi("/api/v1/announcements", null)).response.status).toBe(401);
    expect((await callApi("/api/v1/announcements", await tokenFor(member.id, ["read:statuses"]))).response.status).toBe(403);
    const { app } = await registerApp(ctx, { client_name: "Start-up", redirect_uris: "urn:ietf:wg:oauth:2.0:oob", scopes: "read" });
    const appToken = await issueAppToken(ctx, app, "read");
    expect((await callApi("/api/v1/announcements", appToken.accessToken)).response.status).toBe(422);
  });

  it("GET /api/v2/instance says which Mastodon API version it follows", async () => {
    const instance = await callApi("/api/v2/instance", null);
    expect(instance.body.api_versions).toEqual({ mastodon: 2 });
    expect(instance.body.version).toContain("4.3.0");
  });

  it("/nodeinfo/2.0 is NodeInfo 2.1's content in the 2.0 schema, and discovery lists both", async () => {
    const links = await callApi("/.well-known/nodeinfo", null);
    expect(links.body.links).toEqual([
      { rel: "http://nodeinfo.diaspora.software/ns/schema/2.0", href: "http://perch.test/nodeinfo/2.0" },
      { rel: "http://nodeinfo.diaspora.software/ns/schema/2.1", href: "http://perch.test/nodeinfo/2.1" },
    ]);
    const older = await fetchWorker("/nodeinfo/2.0");
    expect(older.headers.get("Content-Type")).toContain('profile="http://nodeinfo.diaspora.software/ns/schema/2.0#"');
    const nodeinfo = NodeInfo20Schema.strict().parse(await older.json());
    expect(nodeinfo.version).toBe("2.0");
    expect(nodeinfo.software).toEqual({ name: "perch", version: "0.1.0" });
    const newer = (await (await fetchWorker("/nodeinfo/2.1")).json()) as Record<string, unknown>;
    expect({ ...nodeinfo, version: "2.1", software: newer.software }).toEqual(newer);
  });
});
