import { beforeAll, describe, expect, it } from "vitest";
import { makeUser } from "#db/seed/factories.ts";
import type { User } from "#domain/accounts/users.ts";
import { updatePrivacy } from "#domain/profiles/settings.ts";
import { callApi, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let member: User;
let token: string;

beforeAll(async () => {
  member = await makeUser(ctx, { username: "startup_member" });
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
