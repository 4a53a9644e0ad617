import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { listMembers, mentions, notifications } from "#db/schema/index.ts";
import { makeFollow, makeUser } from "#db/seed/factories.ts";
import { callApi, eventually, testDomain, tokenFor } from "./support.ts";

/**
 * D1 binds at most 100 parameters per statement. Lists a user controls (accounts to add to a list, a post's hashtags
 * and mentions, ids to read) must work at any length the API allows: they are passed as one JSON parameter or split.
 */
const ctx = testDomain();

/** `count` short distinct usernames (one or two characters, so many fit in one post), none of them reserved. */
function shortNames(count: number, prefix: string): string[] {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const names = [...alphabet].map((letter) => `${prefix}${letter}`);
  for (const first of alphabet) for (const second of alphabet) names.push(`${prefix}${first}${second}`);
  return names.slice(0, count);
}

async function usersNamed(names: string[]) {
  const made = [];
  for (const username of names) made.push(await makeUser(ctx, { username }));
  return made;
}

const json = (method: string, body: unknown) => ({ method, body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });

describe("lists a user controls, longer than D1's 100 bound parameters", () => {
  it("adds 100 accounts to a list and removes them again", async () => {
    const owner = await makeUser(ctx, { username: "listowner" });
    const token = await tokenFor(owner.id);
    const followed = await usersNamed(shortNames(100, "l"));
    for (const account of followed) await makeFollow(ctx, owner, account);
    const list = await callApi("/api/v1/lists", token, json("POST", { title: "Everyone" }));
    const account_ids = followed.map((account) => account.id);

    const added = await callApi(`/api/v1/lists/${list.body.id}/accounts`, token, json("POST", { account_ids }));
    expect(added.response.status).toBe(200);
    expect(await ctx.db.select().from(listMembers).where(eq(listMembers.listId, list.body.id))).toHaveLength(100);

    const removed = await callApi(`/api/v1/lists/${list.body.id}/accounts`, token, json("DELETE", { account_ids }));
    expect(removed.response.status).toBe(200);
    expect(await ctx.db.select().from(listMembers).where(eq(listMembers.listId, list.body.id))).toHaveLength(0);
  });

  it("publishes a post with 100 distinct hashtags", async () => {
    const author = await makeUser(ctx, { username: "tagger" });
    const tags = shortNames(100, "t");
    const posted = await callApi(
      "/api/v1/statuses",
      await tokenFor(author.id),
      json("POST", { status: tags.map((tag) => `#${tag}`).join(" ") }),
    );
    expect(posted.response.status).toBe(200);
    expect(posted.body.tags).toHaveLength(100);
  });

  it("publishes a post mentioning 125 accounts, each of them linked, and edits it", async () => {
    const author = await makeUser(ctx, { username: "mentioner" });
    const token = await tokenFor(author.id);
    const names = shortNames(125, "");
    await usersNamed(names);
    const posted = await callApi("/api/v1/statuses", token, json("POST", { status: names.map((name) => `@${name}`).join(" ") }));
    expect(posted.response.status).toBe(200);
    expect(posted.body.mentions).toHaveLength(125);
    expect(await ctx.db.select().from(mentions).where(eq(mentions.postId, posted.body.id))).toHaveLength(125);
    await eventually(async () =>
      expect(await ctx.db.select().from(notifications).where(eq(notifications.postId, posted.body.id))).toHaveLength(125),
    );

    const edit = names.toReversed().map((name) => `@${name}`);
    const edited = await callApi(`/api/v1/statuses/${posted.body.id}`, token, json("PUT", { status: edit.join(" ") }));
    expect(edited.response.status).toBe(200);
    expect(edited.body.mentions).toHaveLength(125);
  });

  it("answers relationships for the first 80 of 150 ids, and refuses more than 40 ids to read with 422 naming the limit", async () => {
    const viewer = await makeUser(ctx, { username: "asker" });
    const token = await tokenFor(viewer.id);
    const ids = Array.from({ length: 150 }, (_, index) => `1170000000000${String(index).padStart(5, "0")}`);
    const query = (name: string, count: number) =>
      ids
        .slice(0, count)
        .map((id) => `${name}=${id}`)
        .join("&");
    const relationships = await callApi(`/api/v1/accounts/relationships?${query("id[]", 150)}`, token);
    expect(relationships.response.status).toBe(200);
    expect(relationships.body.map((relationship: { id: string }) => relationship.id)).toEqual(ids.slice(0, 80));
    for (const path of ["/api/v1/statuses", "/api/v1/accounts"]) {
      const refused = await callApi(`${path}?${query("id[]", 41)}`, token);
      expect(refused.response.status).toBe(422);
      expect(refused.body.error).toContain("at most 40 ids");
    }
  });
});
