import { beforeAll, describe, expect, it } from "vitest";
import { identiconPng } from "#db/seed/artwork.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import type { User } from "#domain/accounts/users.ts";
import { pin, reblog } from "#domain/posts/engagement.ts";
import { asUser, callApi, testDomain, tokenFor } from "./support.ts";

/** GET /api/v1/accounts/:id/statuses with Mastodon's filters: each narrows what a profile lists, none is ignored. */
const ctx = testDomain();
let author: User;
let token: string;
const made: Record<string, string> = {};

const texts = async (query: string) => {
  const { response, body } = await callApi(`/api/v1/accounts/${author.id}/statuses${query}`, token);
  expect(response.status).toBe(200);
  return (body as { id: string }[]).map(({ id }) => Object.keys(made).find((name) => made[name] === id));
};

beforeAll(async () => {
  author = await makeUser(ctx, { username: "Filtered_Author" });
  const other = await makeUser(ctx, { username: "Filtered_Other" });
  token = await tokenFor(author.id, ["read", "write"]);
  const elsewhere = await makePost(ctx, other, { text: "Someone else's post" });
  made.plain = (await makePost(ctx, author, { text: "Plain words #birds" })).id;
  made.reply = (await makePost(ctx, author, { text: "A reply to someone", inReplyToId: elsewhere.id })).id;
  made.selfReply = (await makePost(ctx, author, { text: "My own thread goes on", inReplyToId: made.plain })).id;
  made.repost = (await reblog(asUser(author), author.id, elsewhere.id)).reblog.id;
  const form = new FormData();
  form.set("file", new File([(await identiconPng("filtered", 32)) as Uint8Array<ArrayBuffer>], "shot.png"));
  const upload = await callApi("/api/v2/media", token, { method: "POST", body: form });
  const body = JSON.stringify({ status: "A picture", media_ids: [upload.body.id] });
  made.picture = (
    await callApi("/api/v1/statuses", token, { method: "POST", body, headers: { "Content-Type": "application/json" } })
  ).body.id;
  await pin(asUser(author), author.id, made.plain!, true);
});

describe("an account's statuses, filtered as Mastodon filters them", () => {
  it("lists everything without filters, newest first", async () => {
    expect(await texts("")).toEqual(["picture", "repost", "selfReply", "reply", "plain"]);
  });

  it("only_media, exclude_replies, exclude_reblogs, pinned and tagged each narrow the list", async () => {
    expect(await texts("?only_media=true")).toEqual(["picture"]);
    expect(await texts("?exclude_replies=true")).toEqual(["picture", "repost", "selfReply", "plain"]);
    expect(await texts("?exclude_reblogs=true")).toEqual(["picture", "selfReply", "reply", "plain"]);
    expect(await texts("?pinned=true")).toEqual(["plain"]);
    expect(await texts("?tagged=BIRDS")).toEqual(["plain"]);
    expect(await texts("?exclude_replies=1&exclude_reblogs=1&only_media=false")).toEqual(["picture", "selfReply", "plain"]);
  });

  it("refuses a filter that is not a boolean rather than ignoring it", async () => {
    const { response, body } = await callApi(`/api/v1/accounts/${author.id}/statuses?pinned=yes`, token);
    expect(response.status).toBe(400);
    expect(body.error).toContain("pinned");
  });
});
