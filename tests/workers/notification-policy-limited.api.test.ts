import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "#db/schema/index.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { follow } from "#domain/graph/follows.ts";
import { favourite } from "#domain/posts/engagement.ts";
import { callApi, deliverEvents, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let count = 0;
const person = () => makeUser(ctx, { username: `limpol${(count += 1)}` });
const limit = (id: string) => ctx.db.update(users).set({ moderationStatus: "limited" }).where(eq(users.id, id));
const senders = async (token: string, filtered = false) =>
  (await callApi(`/api/v1/notifications${filtered ? "?include_filtered=true" : ""}`, token)).body.map(
    (n: { account: { id: string } }) => n.account.id,
  );

describe("for_limited_accounts (Mastodon 4.3's notification policy)", () => {
  it("files a limited stranger's notifications in a request by default, and accepts a limited account the recipient follows", async () => {
    const [ana, stranger, followed] = [await person(), await person(), await person()];
    await Promise.all([limit(stranger.id), limit(followed.id)]);
    await follow(ctx, ana.id, followed.id);
    const token = await tokenFor(ana.id, ["read", "write"]);
    const post = await makePost(ctx, ana, { text: "Limited audience" });
    await favourite(ctx, stranger.id, post.id);
    await favourite(ctx, followed.id, post.id);
    await deliverEvents();

    expect(await senders(token)).toEqual([followed.id]);
    expect(await senders(token, true)).toEqual([followed.id, stranger.id]);
    const requests = await callApi("/api/v1/notifications/requests", token);
    expect(requests.body.map((r: { account: { id: string } }) => r.account.id)).toEqual([stranger.id]);
  });

  it("drops a limited stranger's notifications when the policy says drop, and accepts them when it says accept", async () => {
    const [ana, stranger, other] = [await person(), await person(), await person()];
    await limit(stranger.id);
    const token = await tokenFor(ana.id, ["read", "write"]);
    const patch = (value: string) =>
      callApi("/api/v2/notifications/policy", token, {
        method: "PATCH",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ for_limited_accounts: value }),
      });
    expect((await patch("drop")).body).toMatchObject({ for_limited_accounts: "drop" });
    const post = await makePost(ctx, ana, { text: "Nobody limited hears" });
    await favourite(ctx, stranger.id, post.id);
    await favourite(ctx, other.id, post.id);
    await deliverEvents();
    expect(await senders(token, true)).toEqual([other.id]);
    expect((await callApi("/api/v1/notifications/requests", token)).body).toEqual([]);

    await patch("accept");
    await follow(ctx, stranger.id, ana.id);
    await deliverEvents();
    expect(await senders(token)).toEqual([stranger.id, other.id]);
  });
});
