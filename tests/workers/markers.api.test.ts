import { beforeAll, describe, expect, it } from "vitest";
import { makeUser } from "#db/seed/factories.ts";
import { callApi, testDomain, tokenFor } from "./support.ts";

/** Mastodon's markers: a reading position saved by one client and read by another. */
let token: string;
let otherToken: string;

beforeAll(async () => {
  const ctx = testDomain();
  token = await tokenFor((await makeUser(ctx, { username: "Marker_Reader" })).id, ["read", "write"]);
  otherToken = await tokenFor((await makeUser(ctx, { username: "Marker_Other" })).id, ["read", "write"]);
});

const save = (body: string, contentType: string, as = token) =>
  callApi("/api/v1/markers", as, { method: "POST", body, headers: { "Content-Type": contentType } });

describe("/api/v1/markers", () => {
  it("saves positions from JSON and forms, each save one version newer, and reads back only those asked for", async () => {
    expect((await callApi("/api/v1/markers?timeline[]=home", token)).body).toEqual({});
    const first = await save(JSON.stringify({ home: { last_read_id: "117000000000000001" } }), "application/json");
    expect(first.response.status).toBe(200);
    expect(first.body.home).toMatchObject({ last_read_id: "117000000000000001", version: 0 });
    const second = await save(
      "home%5Blast_read_id%5D=117000000000000002&notifications%5Blast_read_id%5D=117000000000000009",
      "application/x-www-form-urlencoded",
    );
    expect(second.body.home).toMatchObject({ last_read_id: "117000000000000002", version: 1 });
    expect(second.body.notifications).toMatchObject({ last_read_id: "117000000000000009", version: 0 });

    const both = await callApi("/api/v1/markers?timeline[]=home&timeline[]=notifications", token);
    expect(Object.keys(both.body).sort()).toEqual(["home", "notifications"]);
    expect(both.body.home.updated_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(Object.keys((await callApi("/api/v1/markers?timeline[]=notifications", token)).body)).toEqual(["notifications"]);
    expect((await callApi("/api/v1/markers?timeline[]=home", otherToken)).body).toEqual({});
  });

  it("refuses an unknown timeline, a save with no position, and a position that is not an id", async () => {
    expect((await callApi("/api/v1/markers?timeline[]=public", token)).response.status).toBe(400);
    expect((await save("{}", "application/json")).response.status).toBe(422);
    const notAnId = await save(JSON.stringify({ home: { last_read_id: "latest" } }), "application/json");
    expect(notAnId.response.status).toBe(422);
    expect(notAnId.body.error).toContain("last_read_id");
    expect((await callApi("/api/v1/markers", null)).response.status).toBe(401);
  });
});
