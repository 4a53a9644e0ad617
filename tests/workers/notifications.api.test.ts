import { describe, expect, it } from "vitest";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { follow } from "#domain/graph/follows.ts";
import { saveMarkers } from "#domain/markers.ts";
import { favourite } from "#domain/posts/engagement.ts";
import { callApi, deliverEvents, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let count = 0;
const person = () => makeUser(ctx, { username: `inbox${(count += 1)}` });

/** Ana's post liked by two people, a mention and a follow: the notifications these tests read. */
async function busyAuthor() {
  const ana = await person();
  const [ben, cleo] = [await person(), await person()];
  const post = await makePost(ctx, ana, { text: "Like me" });
  await favourite(ctx, ben.id, post.id);
  await deliverEvents();
  await favourite(ctx, cleo.id, post.id);
  await deliverEvents();
  const mention = await makePost(ctx, ben, { text: `Hi @${ana.username}` });
  await deliverEvents();
  await follow(ctx, cleo.id, ana.id);
  await deliverEvents();
  return { ana, ben, cleo, post, mention, token: await tokenFor(ana.id, ["read", "write"]) };
}

describe("GET /api/v1/notifications", () => {
  it("lists newest first with Mastodon's entity, filters by kind and account, and pages with Link", async () => {
    const { ben, cleo, post, mention, token } = await busyAuthor();
    const all = await callApi("/api/v1/notifications", token);
    expect(all.response.status).toBe(200);
    expect(all.body.map((n: { type: string; account: { id: string } }) => [n.type, n.account.id])).toEqual([
      ["follow", cleo.id],
      ["mention", ben.id],
      ["favourite", cleo.id],
      ["favourite", ben.id],
    ]);
    expect(all.body[1]).toMatchObject({ status: { id: mention.id }, group_key: `ungrouped-${all.body[1].id}` });
    expect(all.body[2]).toMatchObject({ status: { id: post.id }, group_key: `favourite-${post.id}` });
    expect(all.body[0]).not.toHaveProperty("status");

    const mentions = await callApi("/api/v1/notifications?types[]=mention", token);
    expect(mentions.body.map((n: { type: string }) => n.type)).toEqual(["mention"]);
    // Kinds Perch does not have are ignored, as Mastodon does: clients send their whole list.
    const excluded = await callApi("/api/v1/notifications?exclude_types[]=favourite&exclude_types[]=admin.sign_up", token);
    expect(excluded.body.map((n: { type: string }) => n.type)).toEqual(["follow", "mention"]);
    expect((await callApi("/api/v1/notifications?types[]=admin.report", token)).body).toEqual([]);
    const fromBen = await callApi(`/api/v1/notifications?account_id=${ben.id}`, token);
    expect(fromBen.body.map((n: { type: string }) => n.type)).toEqual(["mention", "favourite"]);

    const first = await callApi("/api/v1/notifications?limit=2", token);
    expect(first.body).toHaveLength(2);
    const next = /<([^>]+)>; rel="next"/.exec(first.response.headers.get("Link")!)![1]!;
    const second = await callApi(new URL(next).pathname + new URL(next).search, token);
    expect(second.body.map((n: { id: string }) => n.id)).toEqual(all.body.slice(2).map((n: { id: string }) => n.id));
  });

  it("reads one, dismisses one, counts unread from the marker and clears all, only ever the caller's own", async () => {
    const { ana, token } = await busyAuthor();
    const stranger = await tokenFor((await person()).id, ["read", "write"]);
    const all = (await callApi("/api/v1/notifications", token)).body as { id: string; type: string }[];

    expect((await callApi(`/api/v1/notifications/${all[0]!.id}`, token)).body).toMatchObject({ id: all[0]!.id, type: "follow" });
    expect((await callApi(`/api/v1/notifications/${all[0]!.id}`, stranger)).response.status).toBe(404);
    expect((await callApi(`/api/v1/notifications/${all[0]!.id}/dismiss`, stranger, { method: "POST" })).response.status).toBe(200);
    expect((await callApi("/api/v1/notifications", token)).body).toHaveLength(4);

    expect((await callApi("/api/v1/notifications/unread_count", token)).body).toEqual({ count: 4 });
    await saveMarkers(ctx, ana.id, { notifications: { last_read_id: all[2]!.id } });
    expect((await callApi("/api/v1/notifications/unread_count", token)).body).toEqual({ count: 2 });
    expect((await callApi("/api/v1/notifications/unread_count?limit=1", token)).body).toEqual({ count: 1 });
    expect((await callApi("/api/v1/notifications/unread_count?limit=0", token)).response.status).toBe(400);

    expect((await callApi(`/api/v1/notifications/${all[0]!.id}/dismiss`, token, { method: "POST" })).body).toEqual({});
    expect((await callApi("/api/v1/notifications", token)).body).toHaveLength(3);
    expect((await callApi("/api/v1/notifications/clear", token, { method: "POST" })).body).toEqual({});
    expect((await callApi("/api/v1/notifications", token)).body).toEqual([]);
  });

  it("needs a token with read:notifications", async () => {
    const user = await person();
    expect((await callApi("/api/v1/notifications", null)).response.status).toBe(401);
    expect((await callApi("/api/v1/notifications", await tokenFor(user.id, ["read:statuses"]))).response.status).toBe(403);
  });
});

describe("GET /api/v2/notifications", () => {
  it("groups likes of one post with their latest accounts, and lists each account and status once", async () => {
    const { ben, cleo, post, mention, token } = await busyAuthor();
    const { response, body } = await callApi("/api/v2/notifications", token);
    expect(response.status).toBe(200);
    const groups = body.notification_groups as Record<string, unknown>[];
    expect(groups.map((group) => [group.type, group.notifications_count, group.sample_account_ids])).toEqual([
      ["follow", 1, [cleo.id]],
      ["mention", 1, [ben.id]],
      ["favourite", 2, [cleo.id, ben.id]],
    ]);
    expect(groups[2]).toMatchObject({ group_key: `favourite-${post.id}`, status_id: post.id });
    expect(groups[1]).toMatchObject({ status_id: mention.id });
    expect(String(groups[1]!.group_key)).toMatch(/^ungrouped-/);
    expect(body.accounts.map((account: { id: string }) => account.id).sort()).toEqual([ben.id, cleo.id].sort());
    expect(body.statuses.map((status: { id: string }) => status.id).sort()).toEqual([post.id, mention.id].sort());

    // The groups' latest notifications are read together: three groups cost the database calls of two.
    const dbCalls = (answer: Response) =>
      Number(/(?:^|, )db;dur=[\d.]+;desc="(\d+)x"/.exec(answer.headers.get("Server-Timing") ?? "")?.[1]);
    const two = await callApi("/api/v2/notifications?limit=2", token);
    const three = await callApi("/api/v2/notifications", token);
    expect(dbCalls(two.response)).toBeGreaterThan(0);
    expect(dbCalls(three.response)).toBe(dbCalls(two.response));

    const ungrouped = await callApi("/api/v2/notifications?grouped_types[]=follow", token);
    expect(ungrouped.body.notification_groups).toHaveLength(4);

    const page = await callApi("/api/v2/notifications?limit=2", token);
    expect(page.body.notification_groups).toHaveLength(2);
    const next = /<([^>]+)>; rel="next"/.exec(page.response.headers.get("Link")!)![1]!;
    const rest = await callApi(new URL(next).pathname + new URL(next).search, token);
    expect(rest.body.notification_groups.map((group: { type: string }) => group.type)).toEqual(["favourite"]);
  });

  it("reads, counts and dismisses a group by its key", async () => {
    const { post, token } = await busyAuthor();
    const key = `favourite-${post.id}`;
    const group = await callApi(`/api/v2/notifications/${key}`, token);
    expect(group.body.notification_groups).toMatchObject([{ group_key: key, notifications_count: 2 }]);
    expect((await callApi(`/api/v2/notifications/${key}/accounts`, token)).body).toHaveLength(2);
    expect((await callApi("/api/v2/notifications/unread_count", token)).body).toEqual({ count: 3 });
    expect((await callApi(`/api/v2/notifications/${key}/dismiss`, token, { method: "POST" })).response.status).toBe(200);
    expect((await callApi(`/api/v2/notifications/${key}`, token)).response.status).toBe(404);
    expect((await callApi("/api/v1/notifications", token)).body.map((n: { type: string }) => n.type)).toEqual(["follow", "mention"]);
  });
});

describe("notification policy and requests (Mastodon 4.3)", () => {
  it("holds a stranger's private mention in a request by default; accepting it lets it and later ones through", async () => {
    const ana = await person();
    const stranger = await person();
    const token = await tokenFor(ana.id, ["read", "write"]);
    const held = await makePost(ctx, stranger, { text: `Psst @${ana.username}`, visibility: "direct" });
    await deliverEvents();
    expect((await callApi("/api/v1/notifications", token)).body).toEqual([]);
    const policy = await callApi("/api/v2/notifications/policy", token);
    expect(policy.body).toEqual({
      for_not_following: "accept",
      for_not_followers: "accept",
      for_new_accounts: "accept",
      for_private_mentions: "filter",
      for_limited_accounts: "filter",
      summary: { pending_requests_count: 1, pending_notifications_count: 1 },
    });
    const filtered = await callApi("/api/v1/notifications?include_filtered=true", token);
    expect(filtered.body.map((n: { status: { id: string } }) => n.status.id)).toEqual([held.id]);

    const requests = await callApi("/api/v1/notifications/requests", token);
    expect(requests.body).toMatchObject([{ account: { id: stranger.id }, notifications_count: "1", last_status: { id: held.id } }]);
    const id = requests.body[0].id as string;
    expect((await callApi(`/api/v1/notifications/requests/${id}`, await tokenFor(stranger.id))).response.status).toBe(404);
    expect((await callApi(`/api/v1/notifications/requests/${id}/accept`, token, { method: "POST" })).response.status).toBe(200);
    expect((await callApi("/api/v1/notifications/requests", token)).body).toEqual([]);
    const later = await makePost(ctx, stranger, { text: `Again @${ana.username}`, visibility: "direct" });
    await deliverEvents();
    const shown = await callApi("/api/v1/notifications", token);
    expect(shown.body.map((n: { status: { id: string } }) => n.status.id)).toEqual([later.id, held.id]);
  });

  it("drops or files what the policy says, and dismissing a request deletes what it held", async () => {
    const ana = await person();
    const [stranger, fan] = [await person(), await person()];
    await follow(ctx, ana.id, fan.id);
    const token = await tokenFor(ana.id, ["read", "write"]);
    const changed = await callApi("/api/v2/notifications/policy", token, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ for_not_following: "drop", for_not_followers: "filter" }),
    });
    expect(changed.body).toMatchObject({ for_not_following: "drop", for_not_followers: "filter", for_private_mentions: "filter" });
    const bad = await callApi("/api/v2/notifications/policy", token, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ for_new_accounts: "maybe" }),
    });
    expect(bad.response.status).toBe(422);

    const post = await makePost(ctx, ana, { text: "Policy" });
    await favourite(ctx, stranger.id, post.id);
    await favourite(ctx, fan.id, post.id);
    await deliverEvents();
    expect(
      (await callApi("/api/v1/notifications?include_filtered=true", token)).body.map((n: { account: { id: string } }) => n.account.id),
    ).toEqual([fan.id]);
    const [request] = (await callApi("/api/v1/notifications/requests", token)).body as { id: string; account: { id: string } }[];
    expect(request!.account.id).toBe(fan.id);
    const form = new URLSearchParams([["id[]", request!.id]]);
    expect((await callApi("/api/v1/notifications/requests/dismiss", token, { method: "POST", body: form })).response.status).toBe(200);
    expect((await callApi("/api/v1/notifications?include_filtered=true", token)).body).toEqual([]);
    expect((await callApi("/api/v2/notifications/policy", token)).body.summary).toEqual({
      pending_requests_count: 0,
      pending_notifications_count: 0,
    });
  });
});
