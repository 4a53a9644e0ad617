import { describe, expect, it } from "vitest";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { createFilter } from "#domain/filters/filters.ts";
import { callApi, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();

describe("the thread filter context on the opened post", () => {
  it("marks the opened post (a hide filter covers it with a warning) on the API and the post page, and hides it around another", async () => {
    const reader = await makeUser(ctx, { username: "opened_reader", password: "a long enough password" });
    const author = await makeUser(ctx, { username: "opened_author" });
    const root = await makePost(ctx, author, { text: "Which vegetable?" });
    const rude = await makePost(ctx, author, { text: "Sprouts are awful", inReplyToId: root.id });
    await createFilter(ctx, reader.id, { title: "Awful", contexts: ["thread"], action: "hide", keywords: [{ keyword: "awful" }] });
    const token = await tokenFor(reader.id, ["read"]);

    const opened = await callApi(`/api/v1/statuses/${rude.id}`, token);
    expect(opened.body.filtered).toEqual([expect.objectContaining({ filter: expect.objectContaining({ title: "Awful" }) })]);
    const context = await callApi(`/api/v1/statuses/${rude.id}/context`, token);
    expect(context.response.status).toBe(200);
    const around = await callApi(`/api/v1/statuses/${root.id}/context`, token);
    expect(around.body.descendants).toEqual([]);
    // Without the filter's context the post is not marked.
    expect((await callApi(`/api/v1/statuses/${root.id}`, token)).body.filtered ?? []).toEqual([]);

    const cookie = sessionOf(
      await postForm("/login", { identifier: reader.username, password: "a long enough password" }, { ip: "192.0.2.78" }),
    );
    const page = await getPage(`/${author.username}/status/${rude.id}`, cookie);
    expect(page.html).toContain("Filtered: Awful");
    expect(page.html).toContain("Show anyway");
  });
});
