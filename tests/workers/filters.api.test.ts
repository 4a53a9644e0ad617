import { describe, expect, it } from "vitest";
import { makeFollow, makePost, makeUser } from "#db/seed/factories.ts";
import { createFilter } from "#domain/filters/filters.ts";
import { callApi, deliverEvents, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let count = 0;
const person = () => makeUser(ctx, { username: `filtering${(count += 1)}` });

const send = (token: string, method: string, path: string, body?: unknown) =>
  callApi(path, token, {
    method,
    ...(body === undefined ? {} : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
  });

type Status = {
  id: string;
  filtered?: { filter: { id: string; title: string }; keyword_matches: string[] | null; status_matches: string[] | null }[];
};
const ids = (statuses: Status[]) => statuses.map((status) => status.id);

describe("/api/v2/filters", () => {
  it("creates, reads, changes and deletes filters with their keywords, only ever the owner's", async () => {
    const [owner, stranger] = [await person(), await person()];
    const token = await tokenFor(owner.id, ["read", "write"]);
    const created = await send(token, "POST", "/api/v2/filters", {
      title: "Cats",
      context: ["home", "public"],
      filter_action: "hide",
      expires_in: 3600,
      keywords_attributes: [
        { keyword: "cat", whole_word: true },
        { keyword: "kitt", whole_word: false },
      ],
    });
    expect(created.response.status).toBe(200);
    expect(created.body).toMatchObject({
      title: "Cats",
      context: ["home", "public"],
      filter_action: "hide",
      keywords: [
        { keyword: "cat", whole_word: true },
        { keyword: "kitt", whole_word: false },
      ],
      statuses: [],
    });
    expect(Date.parse(created.body.expires_at) - Date.now()).toBeGreaterThan(3500_000);
    const id = created.body.id as string;
    const [cat, kitt] = created.body.keywords as { id: string }[];

    const changed = await send(token, "PUT", `/api/v2/filters/${id}`, {
      title: "Felines",
      filter_action: "blur",
      expires_in: null,
      keywords_attributes: [{ id: cat!.id, keyword: "cats" }, { id: kitt!.id, _destroy: true }, { keyword: "meow" }],
    });
    expect(changed.response.status).toBe(200);
    expect(changed.body).toMatchObject({ title: "Felines", filter_action: "blur", expires_at: null, context: ["home", "public"] });
    expect(changed.body.keywords.map((k: { keyword: string }) => k.keyword)).toEqual(["cats", "meow"]);

    const added = await send(token, "POST", `/api/v2/filters/${id}/keywords`, { keyword: "purr", whole_word: false });
    expect(added.body).toMatchObject({ keyword: "purr", whole_word: false });
    expect((await send(token, "PUT", `/api/v2/filters/keywords/${added.body.id}`, { whole_word: true })).body.whole_word).toBe(true);
    expect((await send(token, "GET", `/api/v2/filters/${id}/keywords`)).body).toHaveLength(3);
    expect((await send(token, "DELETE", `/api/v2/filters/keywords/${added.body.id}`)).response.status).toBe(200);

    const post = await makePost(ctx, stranger, { text: "a post to filter" });
    const status = await send(token, "POST", `/api/v2/filters/${id}/statuses`, { status_id: post.id });
    expect(status.body).toMatchObject({ status_id: post.id });
    expect((await send(token, "POST", `/api/v2/filters/${id}/statuses`, { status_id: post.id })).response.status).toBe(422);
    expect((await send(token, "GET", `/api/v2/filters/statuses/${status.body.id}`)).body).toEqual(status.body);
    expect((await send(token, "GET", `/api/v2/filters/${id}/statuses`)).body).toEqual([status.body]);

    const strangerToken = await tokenFor(stranger.id, ["read", "write"]);
    for (const [method, path] of [
      ["GET", `/api/v2/filters/${id}`],
      ["PUT", `/api/v2/filters/${id}`],
      ["DELETE", `/api/v2/filters/${id}`],
      ["GET", `/api/v2/filters/keywords/${cat!.id}`],
      ["DELETE", `/api/v2/filters/statuses/${status.body.id}`],
    ] as const) {
      expect([
        method,
        path,
        (await send(strangerToken, method, path, method === "PUT" ? { title: "mine" } : undefined)).response.status,
      ]).toEqual([method, path, 404]);
    }
    expect((await send(strangerToken, "GET", "/api/v2/filters")).body).toEqual([]);

    expect((await send(token, "GET", "/api/v2/filters")).body.map((f: { id: string }) => f.id)).toEqual([id]);
    expect((await send(token, "DELETE", `/api/v2/filters/${id}`)).response.status).toBe(200);
    expect((await send(token, "GET", `/api/v2/filters/${id}`)).response.status).toBe(404);
  });

  it("refuses bad filters with a 422, and filters v1 with a 410", async () => {
    const token = await tokenFor((await person()).id, ["read", "write"]);
    const cases = [
      { context: ["home"] },
      { title: "No context" },
      { title: "Nowhere", context: ["everywhere"] },
      { title: "Bad action", context: ["home"], filter_action: "explode" },
      { title: "Empty keyword", context: ["home"], keywords_attributes: [{ keyword: " " }] },
      { title: "Forever and more", context: ["home"], expires_in: 10 ** 9 },
    ];
    for (const body of cases) {
      const answer = await send(token, "POST", "/api/v2/filters", body);
      expect([body, answer.response.status]).toEqual([body, 422]);
      expect(answer.body).toEqual({ error: expect.any(String) });
    }
    expect((await send(token, "GET", "/api/v2/filters")).body).toEqual([]);
    const v1 = await send(token, "GET", "/api/v1/filters");
    expect(v1.response.status).toBe(410);
    expect(v1.body.error).toContain("/api/v2/filters");
    expect((await send(token, "POST", "/api/v1/filters", { phrase: "x", context: ["home"] })).response.status).toBe(410);
    expect((await callApi("/api/v2/filters", await tokenFor((await person()).id, ["read:statuses"]))).response.status).toBe(403);
  });
});

describe("filters in every context", () => {
  it("hide leaves posts out and warn marks them with Mastodon's FilterResult, whole words only when asked", async () => {
    const [reader, author] = [await person(), await person()];
    await makeFollow(ctx, reader, author);
    const token = await tokenFor(reader.id, ["read", "write"]);
    const cat = await makePost(ctx, author, { text: "My cat sleeps" });
    const category = await makePost(ctx, author, { text: "A category of things" });
    const dog = await makePost(ctx, author, { text: "My dog barks" });
    const own = await makePost(ctx, reader, { text: "My own cat" });
    await deliverEvents();

    const warn = await send(token, "POST", "/api/v2/filters", {
      title: "Cats",
      context: ["home", "account", "thread"],
      filter_action: "warn",
      keywords_attributes: [{ keyword: "CAT", whole_word: true }],
    });
    const home = (await callApi("/api/v1/timelines/home", token)).body as Status[];
    expect(ids(home)).toEqual([own.id, dog.id, category.id, cat.id]);
    expect(home.find((s) => s.id === cat.id)!.filtered).toEqual([
      expect.objectContaining({
        filter: expect.objectContaining({ id: warn.body.id, title: "Cats" }),
        keyword_matches: ["CAT"],
        status_matches: null,
      }),
    ]);
    expect(home.find((s) => s.id === category.id)).not.toHaveProperty("filtered");
    expect(
      home.find((s) => s.id === own.id),
      "your own posts are never filtered",
    ).not.toHaveProperty("filtered");
    const publicTimeline = (await callApi("/api/v1/timelines/public", token)).body as Status[];
    expect(
      publicTimeline.find((s) => s.id === cat.id),
      "not a public-context filter",
    ).not.toHaveProperty("filtered");

    await send(token, "POST", "/api/v2/filters", {
      title: "Anything cat-like",
      context: ["public"],
      filter_action: "hide",
      keywords_attributes: [{ keyword: "cat", whole_word: false }],
    });
    const hidden = ids((await callApi("/api/v1/timelines/public", token)).body as Status[]);
    expect(hidden).not.toContain(cat.id);
    expect(hidden).not.toContain(category.id);
    expect(hidden).toContain(dog.id);
    expect(hidden).toContain(own.id);
    const visitor = ids((await callApi("/api/v1/timelines/public", null)).body as Status[]);
    expect(visitor).toContain(cat.id);

    const account = (await callApi(`/api/v1/accounts/${author.id}/statuses`, token)).body as Status[];
    expect(account.find((s) => s.id === cat.id)!.filtered).toHaveLength(1);
  });

  it("applies to threads around the opened post, notifications, and stops when the filter expires", async () => {
    const [reader, author] = [await person(), await person()];
    const token = await tokenFor(reader.id, ["read", "write"]);
    const root = await makePost(ctx, reader, { text: "What do you think of brussels sprouts?" });
    const rude = await makePost(ctx, author, { text: `@${reader.username} sprouts are awful`, inReplyToId: root.id });
    const kind = await makePost(ctx, author, { text: `@${reader.username} I like them`, inReplyToId: root.id });
    await deliverEvents();
    await send(token, "POST", "/api/v2/filters", {
      title: "Awful",
      context: ["thread", "notifications"],
      filter_action: "hide",
      keywords_attributes: [{ keyword: "awful" }],
    });
    const context = (await callApi(`/api/v1/statuses/${root.id}/context`, token)).body as { descendants: Status[] };
    expect(ids(context.descendants)).toEqual([kind.id]);
    const opened = (await callApi(`/api/v1/statuses/${rude.id}/context`, token)).response.status;
    expect(opened).toBe(200);
    const mentions = (await callApi("/api/v1/notifications?types[]=mention", token)).body as { status: Status }[];
    expect(mentions.map((n) => n.status.id)).toEqual([kind.id]);

    await createFilter(
      ctx,
      reader.id,
      { title: "Expired", contexts: ["notifications"], action: "hide", expiresIn: 1, keywords: [{ keyword: "like" }] },
      new Date(Date.now() - 60_000),
    );
    const still = (await callApi("/api/v1/notifications?types[]=mention", token)).body as { status: Status }[];
    expect(still.map((n) => n.status.id)).toEqual([kind.id]);
  });

  it("matches a filter's posts whatever their words", async () => {
    const [reader, author] = [await person(), await person()];
    const token = await tokenFor(reader.id, ["read", "write"]);
    const post = await makePost(ctx, author, { text: "Nothing special" });
    const filter = await send(token, "POST", "/api/v2/filters", { title: "That one", context: ["account"] });
    const added = await send(token, "POST", `/api/v2/filters/${filter.body.id}/statuses`, { status_id: post.id });
    const account = (await callApi(`/api/v1/accounts/${author.id}/statuses`, token)).body as Status[];
    expect(account[0]!.filtered).toEqual([expect.objectContaining({ keyword_matches: null, status_matches: [added.body.id] })]);
  });
});
