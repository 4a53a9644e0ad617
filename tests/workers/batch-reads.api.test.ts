import { beforeAll, describe, expect, it } from "vitest";
import { idAt } from "#db/ids.ts";
import { makeFollow, makePost, makeUser } from "#db/seed/factories.ts";
import type { User } from "#domain/accounts/users.ts";
import { block } from "#domain/graph/blocks.ts";
import { reblog } from "#domain/posts/engagement.ts";
import type { Post } from "#domain/posts/posts.ts";
import { updatePrivacy } from "#domain/profiles/settings.ts";
import { StatusSchema } from "#workers/api/entities/status.ts";
import { callApi, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
/** An id no row has. */
const MISSING = idAt(Date.UTC(2020, 0, 1));

let author: User;
let follower: User;
let blocked: User;
let shy: User;
let followerToken: string;
let blockedToken: string;
let open: Post;
let unlisted: Post;
let followersOnly: Post;
let repost: Post;

beforeAll(async () => {
  author = await makeUser(ctx, { username: "batch_author", bio: "The author's bio" });
  follower = await makeUser(ctx, { username: "batch_follower" });
  blocked = await makeUser(ctx, { username: "batch_blocked" });
  shy = await makeUser(ctx, { username: "batch_shy", bio: "Only for followers" });
  await updatePrivacy(ctx, shy.id, { profileVisibility: "followers" });
  await makeFollow(ctx, follower, author);
  open = await makePost(ctx, author, { text: "Open to all" });
  unlisted = await makePost(ctx, author, { text: "Unlisted", visibility: "unlisted" });
  followersOnly = await makePost(ctx, author, { text: "For followers", visibility: "private" });
  repost = (await reblog(ctx, follower.id, open.id)).reblog;
  await block(ctx, author.id, blocked.id);
  followerToken = await tokenFor(follower.id);
  blockedToken = await tokenFor(blocked.id);
});

const query = (ids: string[]) => ids.map((id) => `id[]=${id}`).join("&");
const idsOf = (body: { id: string }[]) => body.map((item) => item.id);

describe("GET /api/v1/statuses?id[]=", () => {
  it("answers the posts that exist and the caller may see, in the order asked for", async () => {
    const asked = [followersOnly.id, MISSING, unlisted.id, repost.id, open.id, unlisted.id];
    const anonymous = await callApi(`/api/v1/statuses?${query(asked)}`, null);
    expect(anonymous.response.status).toBe(200);
    expect(idsOf(anonymous.body)).toEqual([unlisted.id, repost.id, open.id]);
    const shown = anonymous.body.map((status: unknown) => StatusSchema.parse(status));
    expect(shown[1]?.reblog?.id).toBe(open.id);

    const asFollower = await callApi(`/api/v1/statuses?${query(asked)}`, followerToken);
    expect(idsOf(asFollower.body)).toEqual([followersOnly.id, unlisted.id, repost.id, open.id]);
    expect(asFollower.body[3]).toMatchObject({ id: open.id, reblogged: true });

    expect((await callApi(`/api/v1/statuses?${query([open.id, unlisted.id])}`, blockedToken)).body).toEqual([]);
  });

  it("reads one id, and ids without their leading zeros", async () => {
    const single = await callApi(`/api/v1/statuses?id[]=${BigInt(open.id).toString()}`, null);
    expect(idsOf(single.body)).toEqual([open.id]);
  });

  it("refuses no ids or malformed ones with 400, and more than 40 with 422", async () => {
    const none = await callApi("/api/v1/statuses", null);
    expect(none.response.status).toBe(400);
    expect(none.body.error).toContain("id[]");
    const malformed = await callApi(`/api/v1/statuses?${query([open.id, "not-an-id"])}`, null);
    expect(malformed.response.status).toBe(400);
    expect(malformed.body.error).toContain("must be a numeric id");
    const forty = Array.from({ length: 40 }, (_, i) => idAt(Date.UTC(2020, 0, 1), i));
    expect((await callApi(`/api/v1/statuses?${query([...forty.slice(1), open.id])}`, null)).body).toHaveLength(1);
    const tooMany = await callApi(`/api/v1/statuses?${query([...forty, open.id])}`, null);
    expect(tooMany.response.status).toBe(422);
    expect(tooMany.body.error).toContain("at most 40");
  });
});

describe("GET /api/v1/accounts?id[]=", () => {
  it("answers the accounts that exist and have not blocked the caller, in the order asked for", async () => {
    const asked = [shy.id, MISSING, author.id, follower.id, author.id];
    const anonymous = await callApi(`/api/v1/accounts?${query(asked)}`, null);
    expect(anonymous.response.status).toBe(200);
    expect(idsOf(anonymous.body)).toEqual([shy.id, author.id, follower.id]);
    expect(anonymous.body[1].note).toContain("The author&#39;s bio");
    // A profile closed to the caller shows who it is and nothing more, as GET /api/v1/accounts/{id} does.
    expect(anonymous.body[0]).toMatchObject({ username: "batch_shy", note: "" });

    const asBlocked = await callApi(`/api/v1/accounts?${query(asked)}`, blockedToken);
    expect(idsOf(asBlocked.body)).toEqual([shy.id, follower.id]);
  });

  it("refuses no ids or malformed ones with 400, and more than 40 with 422", async () => {
    expect((await callApi("/api/v1/accounts", null)).response.status).toBe(400);
    expect((await callApi("/api/v1/accounts?id[]=x", null)).response.status).toBe(400);
    const tooMany = Array.from({ length: 41 }, (_, i) => idAt(Date.UTC(2020, 0, 1), i));
    expect((await callApi(`/api/v1/accounts?${query(tooMany)}`, null)).response.status).toBe(422);
  });
});
