import { describe, expect, it } from "vitest";
import { makeFollow, makePost, makeUser } from "#db/seed/factories.ts";
import { addToMoment, createMoment, moveInMoment, viewMoment } from "#domain/moments/moments.ts";
import { asUser, callApi, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

/** Moments: gathering posts under a title, each post checked again for every viewer; the API and the pages. */
const ctx = testDomain();
const PASSWORD = "a long enough password";

describe("moments in the domain", () => {
  it("shows each viewer only the posts they may see, in the owner's order", async () => {
    const owner = await makeUser(ctx, { username: "moment_owner" });
    const author = await makeUser(ctx, { username: "moment_author" });
    const stranger = await makeUser(ctx, { username: "moment_stranger" });
    await makeFollow(ctx, owner, author);
    const open = await makePost(ctx, author, { text: "Public bird" });
    const closed = await makePost(ctx, author, { text: "Followers-only bird", visibility: "private" });
    const mine = await makePost(ctx, owner, { text: "My own bird" });
    const moment = await createMoment(asUser(owner), { title: "Birds", description: "All of them" });
    for (const post of [open, closed, mine]) await addToMoment(asUser(owner), moment.id, post.id);
    await moveInMoment(asUser(owner), moment.id, mine.id, "up");

    const texts = async (viewerId: string | null) => (await viewMoment(ctx, viewerId, moment.id)).items.map((item) => item.post.text);
    expect(await texts(owner.id)).toEqual(["Public bird", "My own bird", "Followers-only bird"]);
    expect(await texts(stranger.id)).toEqual(["Public bird", "My own bird"]);
    expect(await texts(null)).toEqual(["Public bird", "My own bird"]);

    const direct = await makePost(ctx, author, { text: "A direct note", visibility: "direct" });
    await expect(addToMoment(asUser(owner), moment.id, direct.id)).rejects.toMatchObject({ kind: "not_found" });
    await expect(addToMoment(asUser(stranger), moment.id, open.id)).rejects.toMatchObject({ kind: "not_found" });
  });
});

describe("the moments API", () => {
  it("creates, reads, changes, fills and deletes a moment, refusing what it must with 4xx", async () => {
    const me = await makeUser(ctx, { username: "moment_api" });
    const other = await makeUser(ctx, { username: "moment_api_other" });
    const token = await tokenFor(me.id, ["read", "write"]);
    const otherToken = await tokenFor(other.id, ["read", "write"]);
    const send = (path: string, method: string, body: unknown, as = token) =>
      callApi(path, as, { method, body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });

    const created = await send("/api/v1/perch/moments", "POST", { title: "Spring", description: "First flowers", visibility: "unlisted" });
    expect(created.response.status).toBe(200);
    expect(created.body).toMatchObject({
      title: "Spring",
      visibility: "unlisted",
      url: `http://perch.test/moment_api/moments/${created.body.id}`,
    });
    const id = created.body.id as string;
    const post = await makePost(ctx, other, { text: "A crocus" });
    expect((await send(`/api/v1/perch/moments/${id}/statuses`, "POST", { status_id: post.id })).response.status).toBe(200);

    const read = await callApi(`/api/v1/perch/moments/${id}`, null);
    expect(read.response.status).toBe(200);
    expect(read.body.statuses.map((status: { content: string }) => status.content)).toEqual([expect.stringContaining("A crocus")]);
    expect((await callApi(`/api/v1/perch/moments?account_id=${me.id}`, null)).body).toEqual([]);
    expect((await callApi(`/api/v1/perch/moments?account_id=${me.id}`, token)).body).toHaveLength(1);

    const patched = await send(`/api/v1/perch/moments/${id}`, "PATCH", { visibility: "public" });
    expect(patched.body).toMatchObject({ visibility: "public", title: "Spring" });
    expect((await callApi(`/api/v1/perch/moments?account_id=${me.id}`, null)).body).toHaveLength(1);

    expect((await send("/api/v1/perch/moments", "POST", { title: "" })).response.status).toBe(422);
    expect((await send("/api/v1/perch/moments", "POST", { title: "x".repeat(101) })).response.status).toBe(422);
    expect((await send(`/api/v1/perch/moments/${id}`, "PATCH", { cover_media_id: "123" })).response.status).toBe(422);
    expect((await send(`/api/v1/perch/moments/${id}`, "PATCH", { title: "Mine now" }, otherToken)).response.status).toBe(404);
    expect((await send(`/api/v1/perch/moments/${id}/statuses`, "POST", { status_id: "999999999999999999" })).response.status).toBe(404);
    expect((await send("/api/v1/perch/moments", "POST", { title: "No token" }, "")).response.status).toBe(401);
    expect((await callApi("/api/v1/perch/moments/404404404404404404", null)).response.status).toBe(404);

    expect((await callApi(`/api/v1/perch/moments/${id}/statuses/${post.id}`, token, { method: "DELETE" })).response.status).toBe(200);
    expect((await callApi(`/api/v1/perch/moments/${id}`, null)).body.statuses).toEqual([]);
    expect((await callApi(`/api/v1/perch/moments/${id}`, token, { method: "DELETE" })).response.status).toBe(200);
    expect((await callApi(`/api/v1/perch/moments/${id}`, null)).response.status).toBe(404);
  });
});

describe("the moments pages", () => {
  it("creates a moment, adds a post by its link, and shows it at /:username/moments/:id and on the profile, without JavaScript", async () => {
    const me = await makeUser(ctx, { username: "moment_page", password: PASSWORD });
    const post = await makePost(ctx, me, { text: "A heron standing still" });
    const cookie = sessionOf(await postForm("/login", { identifier: me.username, password: PASSWORD }, { ip: "192.0.2.91" }));

    const empty = await postForm("/moments", { title: "", description: "Kept" }, { cookie });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('value="Kept"');

    const created = await postForm("/moments", { title: "Herons", description: "Patient birds", visibility: "public" }, { cookie });
    expect(created.status).toBe(302);
    const editPath = created.headers.get("Location")!;
    const id = editPath.split("/").pop()!;
    const added = await postForm(editPath, { intent: "add", post: `http://perch.test/moment_page/status/${post.id}` }, { cookie });
    expect(added.status).toBe(200);

    const { response, html } = await getPage(`/moment_page/moments/${id}`);
    expect(response.status).toBe(200);
    expect(html).toContain("Herons");
    expect(html).toContain("Patient birds");
    expect(html).toContain("A heron standing still");
    expect((await getPage(`/someone_else/moments/${id}`)).response.status).toBe(404);
    expect((await getPage("/moment_page")).html).toContain(`href="/moment_page/moments/${id}"`);

    const stranger = await makeUser(ctx, { username: "moment_page_other", password: PASSWORD });
    const strangerCookie = sessionOf(await postForm("/login", { identifier: stranger.username, password: PASSWORD }, { ip: "192.0.2.92" }));
    expect((await getPage(`/moments/${id}`, strangerCookie)).response.status).toBe(404);
    expect((await postForm(`/moments/${id}`, { intent: "delete" }, { cookie: strangerCookie })).status).toBe(404);
  });
});
